import { afterEach, describe, expect, it } from 'vitest';
import { approvalTools, askDecision } from '../../src/cli/approval.js';
import { createPrinter, printAgentEvent } from '../../src/cli/output.js';
import { queuedLine } from '../../src/cli/progress.js';
import { runTurns } from '../../src/cli/run-turns.js';
import { type Model, tool } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function model(baseUrl: string): Model {
  return { id: 'test-model', api: 'openai-chat', provider: 'custom', baseUrl };
}

describe('the CLI consumes agent events directly', () => {
  it('--output stream-json shows a retry line for a 503 then 200 server', async () => {
    server = await startFixtureServer({
      responses: [
        { status: 503, contentType: 'application/json', body: '{"error":{"message":"busy"}}' },
        { body: textStream(['fine']) },
      ],
    });
    let out = '';
    const printer = createPrinter('stream-json', {
      stdout: {
        write: (t) => {
          out += t;
        },
      },
      stderr: { write: () => {} },
      reasoning: 'off',
    });
    const outcome = await runTurns({
      model: model(server.baseUrl),
      context: { messages: [{ role: 'user', content: 'hi', timestamp: 1 }] },
      options: { retry: { baseMs: 1 } },
      maxTurns: 2,
      onAgentEvent: (event) => printAgentEvent(printer, event),
    });
    printer.end(outcome);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const retry = lines.find((l) => l.type === 'retry');
    expect(retry).toMatchObject({
      type: 'retry',
      turn: 1,
      reason: expect.any(String),
      error: { name: 'ApiError' },
    });
    expect(retry?.attempt).toBeGreaterThanOrEqual(1);
    expect(typeof retry?.delayMs).toBe('number');
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', stopReason: 'stop', text: 'fine' });
    expect(server.requests).toHaveLength(2);
  });

  it('--output stream-json shows a queued line when a call waits for a slot (maxConcurrentRequests)', async () => {
    server = await startFixtureServer({
      responses: [{ body: textStream(['one']) }, { body: textStream(['two']) }],
    });
    let out = '';
    const printer = createPrinter('stream-json', {
      stdout: {
        write: (t) => {
          out += t;
        },
      },
      stderr: { write: () => {} },
      reasoning: 'off',
    });
    const turns = (baseUrl: string) =>
      runTurns({
        model: model(baseUrl),
        context: { messages: [{ role: 'user', content: 'hi', timestamp: 1 }] },
        options: { maxConcurrentRequests: 1 },
        maxTurns: 1,
        onAgentEvent: (event) => printAgentEvent(printer, event),
      });
    const outcomes = await Promise.all([turns(server.baseUrl), turns(server.baseUrl)]);
    expect(outcomes.map((o) => o.stopReason)).toEqual(['stop', 'stop']);
    const queued = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.type === 'queued');
    expect(queued).toEqual([
      { type: 'queued', turn: 1, position: 1, limit: 1, origin: new URL(server.baseUrl).origin },
    ]);
    expect(queuedLine({ position: 2, limit: 1, origin: 'http://127.0.0.1:8080' })).toBe(
      'queued for http://127.0.0.1:8080 (limit 1); position 2',
    );
  });

  it('toolcall_delta lines carry the delta only (output grows linearly with the arguments)', async () => {
    const long = JSON.stringify({ text: 'x'.repeat(4000) });
    server = await startFixtureServer({
      responses: [{ body: toolCallBody([{ id: 'c', name: 'echo', args: long }]) }],
    });
    let out = '';
    const printer = createPrinter('stream-json', {
      stdout: {
        write: (t) => {
          out += t;
        },
      },
      stderr: { write: () => {} },
      reasoning: 'off',
    });
    await runTurns({
      model: model(server.baseUrl),
      context: { messages: [{ role: 'user', content: 'hi', timestamp: 1 }] },
      options: {},
      maxTurns: 1,
      onAgentEvent: (event) => printAgentEvent(printer, event),
    });
    const deltas = out.split('\n').filter((l) => l.includes('"toolcall_delta"'));
    expect(deltas.length).toBeGreaterThan(0);
    for (const line of deltas) expect(JSON.parse(line)).not.toHaveProperty('arguments');
    expect(out.length).toBeLessThan(4 * long.length);
  });

  it('an abort during a tool call ends the run aborted (exit 1), with every call answered', async () => {
    server = await startFixtureServer({
      responses: [{ body: toolCallBody([{ id: 'h', name: 'hang', args: '{}' }]) }],
    });
    const controller = new AbortController();
    const hang = tool({
      name: 'hang',
      parameters: { type: 'object' },
      execute: ({ signal }) =>
        new Promise<string>((_, reject) => {
          signal.addEventListener('abort', () => reject(new Error('stopped')));
          setTimeout(() => controller.abort(), 10);
        }),
    });
    const outcome = await runTurns({
      model: model(server.baseUrl),
      context: { messages: [{ role: 'user', content: 'go', timestamp: 1 }] },
      options: { signal: controller.signal },
      maxTurns: 5,
      tools: [hang],
    });
    expect(outcome.stopReason).toBe('aborted');
    expect(outcome.errorMessage).toMatch(/aborted/);
    expect(outcome.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult']);
  });

  it('approval is the interruption path: risky calls stop the run, are asked, and the run resumes', async () => {
    server = await startFixtureServer({
      responses: [
        { body: toolCallBody([{ id: 'w', name: 'write_file', args: '{"path":"a.txt","content":"x"}' }]) },
        { body: textStream(['ok, skipped']) },
      ],
    });
    let wrote = 0;
    const writeFile = tool({
      name: 'write_file',
      parameters: { type: 'object' },
      execute: () => `${++wrote}`,
    });
    const asked: string[] = [];
    const outcome = await runTurns({
      model: model(server.baseUrl),
      context: { messages: [{ role: 'user', content: 'go', timestamp: 1 }] },
      options: {},
      maxTurns: 5,
      tools: approvalTools([writeFile]),
      decide: askDecision(async (q) => {
        asked.push(q);
        return 'n';
      }),
    });
    expect(asked).toEqual(['Allow write_file "a.txt" (1 bytes)? [y/N] ']);
    expect(wrote).toBe(0);
    expect(outcome).toMatchObject({ stopReason: 'stop', text: 'ok, skipped', turns: 2 });
    expect(outcome.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    expect(wireMessages(server.requests[1] as never).at(-1)?.content).toMatch(
      /declined this write_file call/,
    );
  });
});
