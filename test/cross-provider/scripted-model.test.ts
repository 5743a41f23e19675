import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortError,
  Agent,
  type AgentEvent,
  type AgentLoopConfig,
  ApiError,
  type AssistantEvent,
  agentLoop,
  complete,
  stream,
  tool,
} from '../../src/index.js';
import {
  scriptedModel,
  startFixtureServer,
  textResponse,
  toolCallResponse,
} from '../../src/testing/index.js';
import { shape } from '../agent/harness.js';

// Scenarios of test/agent/*, rerun on the in-process scripted model: same stream driver, no HTTP.

const add = tool({
  name: 'add',
  description: 'Add two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ args }) => String(args.a + args.b),
});

async function runLoop(config: AgentLoopConfig, prompt = 'go', signal?: AbortSignal) {
  const run = agentLoop({ prompts: [prompt], messages: [], config, ...(signal && { signal }) });
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, result: await run.result() };
}

describe('scriptedModel drives the agent-loop scenarios without HTTP', () => {
  it('runs a single tool call and sends the result back (full event sequence)', async () => {
    const scripted = scriptedModel([
      {
        toolCalls: [{ id: 'call_1', name: 'add', arguments: { a: 2, b: 3 } }],
        usage: { input: 20, output: 10 },
      },
      { text: ['The sum ', 'is 5.'], usage: { input: 30, output: 4 } },
    ]);
    const { events, result } = await runLoop(
      { model: scripted.model, tools: [add], systemPrompt: 'sys' },
      'add',
    );
    expect(shape(events)).toEqual([
      'agent_start',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'tool_execution_start:add',
      'tool_execution_end:add:ok',
      'message_start:toolResult',
      'message_end:toolResult',
      'turn_end',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'turn_end',
      'agent_end',
    ]);
    expect(result.stopReason).toBe('stop');
    expect(result.turns).toBe(2);
    expect(result.usage.total).toBe(64);
    expect(scripted.contexts).toHaveLength(2);
    expect(scripted.contexts[0]?.systemPrompt).toBe('sys');
    expect(scripted.contexts[0]?.tools?.map((t) => t.name)).toEqual(['add']);
    expect(scripted.contexts[1]?.messages.at(-1)).toMatchObject({ role: 'toolResult', toolCallId: 'call_1' });
    expect(scripted.remaining).toBe(0);
  });

  it('does not execute invalid JSON or schema failures, and answers unknown tools', async () => {
    let executed = 0;
    const counted = tool({
      name: 'add',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: ({ args }) => String(++executed + args.a),
    });
    const scripted = scriptedModel([
      {
        toolCalls: [
          { id: 'bad_json', name: 'add', arguments: '{"a":1,' },
          { id: 'bad_schema', name: 'add', arguments: { a: 'one', b: 2 } },
          { id: 'unknown', name: 'subtract' },
        ],
      },
      (context) => {
        const results = context.messages.filter((m) => m.role === 'toolResult');
        return { text: results.map((m) => (m.isError ? 'err' : 'ok')).join(',') };
      },
    ]);
    const { result } = await runLoop({ model: scripted.model, tools: [counted] });
    expect(executed).toBe(0);
    expect(result.lastMessage?.content).toEqual([{ type: 'text', text: 'err,err,err' }]);
  });

  it('a model error ends the run with the typed error; the partial text is kept', async () => {
    const overloaded = new ApiError('HTTP 529: overloaded', { status: 529, url: 'scripted://local' });
    const scripted = scriptedModel([{ text: 'partial', error: overloaded }]);
    const { result } = await runLoop({ model: scripted.model });
    expect(result.stopReason).toBe('error');
    expect(result.error).toBe(overloaded);
    expect(result.lastMessage?.content).toEqual([{ type: 'text', text: 'partial' }]);
  });

  it('abort during a delayed turn ends as aborted, leaves no listener, and the next prompt works', async () => {
    const scripted = scriptedModel([{ delayMs: 10_000, text: 'never' }, { text: 'second' }]);
    const agent = new Agent({ model: scripted.model });
    const started = new Promise<void>((resolve) =>
      agent.subscribe((e) => {
        if (e.type === 'message_start' && e.message.role === 'assistant') resolve();
      }),
    );
    const first = agent.prompt('one');
    await started;
    agent.abort();
    const aborted = await first;
    expect(aborted.stopReason).toBe('aborted');
    expect(AbortError.isInstance(aborted.error)).toBe(true);
    const second = await agent.prompt('two');
    expect(second.lastMessage?.content).toEqual([{ type: 'text', text: 'second' }]);
  });
});

describe('scriptedModel through stream()', () => {
  it('streams thinking, text, a tool call and usage with one start and one terminal event', async () => {
    const scripted = scriptedModel([
      {
        thinking: 'hmm',
        text: ['a', 'b'],
        toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }],
        usage: { input: 3, output: 4 },
      },
    ]);
    const events: AssistantEvent[] = [];
    for await (const event of stream(scripted.model, { messages: [{ role: 'user', content: 'x' }] }))
      events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'thinking_start',
      'thinking_delta',
      'thinking_end',
      'text_start',
      'text_delta',
      'text_delta',
      'text_end',
      'toolcall_start',
      'toolcall_delta',
      'toolcall_end',
      'done',
    ]);
    const done = events.at(-1);
    expect(done?.type === 'done' && [done.reason, done.message.usage.total]).toEqual(['toolUse', 7]);
  });

  it('a call past the script, a copied model record, and a consumer break all end cleanly', async () => {
    const scripted = scriptedModel([{ text: ['x', 'y', 'z'] }]);
    const s = stream({ ...scripted.model }, { messages: [] });
    for await (const event of s) if (event.type === 'text_delta') break;
    expect((await s.result()).stopReason).toBe('aborted');
    const past = await complete(scripted.model, { messages: [] });
    expect(past.stopReason).toBe('error');
    expect(past.errorMessage).toContain('no turn left');
    const signal = new AbortController().signal;
    await complete(scripted.model, { messages: [] }, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('response builders for the fixture server', () => {
  it('textResponse and toolCallResponse drive a real HTTP agent run', async () => {
    const server = await startFixtureServer({
      responses: [
        toolCallResponse([{ name: 'add', arguments: { a: 4, b: 5 } }]),
        textResponse(['nine', '.']),
      ],
    });
    try {
      const model = { id: 'm', api: 'openai-chat', provider: 'custom', baseUrl: server.baseUrl };
      const result = await new Agent({ model, tools: [add] }).prompt('add');
      expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
      expect(result.messages[2]).toMatchObject({
        role: 'toolResult',
        content: [{ type: 'text', text: '9' }],
      });
      expect(result.lastMessage?.content).toEqual([{ type: 'text', text: 'nine.' }]);
      expect(result.usage.input).toBe(20);
    } finally {
      await server.close();
    }
  });
});
