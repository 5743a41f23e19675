import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  type AssistantEvent,
  createRegistry,
  InvalidArgumentError,
  type Model,
  registerPreset,
  registerProvider,
  StreamParseError,
  stream,
  tool,
} from '../../src/index.js';
import { resolveCompatFor } from '../../src/provider/index.js';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { lineChat } from './line-chat-provider.js';

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const ndjson = (...lines: object[]) => ({
  contentType: 'application/x-ndjson',
  body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
});

async function serve(handler: (request: RecordedRequest, index: number) => ReturnType<typeof ndjson>) {
  const server = await startFixtureServer({ responses: handler });
  servers.push(server);
  const model: Model = { id: 'line-1', api: 'line-chat', provider: 'custom', baseUrl: server.baseUrl };
  return { server, model };
}

async function collect(events: AsyncIterable<AssistantEvent>): Promise<AssistantEvent[]> {
  const out: AssistantEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('defineProvider: a provider written as a definition', () => {
  it('streams text and a tool call through Agent (scoped registry, NDJSON over loopback)', async () => {
    const { server, model } = await serve((_request, index) =>
      index === 0
        ? ndjson(
            { text: 'Adding. ' },
            { tool: { id: 'c1', name: 'add', args: { a: 2, b: 3 } } },
            { done: true },
          )
        : ndjson({ text: 'The sum is 5.' }, { done: true, input_tokens: 7, output_tokens: 4 }),
    );
    const registry = createRegistry();
    registry.registerProvider(lineChat);
    const add = tool({
      name: 'add',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
      execute: ({ args }) => String((args as { a: number }).a + (args as { b: number }).b),
    });
    const agent = new Agent({ model, tools: [add], streamFn: registry.stream.bind(registry) });
    const result = await agent.prompt('add 2 and 3');
    expect(result.error).toBeUndefined();
    expect(result.stopReason).toBe('stop');
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    expect(result.lastMessage?.content).toEqual([{ type: 'text', text: 'The sum is 5.' }]);
    expect(result.lastMessage?.usage.input).toBe(7);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headers.accept).toBe('application/x-ndjson');
    const second = JSON.parse(server.requests[1]?.body ?? '{}') as {
      messages: { role: string }[];
      tools: string[];
    };
    expect(second.tools).toEqual(['add']);
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult']);
    // scoped: the global registry does not know it, and says which APIs it does know
    const events = await collect(stream(model, { messages: [] }));
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    const last = events.at(-1);
    expect(last?.type === 'error' && InvalidArgumentError.isInstance(last.error)).toBe(true);
    expect(last?.type === 'error' && last.error.message).toContain('openai-chat');
    expect(server.requests).toHaveLength(2);
  });

  it('registers globally, reports malformed lines as StreamParseError, and the next call still works', async () => {
    registerProvider(lineChat);
    const { model } = await serve((_r, index) =>
      index === 0
        ? { contentType: 'application/x-ndjson', body: '{"text":"par"}\nnot json\n' }
        : ndjson({ text: 'ok' }, { done: true }),
    );
    const failed = stream(model, { messages: [{ role: 'user', content: 'hi' }] });
    const events = await collect(failed);
    const end = events.at(-1);
    expect(end?.type).toBe('error');
    expect(end?.type === 'error' && StreamParseError.isInstance(end.error)).toBe(true);
    expect((await failed.result()).content).toEqual([{ type: 'text', text: 'par' }]);
    const next = await stream(model, { messages: [{ role: 'user', content: 'hi' }] }).result();
    expect(next.stopReason).toBe('stop');
    expect(next.content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('stream(null) ends in an error event instead of throwing', async () => {
    const events = await collect(stream(null as unknown as Model, { messages: [] }));
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    const end = events.at(-1);
    expect(end?.type === 'error' && InvalidArgumentError.isInstance(end.error)).toBe(true);
  });
});

describe('one compat resolver: model record > probed > preset > defaults', () => {
  const defaults = { tools: true, version: 'v1', mode: 'a' as 'a' | 'b' };

  it('takes each flag from the first layer that sets it, and only the flags of the profile', () => {
    registerPreset({
      name: 'line-host',
      label: 'Line host',
      api: 'line-chat',
      baseUrl: 'http://127.0.0.1:9/v1',
      local: true,
      compat: { toolChoice: false, ...({ tools: false, version: 'v2', mode: 'b' } as object) },
    });
    const model: Model = { id: 'm', api: 'line-chat', provider: 'line-host', baseUrl: 'http://x/v1' };
    expect(resolveCompatFor('line-chat', defaults, model)).toEqual({
      tools: false,
      version: 'v2',
      mode: 'b',
    });
    expect(resolveCompatFor('line-chat', defaults, model, { version: 'v3' })).toEqual({
      tools: false,
      version: 'v3',
      mode: 'b',
    });
    const explicit = { ...model, compat: { ...({ mode: 'a', version: undefined } as object) } };
    expect(resolveCompatFor('line-chat', defaults, explicit, { version: 'v3' })).toEqual({
      tools: false,
      version: 'v3',
      mode: 'a',
    });
    expect(resolveCompatFor('line-chat', defaults, { ...model, provider: 'custom' })).toEqual(defaults);
  });

  it('reuses the flags of a model whose inputs cannot change, and re-reads a compat object changed in place', () => {
    const model: Model = { id: 'm', api: 'line-chat', provider: 'custom', baseUrl: 'http://x/v1' };
    const first = resolveCompatFor('line-chat', defaults, model);
    expect(resolveCompatFor('line-chat', defaults, model)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // A frozen compat object cannot change: reused too, and a new one replaces the cached answer.
    model.compat = Object.freeze({ ...({ mode: 'b' } as object) });
    const frozen = resolveCompatFor('line-chat', defaults, model);
    expect(frozen).toEqual({ ...defaults, mode: 'b' });
    expect(resolveCompatFor('line-chat', defaults, model)).toBe(frozen);
    // A plain object may be changed in place between calls: resolved every call, so the change shows.
    const mutable = { mode: 'b' } as Record<string, unknown>;
    model.compat = mutable as Model['compat'];
    expect(resolveCompatFor('line-chat', defaults, model)).toEqual({ ...defaults, mode: 'b' });
    mutable.mode = 'a';
    mutable.version = 'v9';
    expect(resolveCompatFor('line-chat', defaults, model)).toEqual({ ...defaults, mode: 'a', version: 'v9' });
  });

  it("uses a preset's apiCompat entry for another API, and scoped presets stay in their registry", () => {
    const registry = createRegistry();
    registry.registerPreset({
      name: 'scoped-host',
      label: 'Scoped',
      api: 'openai-chat',
      baseUrl: 'http://127.0.0.1:9/v1',
      local: true,
      compat: {},
      apiCompat: { 'line-chat': { ...({ tools: false } as object) } },
    });
    const model: Model = { id: 'm', api: 'line-chat', provider: 'scoped-host', baseUrl: 'http://x/v1' };
    expect(lineChat.resolveCompat(model, undefined, registry.presets).tools).toBe(false);
    expect(lineChat.resolveCompat(model).tools).toBe(true);
    expect(registry.getPreset('SCOPED-HOST')?.name).toBe('scoped-host');
  });
});
