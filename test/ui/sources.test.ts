/**
 * What the dashboard reads, without a browser: a session log written by a real run (with the run log's
 * timings) as a timeline, an interrupted run's pending calls, and a `run --trace FILE` file as a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunLogEntry } from '../../src/agent/run-log.js';
import { defineAgent, modelFor, run, tool } from '../../src/index.js';
import { JsonlFileStore } from '../../src/sessions/jsonl-file-store.js';
import {
  type FixtureServer,
  startFixtureServer,
  textResponse,
  toolCallResponse,
} from '../../src/testing/index.js';
import { collectRuns, interruptionsOf, sessionOf } from '../../src/ui/sources.js';
import { runCli } from '../cli/cli.js';

let server: FixtureServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-ui-sources-'));
  dirs.push(dir);
  return dir;
}

const echo = (needsApproval: boolean) =>
  tool({
    name: 'echo',
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    needsApproval,
    execute: ({ args }) => String((args as { text: string }).text),
  });

describe('dashboard sources', () => {
  it('a real run: the log has timings, the timeline has its steps with durations, usage and status', async () => {
    server = await startFixtureServer({
      responses: [
        { ...toolCallResponse([{ id: 'c1', name: 'echo', arguments: { text: 'hi' } }]), headersDelayMs: 50 },
        { ...textResponse('done'), headersDelayMs: 50 },
      ],
    });
    const store = new JsonlFileStore({ directory: tempDir() });
    const agent = defineAgent({
      name: 'a',
      model: modelFor({ id: 'm', baseUrl: server.baseUrl }),
      tools: [echo(false)],
    });
    const outcome = await run(agent, 'go', {
      session: { store, id: 's1' },
      streamOptions: { retry: { maxRetries: 0 } },
    });
    expect(outcome.status).toBe('completed');

    const entries = (await store.load('s1')).entries.map((e) => e.item as unknown as RunLogEntry);
    const model = entries.find((e) => e.type === 'model_response') as {
      timing?: Record<string, number | string>;
    };
    expect(model.timing).toMatchObject({ server: `127.0.0.1:${new URL(server.url).port}` });
    expect(Number(model.timing?.endMs) - Number(model.timing?.startMs)).toBeGreaterThanOrEqual(40);
    expect(model.timing?.firstChunkMs).toEqual(expect.any(Number));
    const result = entries.find((e) => e.type === 'tool_result') as {
      timing?: { startMs: number; endMs: number };
    };
    expect(result.timing?.endMs).toBeGreaterThanOrEqual(result.timing?.startMs ?? Number.POSITIVE_INFINITY);

    const view = await sessionOf(store, 's1');
    expect(view?.steps.map((s) => s.kind)).toEqual(['input', 'model', 'tool', 'model']);
    expect(view?.steps[1]?.durationMs).toBeGreaterThanOrEqual(40);
    expect(view?.steps[2]?.label).toBe('echo {"text":"hi"}');
    expect(view?.summary).toMatchObject({
      id: 's1',
      agent: 'a',
      model: 'm',
      status: 'completed',
      steps: 4,
      pending: 0,
    });
    expect(view?.summary.usage.total).toBe(30); // two calls of the builders' default 10 + 5
    expect(view?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    expect(await sessionOf(store, 'nope')).toBeUndefined();
    expect(await sessionOf(store, '../etc/passwd')).toBeUndefined();
  });

  it('an interrupted run: listed as interrupted with its pending call', async () => {
    server = await startFixtureServer({
      responses: [toolCallResponse([{ id: 'c9', name: 'echo', arguments: { text: 'x' } }])],
    });
    const store = new JsonlFileStore({ directory: tempDir() });
    const agent = defineAgent({
      name: 'b',
      model: modelFor({ id: 'm', baseUrl: server.baseUrl }),
      tools: [echo(true)],
    });
    const outcome = await run(agent, 'go', {
      session: { store, id: 'wait' },
      streamOptions: { retry: { maxRetries: 0 } },
    });
    expect(outcome.status).toBe('interrupted');
    const list = await collectRuns(store, []);
    expect(list.sessions).toMatchObject([{ id: 'wait', status: 'interrupted', pending: 1 }]);
    expect(await interruptionsOf(store)).toMatchObject([
      {
        sessionId: 'wait',
        agent: 'b',
        calls: [{ toolCallId: 'c9', toolName: 'echo', arguments: { text: 'x' } }],
      },
    ]);
    const view = await sessionOf(store, 'wait');
    expect(view?.steps.at(-1)).toMatchObject({ kind: 'interruption', status: 'pending' });
  });

  it('a `run --trace FILE` file: one run per trace, its model call with duration and usage; bad files are problems', async () => {
    server = await startFixtureServer({ responses: [textResponse('Hello.', { usage: [12, 3] })] });
    const dir = tempDir();
    const file = join(dir, 'trace.jsonl');
    const cli = await runCli([
      'run',
      'Hi',
      '--base-url',
      server.baseUrl,
      '--model',
      'tm',
      '--no-tools',
      '--trace',
      file,
    ]);
    expect(cli.code).toBe(0);
    const store = new JsonlFileStore({ directory: join(dir, 'sessions') });
    const list = await collectRuns(store, [file, join(dir, 'missing.jsonl')]);
    expect(list.sessions).toEqual([]);
    expect(list.traces).toHaveLength(1);
    expect(list.traces[0]).toMatchObject({
      source: 'trace',
      file,
      agent: 'agent',
      model: 'tm',
      status: 'completed',
    });
    expect(list.traces[0]?.usage).toMatchObject({ input: 12, output: 3, total: 15 });
    expect(list.problems).toMatchObject([{ source: join(dir, 'missing.jsonl') }]);
  });
});
