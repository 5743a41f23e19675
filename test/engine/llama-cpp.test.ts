import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  closeLlamaCpp,
  EngineError,
  engineReport,
  INSTALL_COMMAND,
  type LlamaCppModel,
  llamaCppModel,
  streamLlamaCpp,
} from '../../src/engines/llama-cpp/index.js';
import { AbortError } from '../../src/errors/abort-error.js';
import { agentLoop, tool } from '../../src/index.js';
import type { AssistantContent } from '../../src/types/content.js';
import type { AssistantEvent } from '../../src/types/events.js';
import type { StreamOptions } from '../../src/types/options.js';
import { writeTinyLlama } from './make-tiny-llama.js';

// Single-thread settings: more threads than free cores make llama.cpp's spinning barriers collapse.
const ENGINE = { threads: 1, gpu: false as const, contextSize: 2048 };
const SAMPLING: StreamOptions = { temperature: 0.8, seed: 7, maxTokens: 300 };

let dir: string;
let model: LlamaCppModel;
let endless: LlamaCppModel;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oa-engine-'));
  model = llamaCppModel({ path: writeTinyLlama(join(dir, 'tiny.gguf')), ...ENGINE });
  endless = llamaCppModel({ path: writeTinyLlama(join(dir, 'endless.gguf'), { eosBias: -3 }), ...ENGINE });
});

afterAll(async () => {
  await closeLlamaCpp();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: AsyncIterable<AssistantEvent>): Promise<AssistantEvent[]> {
  const events: AssistantEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const kinds = (events: AssistantEvent[]) => [...new Set(events.map((e) => e.type))];

describe('embedded engine (node-llama-cpp) on a generated tiny GGUF', { timeout: 60_000 }, () => {
  it(`has node-llama-cpp installed (CI must run these tests; fix: ${INSTALL_COMMAND})`, async () => {
    const report = await engineReport();
    expect(report.installed, `node-llama-cpp is missing: ${INSTALL_COMMAND}`).toBe(true);
    expect(report.version).toBe('3.21.1');
  });

  it('streams text with the stream() contract: start, text blocks, one terminal done, token usage', async () => {
    const events = await collect(
      streamLlamaCpp(
        model,
        { systemPrompt: 'Be brief.', messages: [{ role: 'user', content: 'Hello' }] },
        SAMPLING,
      ),
    );
    expect(events[0]).toEqual({ type: 'start', warnings: [] });
    expect(kinds(events)).toEqual(['start', 'text_start', 'text_delta', 'text_end', 'done']);
    expect(events.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    expect(['stop', 'length']).toContain(done.reason);
    expect(done.message).toMatchObject({ api: 'llama-cpp', provider: 'llama-cpp', model: 'tiny' });
    const { usage } = done.message;
    expect(usage.input).toBeGreaterThan(5);
    expect(usage.output).toBeGreaterThan(0);
    expect(usage.total).toBe(usage.input + usage.cacheRead + usage.output);
  });

  it('returns JSON matching a response-format schema (grammar), 3 seeds out of 3', async () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string', enum: ['Tokyo', 'Paris', 'Lima'] },
        sunny: { type: 'boolean' },
        note: { type: 'string', maxLength: 12 },
        scores: { type: 'array', items: { type: 'number' }, maxItems: 3 },
      },
      required: ['city', 'sunny', 'note', 'scores'],
      additionalProperties: false,
    };
    const validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], '2020-12');
    for (const seed of [1, 2, 3]) {
      const message = await streamLlamaCpp(
        model,
        { messages: [{ role: 'user', content: 'Weather as JSON' }] },
        { ...SAMPLING, seed, responseFormat: { type: 'json_schema', schema } },
      ).result();
      expect(message.stopReason).toBe('stop');
      const text = message.content.map((b: AssistantContent) => (b.type === 'text' ? b.text : '')).join('');
      const parsed: unknown = JSON.parse(text);
      expect(validator.validate(parsed).valid).toBe(true);
    }
  });

  it('drives the agent loop: a forced tool call validates, runs, its result goes back, the loop ends', async () => {
    const seen: unknown[] = [];
    const weather = tool({
      name: 'weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.enum(['Tokyo', 'Paris']), metric: z.boolean() }),
      jsonSchema: {
        type: 'object',
        properties: { city: { type: 'string', enum: ['Tokyo', 'Paris'] }, metric: { type: 'boolean' } },
        required: ['city', 'metric'],
      },
      execute: ({ args }) => {
        seen.push(args);
        return 'sunny, 21 degrees';
      },
    });
    const contexts: number[] = [];
    const run = agentLoop({
      prompts: ['What is the weather?'],
      messages: [],
      config: {
        model,
        tools: [weather],
        systemPrompt: 'Use tools.',
        streamOptions: { ...SAMPLING, toolChoice: 'required' },
        streamFn: (m, context, options) => {
          contexts.push(context.messages.length);
          return streamLlamaCpp(m, context, options);
        },
      },
    });
    for await (const _event of run) {
      // drain
    }
    const result = await run.result();
    expect(seen).toHaveLength(1);
    expect(
      z.object({ city: z.enum(['Tokyo', 'Paris']), metric: z.boolean() }).safeParse(seen[0]).success,
    ).toBe(true);
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    const [, call, toolResult, final] = result.messages;
    expect(call).toMatchObject({ role: 'assistant', stopReason: 'toolUse' });
    expect(toolResult).toMatchObject({ role: 'toolResult', toolName: 'weather', isError: false });
    expect(final?.role === 'assistant' && final.stopReason).toMatch(/^(stop|length)$/);
    expect(contexts).toEqual([1, 3]);
    expect(result.turns).toBe(2);
    expect(result.usage.output).toBeGreaterThan(0);
  });

  it('streams tool-call events (start, argument deltas, end) for a named tool', async () => {
    const events = await collect(
      streamLlamaCpp(
        model,
        {
          messages: [{ role: 'user', content: 'call it' }],
          tools: [
            {
              name: 'a',
              parameters: { type: 'object', properties: { x: { type: 'boolean' } }, required: ['x'] },
            },
            {
              name: 'b',
              parameters: { type: 'object', properties: { y: { type: 'boolean' } }, required: ['y'] },
            },
          ],
        },
        { ...SAMPLING, toolChoice: { name: 'b' } },
      ),
    );
    expect(kinds(events)).toEqual(
      expect.arrayContaining(['toolcall_start', 'toolcall_delta', 'toolcall_end', 'done']),
    );
    const end = events.find((e) => e.type === 'toolcall_end');
    expect(end?.type === 'toolcall_end' && end.toolCall).toMatchObject({
      name: 'b',
      arguments: { y: expect.any(Boolean) },
    });
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'toolUse' });
  });

  it('reports maxTokens reached inside a tool call as an error, never a silent drop; the engine stays usable', async () => {
    const message = await streamLlamaCpp(
      model,
      {
        messages: [{ role: 'user', content: 'call it' }],
        tools: [
          {
            name: 'note',
            parameters: {
              type: 'object',
              properties: { text: { type: 'string', maxLength: 40 } },
              required: ['text'],
            },
          },
        ],
      },
      { ...SAMPLING, toolChoice: 'required', maxTokens: 4 },
    ).result();
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toMatch(/maxTokens was reached inside a tool call/);
    const next = await streamLlamaCpp(
      model,
      { messages: [{ role: 'user', content: 'hi' }] },
      SAMPLING,
    ).result();
    expect(['stop', 'length']).toContain(next.stopReason);
  });

  it('aborts mid-generation: partial text kept, typed AbortError, and the next call on the same engine works', async () => {
    const controller = new AbortController();
    const stream = streamLlamaCpp(
      endless,
      { messages: [{ role: 'user', content: 'talk' }] },
      {
        ...SAMPLING,
        maxTokens: 3000,
        signal: controller.signal,
      },
    );
    const events: AssistantEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.reason).toBe('aborted');
    expect(AbortError.isInstance(last.error)).toBe(true);
    expect(last.message.stopReason).toBe('aborted');
    expect(last.message.content[0]).toMatchObject({ type: 'text', text: expect.any(String) });
    expect(last.message.usage.output).toBe(0); // no usage report for an aborted call
    const next = await streamLlamaCpp(
      endless,
      { messages: [{ role: 'user', content: 'again' }] },
      { ...SAMPLING, maxTokens: 20 },
    ).result();
    expect(next.stopReason).toBe('length');
    expect(next.usage.output).toBe(20);
  });

  it('a consumer that stops reading ends the generation; the engine is reusable', async () => {
    const stream = streamLlamaCpp(
      endless,
      { messages: [{ role: 'user', content: 'talk' }] },
      { ...SAMPLING, maxTokens: 3000 },
    );
    for await (const event of stream) if (event.type === 'text_delta') break;
    const partial = await stream.result();
    expect(partial.stopReason).toBe('aborted');
    const next = await streamLlamaCpp(
      endless,
      { messages: [{ role: 'user', content: 'again' }] },
      { ...SAMPLING, maxTokens: 10 },
    ).result();
    expect(next.stopReason).toBe('length');
  });

  it('ends in a typed error for a missing model file, and a good model still works after it', async () => {
    const missing = llamaCppModel({ path: join(dir, 'nope.gguf'), ...ENGINE });
    const failed = await streamLlamaCpp(
      missing,
      { messages: [{ role: 'user', content: 'x' }] },
      SAMPLING,
    ).result();
    expect(failed.stopReason).toBe('error');
    expect(failed.errorMessage).toContain('nope.gguf');
    const events = await collect(
      streamLlamaCpp(missing, { messages: [{ role: 'user', content: 'x' }] }, SAMPLING),
    );
    const last = events.at(-1);
    expect(last?.type === 'error' && EngineError.isInstance(last.error)).toBe(true);
    const ok = await streamLlamaCpp(model, { messages: [{ role: 'user', content: 'x' }] }, SAMPLING).result();
    expect(['stop', 'length']).toContain(ok.stopReason);
  });
});
