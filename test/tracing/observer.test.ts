import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentEvent, defineAgent, MemoryStore, run } from '../../src/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { tool } from '../../src/tools/index.js';
import { ATTR } from '../../src/tracing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody } from '../helpers/scripted-model.js';
import { chunk, sseBody, textStream, usageChunk } from '../helpers/sse.js';
import { dump, memoryTracing, names, only, parentOf } from './helpers.js';

const CANARY = 'sk-canary-7f3a9c1e5b2d4f6a8c0e';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(responses: Parameters<typeof scriptedModel>[0]) {
  const s = await startFixtureServer({ responses: scriptedModel(responses) });
  servers.push(s);
  return s;
}

const weather = tool({
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: ({ args }) => `Sunny in ${(args as { city: string }).city}`,
});

/** A stream with cached prompt tokens and a response id. */
function cachedAnswer(text: string): string {
  return sseBody([
    chunk({ role: 'assistant', content: '' }, null, { id: 'chatcmpl-final' }),
    chunk({ content: text }, null, { id: 'chatcmpl-final' }),
    chunk({}, 'stop', { id: 'chatcmpl-final' }),
    usageChunk(50, 7, 30),
  ]);
}

describe('tracing observer: a multi-turn tool run', () => {
  it('records invoke_agent, chat and execute_tool spans with GenAI attributes and parents', async () => {
    const model = await server([
      toolCallBody([{ id: 'call_1', name: 'get_weather', args: '{"city":"Paris"}' }]),
      toolCallBody([{ id: 'call_2', name: 'get_weather', args: '{"city":"Oslo"}' }]),
      cachedAnswer('Paris sunny, Oslo sunny.'),
    ]);
    const tracing = memoryTracing();
    const agent = defineAgent({
      name: 'assistant',
      model: loopbackModel(model.baseUrl),
      tools: [weather],
      modelSettings: { temperature: 0.2, maxTokens: 256, topP: 0.9, seed: 7 },
    });
    const session = { store: new MemoryStore(), id: 'chat-42' };
    const result = await run(agent, 'Weather?', {
      observers: [tracing.observer],
      session,
      streamOptions: { apiKey: CANARY },
    });
    expect(result.status).toBe('completed');
    const spans = tracing.spans();
    expect(names(spans).sort()).toEqual([
      'chat test-model',
      'chat test-model',
      'chat test-model',
      'execute_tool get_weather',
      'execute_tool get_weather',
      'invoke_agent assistant',
    ]);
    const root = only(spans, 'invoke_agent assistant');
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(root)).toBe('');
    expect(root.attributes).toMatchObject({
      [ATTR.operation]: 'invoke_agent',
      [ATTR.agentName]: 'assistant',
      [ATTR.provider]: 'custom',
      [ATTR.conversationId]: 'chat-42',
      [ATTR.runId]: result.runId,
      [ATTR.runStatus]: 'completed',
      [ATTR.runTurns]: 3,
      [ATTR.inputTokens]: 90,
      [ATTR.outputTokens]: 27,
      [ATTR.cacheReadTokens]: 30,
    });
    const port = Number(new URL(model.baseUrl).port);
    const chats = spans.filter((s) => s.name === 'chat test-model');
    for (const chat of chats) {
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(parentOf(chat)).toBe(root.spanContext().spanId);
      expect(chat.spanContext().traceId).toBe(root.spanContext().traceId);
      expect(chat.attributes).toMatchObject({
        [ATTR.operation]: 'chat',
        [ATTR.provider]: 'custom',
        [ATTR.requestModel]: 'test-model',
        [ATTR.temperature]: 0.2,
        [ATTR.maxTokens]: 256,
        [ATTR.topP]: 0.9,
        [ATTR.seed]: 7,
        [ATTR.stream]: true,
        [ATTR.serverAddress]: '127.0.0.1',
        [ATTR.serverPort]: port,
        [ATTR.conversationId]: 'chat-42',
      });
      expect(typeof chat.attributes[ATTR.timeToFirstChunk]).toBe('number');
      expect(chat.events.map((e) => e.name)).toContain('first_chunk');
    }
    expect(chats[0]?.attributes[ATTR.finishReasons]).toEqual(['tool_calls']);
    const last = chats[2];
    expect(last?.attributes).toMatchObject({
      [ATTR.finishReasons]: ['stop'],
      [ATTR.responseId]: 'chatcmpl-final',
      [ATTR.inputTokens]: 50,
      [ATTR.outputTokens]: 7,
      [ATTR.cacheReadTokens]: 30,
      [ATTR.cacheCreationTokens]: 0,
    });
    const tools = spans.filter((s) => s.name === 'execute_tool get_weather');
    expect(tools.map((t) => t.attributes[ATTR.toolCallId])).toEqual(['call_1', 'call_2']);
    for (const t of tools) {
      expect(t.kind).toBe(SpanKind.INTERNAL);
      expect(parentOf(t)).toBe(root.spanContext().spanId);
      expect(t.attributes).toMatchObject({
        [ATTR.operation]: 'execute_tool',
        [ATTR.toolName]: 'get_weather',
        [ATTR.toolType]: 'function',
        [ATTR.toolOutcome]: 'ok',
      });
      // content capture is off by default
      expect(t.attributes[ATTR.toolArguments]).toBeUndefined();
      expect(t.attributes[ATTR.toolResult]).toBeUndefined();
    }
    for (const chat of chats) expect(chat.attributes[ATTR.inputMessages]).toBeUndefined();
    expect(dump(spans)).not.toContain(CANARY);
    expect(dump(spans)).not.toContain('Paris');
    await tracing.shutdown();
  });

  it('captures scrubbed content when asked: prompts, outputs, tool arguments and results', async () => {
    const leaky = tool({
      name: 'leaky',
      parameters: { type: 'object', properties: {} },
      execute: () => `token=${CANARY} see https://user:${CANARY}@example.com/x Bearer ${CANARY}`,
    });
    const model = await server([
      toolCallBody([{ id: 'call_1', name: 'leaky', args: '{"apiKey":"sk-should-go-away-123"}' }]),
      textStream(['Done.']),
    ]);
    const tracing = memoryTracing({ captureContent: true, secrets: [CANARY] });
    const agent = defineAgent({ name: 'a', model: loopbackModel(model.baseUrl), tools: [leaky] });
    const result = await run(agent, 'Call leaky please', {
      observers: [tracing.observer],
      streamOptions: { apiKey: CANARY },
    });
    expect(result.status).toBe('completed');
    const spans = tracing.spans();
    const call = only(spans, 'execute_tool leaky');
    expect(JSON.parse(String(call.attributes[ATTR.toolArguments]))).toEqual({ apiKey: '[redacted]' });
    expect(String(call.attributes[ATTR.toolResult])).toContain('[redacted]');
    const chats = spans.filter((s) => s.name === 'chat test-model');
    const input = JSON.parse(String(chats[0]?.attributes[ATTR.inputMessages]));
    expect(input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Call leaky please' }] }]);
    const output = JSON.parse(String(chats[1]?.attributes[ATTR.outputMessages]));
    expect(output[0]).toMatchObject({ role: 'assistant', parts: [{ type: 'text', content: 'Done.' }] });
    const text = dump(spans);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('sk-should-go-away-123');
    await tracing.shutdown();
  });
});

describe('tracing observer: failures', () => {
  it('a failed model call: error.type is the HTTP status, retries are span events, the key never shows', async () => {
    const fail = {
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${CANARY}` } }),
    };
    const model = await server([fail, fail]);
    const tracing = memoryTracing({ captureContent: true });
    const agent = defineAgent({ name: 'a', model: loopbackModel(model.baseUrl) });
    const events: AgentEvent[] = [];
    const result = await run(agent, 'hi', {
      observers: [tracing.observer, (e) => events.push(e)],
      streamOptions: { apiKey: CANARY, retry: { maxRetries: 1, baseMs: 1 } },
    });
    expect(result.status).toBe('failed');
    const spans = tracing.spans();
    const chat = only(spans, 'chat test-model');
    expect(chat.attributes[ATTR.errorType]).toBe('500');
    expect(chat.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat.events.filter((e) => e.name === 'retry')).toHaveLength(1);
    expect(chat.events[0]?.attributes?.[ATTR.retryAttempt]).toBe(2); // the attempt about to be made
    const root = only(spans, 'invoke_agent a');
    expect(root.attributes[ATTR.errorType]).toBe('500');
    expect(root.attributes[ATTR.runStatus]).toBe('failed');
    expect(dump(spans)).not.toContain(CANARY);
    expect(JSON.stringify(events, (_k, v) => (v instanceof Error ? v.message : v))).not.toContain(CANARY);
    // the next run with the same observer still works
    const ok = await server([textStream(['fine'])]);
    const again = await run(defineAgent({ name: 'b', model: loopbackModel(ok.baseUrl) }), 'hi', {
      observers: [tracing.observer],
    });
    expect(again.status).toBe('completed');
    expect(names(tracing.spans())).toContain('invoke_agent b');
    await tracing.shutdown();
  });
});

describe('tracing observer: nested agents (agentPath)', () => {
  it('parents a nested agent under the tool call that runs it, and keeps runs apart', () => {
    const tracing = memoryTracing();
    const base = { runId: 'r1', turn: 1 };
    const outer = { ...base, agent: 'triage', agentPath: ['triage'] };
    const inner = { ...base, agent: 'billing', agentPath: ['triage', 'billing'] };
    const emit = (e: object) => tracing.observer(e as AgentEvent);
    emit({ type: 'agent_start', ...outer });
    emit({ type: 'tool_execution_start', toolCallId: 'c1', toolName: 'billing', args: {}, ...outer });
    emit({ type: 'agent_start', ...inner });
    emit({ type: 'handoff', from: 'billing', to: 'refunds', ...inner });
    emit({ type: 'agent_end', result: endResult(), ...inner });
    emit({
      type: 'tool_execution_end',
      toolCallId: 'c1',
      toolName: 'billing',
      outcome: 'ok',
      result: okResult(),
      ...outer,
    });
    emit({ type: 'agent_end', result: endResult(), ...outer });
    const spans = tracing.spans();
    const root = only(spans, 'invoke_agent triage');
    const call = only(spans, 'execute_tool billing');
    const nested = only(spans, 'invoke_agent billing');
    expect(parentOf(call)).toBe(root.spanContext().spanId);
    expect(parentOf(nested)).toBe(call.spanContext().spanId);
    expect(nested.attributes[ATTR.agentPath]).toEqual(['triage', 'billing']);
    expect(nested.events.map((e) => e.name)).toEqual(['handoff']);
    expect(nested.events[0]?.attributes).toEqual({
      [ATTR.handoffFrom]: 'billing',
      [ATTR.handoffTo]: 'refunds',
    });
  });
});

function endResult() {
  return {
    usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, total: 2 },
    status: 'completed',
    turns: 1,
  };
}

function okResult() {
  return { role: 'toolResult', toolCallId: 'c1', toolName: 'billing', content: [], isError: false };
}
