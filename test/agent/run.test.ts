import { describe, expect, it } from 'vitest';
import {
  type AgentEvent,
  defineAgent,
  InvalidArgumentError,
  RunState,
  run,
  serializeAgentState,
  type Tool,
  type ToolSource,
  tool,
} from '../../src/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { scripted } from './harness.js';

const echo = tool({
  name: 'echo',
  parameters: { type: 'object', properties: { text: { type: 'string' } } },
  execute: ({ args, idempotencyKey }) => `${(args as { text?: string }).text}|${idempotencyKey}`,
});

describe('defineAgent', () => {
  it('checks the name and refuses an outputType that is not a schema', () => {
    const model = {
      id: 'm',
      api: 'openai-chat',
      provider: 'custom',
      baseUrl: 'http://127.0.0.1:1/v1',
    } as const;
    expect(() => defineAgent({ name: '', model })).toThrow(InvalidArgumentError);
    expect(() => defineAgent({ name: 'a\nb', model })).toThrow(/control characters/);
    const sneaky = { name: 'x', model, outputType: 'nope' } as unknown as Parameters<typeof defineAgent>[0];
    expect(() => defineAgent(sneaky)).toThrow(InvalidArgumentError);
    const agent = defineAgent({ name: 'x', model });
    expect(Object.isFrozen(agent)).toBe(true);
    expect(agent.kind).toBe('agent_definition');
  });
});

describe('run()', () => {
  it('is awaitable and iterable; every event carries runId, agent and turn; observers see them all', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'c1', name: 'echo', args: '{"text":"hi"}' }]),
      textStream(['done']),
    ]);
    const agent = defineAgent({
      name: 'helper',
      model,
      tools: [echo],
      instructions: ({ turn, agentName }) => `You are ${agentName}, turn ${turn}.`,
    });
    const seen: AgentEvent[] = [];
    const result = run(agent, 'go', { observers: [(e) => seen.push(e)] });
    const iterated: AgentEvent[] = [];
    for await (const event of result) iterated.push(event);
    const outcome = await result;
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toBe('done');
    expect(outcome.turns).toBe(2);
    expect(outcome.lastAgent).toBe(agent);
    expect(outcome.newMessages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    expect(seen).toEqual(iterated);
    expect(new Set(iterated.map((e) => e.runId))).toEqual(new Set([outcome.runId]));
    expect(iterated.every((e) => e.agent === 'helper')).toBe(true);
    expect(iterated.find((e) => e.type === 'tool_execution_end')?.turn).toBe(1);
    const tr = outcome.messages[2];
    expect(tr?.role === 'toolResult' && tr.content).toEqual([
      { type: 'text', text: `hi|${outcome.runId}:c1` },
    ]);
    // instructions is called before every model call with the run context
    const systems = server.requests.map((r) => wireMessages(r)[0]?.content);
    expect(systems).toEqual(['You are helper, turn 1.', 'You are helper, turn 2.']);
  });

  it('await without iterating drives the run; observers still see every event', async () => {
    const { model } = await scripted([textStream(['hello'])]);
    const types: string[] = [];
    const outcome = await run(defineAgent({ name: 'a', model }), 'hi', {
      observers: [(e) => types.push(e.type)],
    });
    expect(outcome.finalOutput).toBe('hello');
    expect(types[0]).toBe('agent_start');
    expect(types.at(-1)).toBe('agent_end');
  });

  it('resolves tool sources before every model call and uses that list for the turn', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'c1', name: 'dyn_1', args: '{}' }]),
      textStream(['ok']),
    ]);
    let listed = 0;
    const source: ToolSource = {
      kind: 'tool_source',
      name: 'counter',
      listTools: async ({ agentName }) => {
        listed++;
        expect(agentName).toBe('a');
        return [tool({ name: `dyn_${listed}`, parameters: { type: 'object' }, execute: () => `v${listed}` })];
      },
    };
    const outcome = await run(defineAgent({ name: 'a', model, tools: [echo, source] }), 'go');
    expect(outcome.status).toBe('completed');
    expect(listed).toBe(2);
    const names = server.requests.map((r) =>
      ((r.json as { tools: { function: { name: string } }[] }).tools ?? []).map((t) => t.function.name),
    );
    expect(names).toEqual([
      ['echo', 'dyn_1'],
      ['echo', 'dyn_2'],
    ]);
    // the call of turn 1 ran with turn 1's definition
    const result = outcome.messages[2];
    expect(result?.role === 'toolResult' && result.content).toEqual([{ type: 'text', text: 'v1' }]);
  });

  it('a tool name clash fails the run with InvalidArgumentError naming both origins', async () => {
    const { model, server } = await scripted([textStream(['never'])]);
    const source: ToolSource = { kind: 'tool_source', name: 'dup', listTools: async () => [echo as Tool] };
    const outcome = await run(defineAgent({ name: 'a', model, tools: [echo, source] }), 'go');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBeInstanceOf(InvalidArgumentError);
    expect(outcome.error?.message).toMatch(/"echo".*tools.*tool source "dup"/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('interruptions', () => {
  const danger = tool({
    name: 'danger',
    parameters: { type: 'object', properties: { n: { type: 'number' } } },
    needsApproval: ({ args }) => ((args as { n?: number }).n ?? 0) > 1,
    execute: ({ args }) => `ran ${(args as { n: number }).n}`,
  });

  it('pauses before calls that need approval, runs the others, resumes after approve (turns persist)', async () => {
    const { model, server } = await scripted([
      toolCallBody([
        { id: 'a', name: 'danger', args: '{"n":1}' },
        { id: 'b', name: 'danger', args: '{"n":2}' },
      ]),
      textStream(['finished']),
    ]);
    const agent = defineAgent({ name: 'ops', model, tools: [danger] });
    const first = await run(agent, 'go');
    expect(first.status).toBe('interrupted');
    expect(first.interruptions.map((c) => [c.toolCallId, c.arguments])).toEqual([['b', { n: 2 }]]);
    expect(first.messages.filter((m) => m.role === 'toolResult').map((m) => m.toolCallId)).toEqual(['a']);
    const state = RunState.fromString([agent], first.state.toString());
    expect(state.turn).toBe(1);
    expect(state.interruptions.map((c) => c.toolCallId)).toEqual(['b']);
    state.approve(state.interruptions[0] as never);
    expect(() => state.approve('b')).toThrow(/not waiting for a decision/);
    const second = await run(agent, state, { maxTurns: 2 });
    expect(second.status).toBe('completed');
    expect(second.turns).toBe(2);
    expect(second.runId).toBe(first.runId);
    const history = wireMessages(server.requests[1] as never).map((m) => m.role);
    expect(history).toEqual(['user', 'assistant', 'tool', 'tool']);
  });

  it('reject answers the call with the message; always applies to later calls of the tool', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'x', name: 'danger', args: '{"n":5}' }]),
      toolCallBody([{ id: 'y', name: 'danger', args: '{"n":6}' }]),
      textStream(['gave up']),
    ]);
    const agent = defineAgent({ name: 'ops', model, tools: [danger] });
    const first = await run(agent, 'go');
    first.state.reject('x', { message: 'Not on a Friday.', always: true });
    const second = await run(agent, first.state);
    expect(second.status).toBe('completed');
    const results = second.messages.filter((m) => m.role === 'toolResult');
    expect(results.map((m) => [m.toolCallId, m.isError, m.content])).toEqual([
      ['x', true, [{ type: 'text', text: 'Not on a Friday.' }]],
      ['y', true, [{ type: 'text', text: 'Not on a Friday.' }]],
    ]);
    expect(wireMessages(server.requests[1] as never).at(-1)?.content).toBe('Not on a Friday.');
  });

  it("manual tool mode: every call is an interruption; approving runs the agent's tool", async () => {
    const { model } = await scripted([
      toolCallBody([{ id: 'm', name: 'echo', args: '{"text":"z"}' }]),
      textStream(['ok']),
    ]);
    const agent = defineAgent({ name: 'm', model, tools: [echo] });
    const first = await run(agent, 'go', { toolExecution: 'manual' });
    expect(first.status).toBe('interrupted');
    expect(first.stopReason).toBe('toolUse');
    first.state.approve('m');
    const second = await run(agent, first.state, { toolExecution: 'manual' });
    expect(second.finalOutput).toBe('ok');
  });
});

describe('RunState serialization', () => {
  it('round-trips, keeps unknown fields, and names the missing agent', async () => {
    const { model } = await scripted([textStream(['hi'])]);
    const agent = defineAgent({ name: 'writer', model });
    const outcome = await run(agent, 'go');
    const json = JSON.parse(outcome.state.toString()) as Record<string, unknown>;
    expect(json.v).toBe(2);
    expect(json.status).toBe('completed');
    json.futureField = { keep: true };
    (json.entries as Record<string, unknown>[])[0] = { ...(json.entries as object[])[0], extra: 1 };
    const text = JSON.stringify(json);
    const restored = RunState.fromString({ writer: agent }, text);
    expect(JSON.parse(restored.toString())).toEqual(json);
    expect(restored.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const other = defineAgent({ name: 'reader', model });
    expect(() => RunState.fromString([other], text)).toThrow(/names agent "writer".*Known agents: "reader"/);
    expect(() => RunState.fromString(agent, '{"v":99}')).toThrow(/version 99/);
    expect(() => RunState.fromString(agent, 'nope')).toThrow(InvalidArgumentError);
    expect(outcome.state.toString()).not.toMatch(/apiKey|authorization/i);
  });

  it('migrates a version 1 SerializedAgentState forward', () => {
    const model = {
      id: 'm',
      api: 'openai-chat',
      provider: 'custom',
      baseUrl: 'http://127.0.0.1:1/v1',
    } as const;
    const v1 = serializeAgentState({
      model: { ...model, headers: { authorization: 'Bearer secret' } },
      systemPrompt: 'sys',
      messages: [{ role: 'user', content: 'old', timestamp: 1 }],
    });
    const agent = defineAgent({ name: 'legacy', model });
    const state = RunState.fromString(agent, v1);
    expect(state.agentName).toBe('legacy');
    expect(state.messages).toEqual([{ role: 'user', content: 'old', timestamp: 1 }]);
    expect(state.toString()).toContain('"v":2');
    expect(state.toString()).not.toContain('secret');
  });
});

describe('conversation repairs', () => {
  it('continue() after a failed turn retries it (Agent), and run() resumes a failed state', async () => {
    const { model, server } = await scripted([
      { status: 400, contentType: 'application/json', body: '{"error":{"message":"bad"}}' },
      textStream(['second try']),
    ]);
    const agent = defineAgent({ name: 'r', model });
    const first = await run(agent, 'go');
    expect(first.status).toBe('failed');
    const second = await run(agent, first.state);
    expect(second.status).toBe('completed');
    expect(second.finalOutput).toBe('second try');
    expect(wireMessages(server.requests[1] as never).map((m) => m.role)).toEqual(['user']);
  });
});
