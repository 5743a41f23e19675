import { describe, expect, it } from 'vitest';
import {
  type AgentEvent,
  asTool,
  defineAgent,
  InputGuardrailTripwireTriggered,
  MaxTurnsError,
  OutputGuardrailTripwireTriggered,
  RunState,
  run,
  tool,
} from '../../src/index.js';
import { triageGraph } from './agents.js';
import { scenario } from './harness.js';
import { APIS, systemOf, toolNamesOf } from './wire.js';

/** Event types with the agent path, without streaming updates: the whole sequence, asserted in full. */
function sequence(events: AgentEvent[]): string[] {
  return events
    .filter((e) => e.type !== 'message_update')
    .map((e) => {
      const who = (e.agentPath ?? []).join('>');
      if (e.type === 'message_start' || e.type === 'message_end') return `${who} ${e.type}:${e.message.role}`;
      if (e.type === 'tool_execution_start') return `${who} ${e.type}:${e.toolName}`;
      if (e.type === 'tool_execution_end') return `${who} ${e.type}:${e.toolName}:${e.outcome}`;
      if (e.type === 'handoff') return `${who} handoff:${e.from}->${e.to}`;
      return `${who} ${e.type}`;
    });
}

describe.each(APIS)('multi-agent scenarios over %s', (api) => {
  it('triage hands off to refunds: the target instructions and tools apply; every event names its agent', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_h1', name: 'transfer_to_refunds', args: '{}' }] },
      { calls: [{ id: 'call_r1', name: 'issue_refund', args: '{"order":"A7"}' }] },
      { text: 'Refund issued for A7.' },
    ]);
    const ran: string[] = [];
    const { triage, refunds } = triageGraph(s.model(), ran);
    const result = run(triage, 'I want my money back for A7', { streamOptions: s.streamOptions });
    const events: AgentEvent[] = [];
    for await (const e of result) events.push(e);
    const outcome = await result;
    expect(s.problems).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toBe('Refund issued for A7.');
    expect(outcome.lastAgent).toBe(refunds);
    expect(ran).toEqual(['issue_refund']);
    // the next model call is the target's: its instructions and its tools
    expect(s.server.requests.map((r) => systemOf(api, r))).toEqual([
      expect.stringContaining('You are triage.'),
      expect.stringContaining('You are refunds.'),
      expect.stringContaining('You are refunds.'),
    ]);
    expect(toolNamesOf(api, s.server.requests[0] as never)).toEqual([
      'transfer_to_billing',
      'transfer_to_refunds',
    ]);
    expect(toolNamesOf(api, s.server.requests[1] as never)).toEqual(['issue_refund']);
    // the transfer call was answered with a real tool result under the model's own id
    const transfer = outcome.messages.find((m) => m.role === 'toolResult' && m.toolCallId === 'call_h1');
    expect(transfer?.role === 'toolResult' && transfer.content).toEqual([
      { type: 'text', text: '{"assistant":"refunds"}' },
    ]);
    expect(outcome.state.entries.filter((e) => e.type === 'handoff')).toMatchObject([
      { type: 'handoff', from: 'triage', to: 'refunds', toolCallId: 'call_h1', agent: 'triage' },
    ]);
    expect(outcome.state.agentName).toBe('refunds');
    expect(events.every((e) => typeof e.agent === 'string' && e.agentPath?.at(-1) === e.agent)).toBe(true);
    expect(sequence(events)).toEqual([
      'triage agent_start',
      'triage message_start:user',
      'triage message_end:user',
      'triage turn_start',
      'triage message_start:assistant',
      'triage message_end:assistant',
      'triage tool_execution_start:transfer_to_refunds',
      'triage tool_execution_end:transfer_to_refunds:ok',
      'triage message_start:toolResult',
      'triage message_end:toolResult',
      'triage turn_end',
      'triage handoff:triage->refunds',
      'refunds turn_start',
      'refunds message_start:assistant',
      'refunds message_end:assistant',
      'refunds tool_execution_start:issue_refund',
      'refunds tool_execution_end:issue_refund:ok',
      'refunds message_start:toolResult',
      'refunds message_end:toolResult',
      'refunds turn_end',
      'refunds turn_start',
      'refunds message_start:assistant',
      'refunds message_end:assistant',
      'refunds turn_end',
      'refunds agent_end',
    ]);
    // the saved state resumes with the current agent, found through the root's handoffs
    const restored = RunState.fromString(triage, outcome.state.toString());
    expect(restored.agent).toBe(refunds);
  });

  it('an agent used as a tool: nested events reach the outer stream with the agent path', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_a1', name: 'researcher', args: '{"input":"capital of France?"}' }] },
      { text: 'Paris.' },
      { text: 'The answer is Paris.' },
    ]);
    const researcher = defineAgent({ name: 'researcher', instructions: 'You research.', model: s.model() });
    const triage = defineAgent({
      name: 'triage',
      instructions: 'You are triage.',
      model: s.model(),
      tools: [asTool(researcher)],
    });
    const result = run(triage, 'Capital of France?', { streamOptions: s.streamOptions });
    const events: AgentEvent[] = [];
    for await (const e of result) events.push(e);
    const outcome = await result;
    expect(s.problems).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toBe('The answer is Paris.');
    const answer = outcome.messages.find((m) => m.role === 'toolResult');
    expect(answer?.role === 'toolResult' && answer.content).toEqual([{ type: 'text', text: 'Paris.' }]);
    expect(systemOf(api, s.server.requests[1] as never)).toContain('You research.');
    const nested = events.filter((e) => e.agent === 'researcher');
    expect(nested.length).toBeGreaterThan(0);
    expect(
      nested.every((e) => e.agentPath?.join('>') === 'triage>researcher' && e.runId !== outcome.runId),
    ).toBe(true);
    expect(sequence(events).filter((line) => line.startsWith('triage>researcher '))).toEqual([
      'triage>researcher agent_start',
      'triage>researcher message_start:user',
      'triage>researcher message_end:user',
      'triage>researcher turn_start',
      'triage>researcher message_start:assistant',
      'triage>researcher message_end:assistant',
      'triage>researcher turn_end',
      'triage>researcher agent_end',
    ]);
    // the nested events come between the outer call's start and end
    const lines = sequence(events);
    const start = lines.indexOf('triage tool_execution_start:researcher');
    const end = lines.indexOf('triage tool_execution_end:researcher:ok');
    expect(lines.indexOf('triage>researcher agent_start')).toBeGreaterThan(start);
    expect(lines.indexOf('triage>researcher agent_end')).toBeLessThan(end);
    expect(lines.at(-1)).toBe('triage agent_end');
  });

  it('a blocking input guardrail trips before any model call: no tool runs', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_d1', name: 'delete_all', args: '{}' }] },
      { text: 'done' },
    ]);
    const ran: string[] = [];
    const deleteAll = tool({
      name: 'delete_all',
      parameters: { type: 'object' },
      execute: () => ran.push('delete_all'),
    });
    const agent = defineAgent({
      name: 'ops',
      model: s.model(),
      tools: [deleteAll],
      inputGuardrails: [
        {
          name: 'no_deletes',
          execute: ({ input }) => ({
            tripwireTriggered: JSON.stringify(input).includes('delete'),
            outputInfo: { why: 'delete' },
          }),
        },
      ],
    });
    const outcome = await run(agent, 'please delete everything', { streamOptions: s.streamOptions });
    expect(outcome.status).toBe('failed');
    expect(InputGuardrailTripwireTriggered.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as InputGuardrailTripwireTriggered;
    expect(error).toMatchObject({ guardrail: 'no_deletes', agent: 'ops', outputInfo: { why: 'delete' } });
    expect(error.state?.toJSON().status).toBe('failed');
    expect(ran).toEqual([]);
    expect(s.server.requests).toHaveLength(0);
  });

  it('a parallel input guardrail runs beside the first model call, but the tool still waits and never runs', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_d1', name: 'delete_all', args: '{}' }] },
      { text: 'done' },
    ]);
    const ran: string[] = [];
    const deleteAll = tool({
      name: 'delete_all',
      parameters: { type: 'object' },
      execute: () => ran.push('delete_all'),
    });
    const agent = defineAgent({
      name: 'ops',
      model: s.model(),
      tools: [deleteAll],
      inputGuardrails: [
        {
          name: 'slow_check',
          runInParallel: true,
          execute: async () => {
            await new Promise((r) => setTimeout(r, 100));
            return { tripwireTriggered: true };
          },
        },
      ],
    });
    const outcome = await run(agent, 'please delete everything', { streamOptions: s.streamOptions });
    expect(InputGuardrailTripwireTriggered.isInstance(outcome.error)).toBe(true);
    expect(s.server.requests).toHaveLength(1); // the model call ran beside the guardrail
    expect(ran).toEqual([]); // the tool did not
    // the next run on the same server still works
    const next = await run(defineAgent({ name: 'ops', model: s.model() }), 'hi', {
      streamOptions: s.streamOptions,
    });
    expect(next.status).toBe('completed');
  });

  it('an output guardrail of the last agent trips on the final output', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_h1', name: 'transfer_to_billing', args: '{}' }] },
      { text: 'Your card number is 4111.' },
    ]);
    const { triage } = triageGraph(s.model());
    const billing = defineAgent({
      name: 'billing',
      instructions: 'You are billing.',
      model: s.model(),
      outputGuardrails: [
        {
          name: 'no_card_numbers',
          execute: ({ agentOutput }) => ({ tripwireTriggered: /\d{4}/.test(agentOutput) }),
        },
      ],
    });
    const guarded = defineAgent({ ...triage, handoffs: [billing] });
    const outcome = await run(guarded, 'my invoice', { streamOptions: s.streamOptions });
    expect(s.problems).toEqual([]);
    expect(outcome.status).toBe('failed');
    expect(OutputGuardrailTripwireTriggered.isInstance(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ guardrail: 'no_card_numbers', agent: 'billing' });
    expect(outcome.finalOutput).toBeUndefined();
    const state = (outcome.error as OutputGuardrailTripwireTriggered).state;
    expect(state?.agentName).toBe('billing');
    expect(JSON.parse(state?.toString() ?? '{}').v).toBe(2);
  });

  it('maxTurns counts across handoffs; errorHandlers.maxTurns can turn it into a final output', async () => {
    const turns = [
      { calls: [{ id: 'call_h1', name: 'transfer_to_refunds', args: '{}' }] },
      { calls: [{ id: 'call_r1', name: 'issue_refund', args: '{"order":"A7"}' }] },
      { text: 'never reached' },
    ];
    const s = await scenario(api, [...turns.slice(0, 2), ...turns.slice(0, 2)]);
    const ran: string[] = [];
    const { triage } = triageGraph(s.model(), ran);
    const failed = await run(triage, 'refund A7', { maxTurns: 2, streamOptions: s.streamOptions });
    expect(failed.status).toBe('failed');
    expect(MaxTurnsError.isInstance(failed.error)).toBe(true);
    expect(failed.turns).toBe(2);
    expect(failed.lastAgent.name).toBe('refunds');
    expect(ran).toEqual([]); // the last allowed call asked for a tool: not run
    const handled = await run(triage, 'refund A7', {
      maxTurns: 2,
      streamOptions: s.streamOptions,
      errorHandlers: { maxTurns: ({ agent }) => ({ finalOutput: `${agent.name} ran out of turns` }) },
    });
    expect(handled.status).toBe('completed');
    expect(handled.finalOutput).toBe('refunds ran out of turns');
    expect(handled.error).toBeUndefined();
    expect(s.problems).toEqual([]);
  });
});
