import { describe, expect, it } from 'vitest';
import {
  defineAgent,
  handoff,
  InvalidArgumentError,
  keepLastMessages,
  RunState,
  removeAllTools,
  run,
  ToolGuardrailTripwireTriggered,
  ToolNotFoundError,
  tool,
  transferToolName,
  withToolGuardrails,
} from '../../src/index.js';
import { wireMessages } from '../helpers/scripted-model.js';
import { triageGraph } from './agents.js';
import { scenario } from './harness.js';
import { toolNamesOf } from './wire.js';

const api = 'openai-chat' as const;
const echo = (ran: string[]) =>
  tool({
    name: 'echo',
    parameters: { type: 'object', properties: { text: { type: 'string' } } },
    execute: ({ args }) => {
      ran.push('echo');
      return `echo ${(args as { text?: string }).text}`;
    },
  });
const call = (id: string, name: string, args = '{}') => ({ calls: [{ id, name, args }] });

describe('handoff()', () => {
  it('names tools transfer_to_<snake_name>; inputType needs onHandoff; definitions check their handoffs', () => {
    expect(transferToolName('Billing Agent')).toBe('transfer_to_billing_agent');
    expect(transferToolName('refundsDesk')).toBe('transfer_to_refunds_desk');
    const model = {
      id: 'm',
      api: 'openai-chat',
      provider: 'custom',
      baseUrl: 'http://127.0.0.1:1/v1',
    } as const;
    const target = defineAgent({ name: 'x', model });
    expect(() => handoff(target, { inputType: { type: 'object' } })).toThrow(InvalidArgumentError);
    const bad = { name: 'y', model, handoffs: [{}] } as unknown as Parameters<typeof defineAgent>[0];
    expect(() => defineAgent(bad)).toThrow(/every handoff/);
  });

  it('onHandoff gets the input; isEnabled hides a handoff; a second transfer in one batch is ignored', async () => {
    const s = await scenario(api, [
      {
        calls: [
          { id: 'c1', name: 'escalate', args: '{"reason":"angry"}' },
          { id: 'c2', name: 'transfer_to_billing', args: '{}' },
        ],
      },
      { text: 'Escalated.' },
    ]);
    const seen: unknown[] = [];
    const model = s.model();
    const billing = defineAgent({ name: 'billing', model });
    const hidden = defineAgent({ name: 'hidden', model });
    const manager = defineAgent({ name: 'manager', instructions: 'You manage.', model });
    const triage = defineAgent({
      name: 'triage',
      model,
      handoffs: [
        handoff(manager, {
          toolName: 'escalate',
          inputType: { type: 'object', properties: { reason: { type: 'string' } } },
          onHandoff: (_ctx, input) => {
            seen.push(input);
          },
        }),
        billing,
        handoff(hidden, { isEnabled: () => false }),
      ],
    });
    const outcome = await run(triage, 'help', { streamOptions: s.streamOptions });
    expect(s.problems).toEqual([]);
    expect(outcome.lastAgent).toBe(manager);
    expect(seen).toEqual([{ reason: 'angry' }]);
    expect(toolNamesOf(api, s.server.requests[0] as never)).toEqual(['escalate', 'transfer_to_billing']);
    const second = outcome.messages.find((m) => m.role === 'toolResult' && m.toolCallId === 'c2');
    expect(second?.role === 'toolResult' && second.isError).toBe(true);
    expect(outcome.state.entries.filter((e) => e.type === 'handoff')).toHaveLength(1);
  });

  it('removeAllTools: the target sees the history without tool calls; keepLastMessages starts at a user message', async () => {
    const s = await scenario(api, [
      call('c1', 'echo', '{"text":"a"}'),
      call('c2', 'transfer_to_refunds'),
      { text: 'ok' },
    ]);
    const ran: string[] = [];
    const { refunds } = triageGraph(s.model());
    const triage = defineAgent({
      name: 'triage',
      model: s.model(),
      tools: [echo(ran)],
      handoffs: [handoff(refunds, { inputFilter: removeAllTools })],
    });
    const outcome = await run(triage, 'refund please', { streamOptions: s.streamOptions });
    expect(s.problems).toEqual([]);
    expect(outcome.finalOutput).toBe('ok');
    expect(wireMessages(s.server.requests[2] as never).map((m) => m.role)).toEqual(['system', 'user']);
    // the log itself keeps everything
    expect(outcome.messages.filter((m) => m.role === 'toolResult')).toHaveLength(2);
    const keep = keepLastMessages(2);
    const history = outcome.messages.slice(0, 5);
    expect(keep(history)).toEqual(history); // no user message in the window: from the last one
    const more = [...history, { role: 'user' as const, content: 'more', timestamp: 1 }];
    expect(keep(more).map((m) => m.role)).toEqual(['user']);
    expect(() => keepLastMessages(0)).toThrow(RangeError);
  });
});

describe('toolUseBehavior', () => {
  it('stop_on_first_tool: the first result is the final output, no second model call', async () => {
    const s = await scenario(api, [call('c1', 'echo', '{"text":"hi"}'), { text: 'unused' }]);
    const ran: string[] = [];
    const agent = defineAgent({
      name: 'a',
      model: s.model(),
      tools: [echo(ran)],
      toolUseBehavior: 'stop_on_first_tool',
    });
    const outcome = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(outcome).toMatchObject({ status: 'completed', finalOutput: 'echo hi', turns: 1 });
    expect(s.server.requests).toHaveLength(1);
  });

  it('{ stopAtToolNames } and a function decide the final output', async () => {
    const s = await scenario(api, [
      call('c1', 'echo', '{"text":"x"}'),
      { text: 'again' },
      call('c2', 'echo', '{"text":"y"}'),
    ]);
    const ran: string[] = [];
    const other = defineAgent({
      name: 'a',
      model: s.model(),
      tools: [echo(ran)],
      toolUseBehavior: { stopAtToolNames: ['nope'] },
    });
    expect((await run(other, 'go', { streamOptions: s.streamOptions })).finalOutput).toBe('again');
    const fn = defineAgent({
      name: 'b',
      model: s.model(),
      tools: [echo(ran)],
      toolUseBehavior: (_ctx, results) => ({ isFinalOutput: true, finalOutput: `final(${results.length})` }),
    });
    expect((await run(fn, 'go', { streamOptions: s.streamOptions })).finalOutput).toBe('final(1)');
  });
});

describe('run hooks, unknown tools, tool guardrails', () => {
  it('calls agent_start, model_start/end, tool_start/end, handoff and agent_end in order', async () => {
    const s = await scenario(api, [
      call('h1', 'transfer_to_refunds'),
      call('r1', 'issue_refund', '{"order":"A"}'),
      { text: 'done' },
    ]);
    const { triage } = triageGraph(s.model());
    const log: string[] = [];
    const outcome = await run(triage, 'refund', {
      streamOptions: s.streamOptions,
      runHooks: {
        agent_start: (a) => log.push(`agent_start ${a}`),
        agent_end: (a, out) => log.push(`agent_end ${a} ${out}`),
        handoff: (from, to) => log.push(`handoff ${from}->${to}`),
        tool_start: (a, t) => log.push(`tool_start ${a} ${t}`),
        tool_end: (a, t) => log.push(`tool_end ${a} ${t}`),
        model_start: (a, turn) => log.push(`model_start ${a} ${turn}`),
        model_end: (a, turn) => log.push(`model_end ${a} ${turn}`),
      },
    });
    expect(outcome.status).toBe('completed');
    expect(log).toEqual([
      'agent_start triage',
      'model_start triage 1',
      'model_end triage 1',
      'tool_start triage transfer_to_refunds',
      'tool_end triage transfer_to_refunds',
      'handoff triage->refunds',
      'agent_start refunds',
      'model_start refunds 2',
      'model_end refunds 2',
      'tool_start refunds issue_refund',
      'tool_end refunds issue_refund',
      'model_start refunds 3',
      'model_end refunds 3',
      'agent_end refunds done',
    ]);
  });

  it("unknown tools: an error result by default; 'raise' fails before the batch runs", async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'u1', name: 'nope', args: '{}' }] },
      { text: 'sorry' },
      {
        calls: [
          { id: 'u2', name: 'echo', args: '{"text":"a"}' },
          { id: 'u3', name: 'nope', args: '{}' },
        ],
      },
    ]);
    const ran: string[] = [];
    const agent = defineAgent({ name: 'a', model: s.model(), tools: [echo(ran)] });
    const soft = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(soft.finalOutput).toBe('sorry');
    const hard = await run(agent, 'go', { streamOptions: s.streamOptions, toolNotFoundBehavior: 'raise' });
    expect(hard.status).toBe('failed');
    expect(ToolNotFoundError.isInstance(hard.error)).toBe(true);
    expect(ran).toEqual([]);
  });

  it('tool guardrails: reject answers the model; throwException answers the call, then stops the run', async () => {
    const s = await scenario(api, [
      call('g1', 'echo', '{"text":"secret"}'),
      { text: 'understood' },
      call('g2', 'echo', '{"text":"boom"}'),
    ]);
    const ran: string[] = [];
    const guarded = withToolGuardrails(echo(ran), {
      input: [
        {
          name: 'no_secrets',
          execute: ({ args }) =>
            (args as { text: string }).text === 'secret'
              ? { type: 'rejectContent', message: 'Secrets are not echoed.' }
              : { type: 'allow' },
        },
      ],
      output: [
        {
          name: 'no_boom',
          execute: ({ output }) =>
            String(output).includes('boom')
              ? { type: 'throwException', outputInfo: 'boom' }
              : { type: 'allow' },
        },
      ],
    });
    const agent = defineAgent({ name: 'a', model: s.model(), tools: [guarded] });
    const first = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(first.finalOutput).toBe('understood');
    const rejected = first.messages.find((m) => m.role === 'toolResult');
    expect(rejected?.role === 'toolResult' && rejected.content).toEqual([
      { type: 'text', text: 'Secrets are not echoed.' },
    ]);
    expect(ran).toEqual([]);
    const second = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(second.status).toBe('failed');
    expect(ToolGuardrailTripwireTriggered.isInstance(second.error)).toBe(true);
    expect(second.error).toMatchObject({
      guardrail: 'no_boom',
      toolName: 'echo',
      toolCallId: 'g2',
      phase: 'output',
    });
    expect(ran).toEqual(['echo']);
    // the call was answered: the saved state is a valid history
    const state = RunState.fromString(agent, second.state.toString());
    expect(state.messages.at(-1)).toMatchObject({ role: 'toolResult', toolCallId: 'g2', isError: true });
    expect(s.problems).toEqual([]);
  });
});
