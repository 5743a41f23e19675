import { describe, expect, it } from 'vitest';
import { type AgentEvent, type AgentMessage, defineAgent, RunState, run, tool } from '../../src/index.js';
import { scenario } from './harness.js';
import { APIS, systemOf } from './wire.js';

/** How many tool results each call id got, over a whole transcript. */
function resultCounts(messages: readonly AgentMessage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of messages)
    if (m.role === 'toolResult') counts[m.toolCallId] = (counts[m.toolCallId] ?? 0) + 1;
  return counts;
}

describe.each(APIS)('a handoff and an approval in one batch over %s', (api) => {
  it('interrupts for the approval; on resume the approved call runs, then the handoff happens', async () => {
    const s = await scenario(api, [
      {
        calls: [
          { id: 'call_d1', name: 'delete_order', args: '{"order":"A7"}' },
          { id: 'call_h1', name: 'transfer_to_billing', args: '{}' },
        ],
      },
      { text: 'Billing here: the order is gone.' },
    ]);
    const ran: string[] = [];
    const deleteOrder = tool({
      name: 'delete_order',
      parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
      needsApproval: true,
      execute: ({ args }) => {
        ran.push(`delete ${(args as { order: string }).order}`);
        return 'deleted';
      },
    });
    const billing = defineAgent({ name: 'billing', instructions: 'You are billing.', model: s.model() });
    const triage = defineAgent({
      name: 'triage',
      instructions: 'You are triage.',
      model: s.model(),
      tools: [deleteOrder],
      handoffs: [billing],
    });
    const first = await run(triage, 'Delete A7 and send me to billing', { streamOptions: s.streamOptions });
    expect(first.status).toBe('interrupted');
    expect(first.interruptions.map((i) => i.toolName)).toEqual(['delete_order']);
    expect(ran).toEqual([]);
    expect(first.state.agentName).toBe('triage');
    expect(s.server.requests).toHaveLength(1);

    // saved, restored anywhere, approved
    const state = RunState.fromString(triage, first.state.toString());
    state.approve('call_d1');
    const events: AgentEvent[] = [];
    const resumed = run(triage, state, { streamOptions: s.streamOptions });
    for await (const e of resumed) events.push(e);
    const second = await resumed;
    expect(s.problems).toEqual([]);
    expect(second.status).toBe('completed');
    expect(ran).toEqual(['delete A7']);
    expect(second.lastAgent).toBe(billing);
    expect(second.finalOutput).toBe('Billing here: the order is gone.');
    expect(systemOf(api, s.server.requests[1] as never)).toContain('You are billing.');
    // the approved call ran before the handoff
    const order = events
      .filter((e) => e.type === 'tool_execution_end' || e.type === 'handoff')
      .map((e) => (e.type === 'handoff' ? `handoff ${e.from}->${e.to}` : `${e.type} ${e.toolName}`));
    expect(order).toEqual(['tool_execution_end delete_order', 'handoff triage->billing']);
    expect(second.state.entries.filter((e) => e.type === 'handoff')).toMatchObject([
      { from: 'triage', to: 'billing', toolCallId: 'call_h1' },
    ]);
    // every call answered exactly once in the whole log
    expect(resultCounts(second.state.messages)).toEqual({ call_d1: 1, call_h1: 1 });
  });

  it('a rejected call still gets its result, and the handoff still happens', async () => {
    const s = await scenario(api, [
      {
        calls: [
          { id: 'call_h2', name: 'transfer_to_billing', args: '{}' },
          { id: 'call_d2', name: 'delete_order', args: '{"order":"B1"}' },
        ],
      },
      { text: 'Billing: nothing was deleted.' },
    ]);
    const deleteOrder = tool({
      name: 'delete_order',
      parameters: { type: 'object', properties: { order: { type: 'string' } } },
      needsApproval: true,
      execute: () => 'deleted',
    });
    const billing = defineAgent({ name: 'billing', instructions: 'You are billing.', model: s.model() });
    const triage = defineAgent({
      name: 'triage',
      model: s.model(),
      tools: [deleteOrder],
      handoffs: [billing],
    });
    const first = await run(triage, 'go', { streamOptions: s.streamOptions });
    expect(first.status).toBe('interrupted');
    first.state.reject('call_d2', { message: 'No deleting today.' });
    const second = await run(triage, first.state, { streamOptions: s.streamOptions });
    expect(s.problems).toEqual([]);
    expect(second.status).toBe('completed');
    expect(second.lastAgent).toBe(billing);
    expect(resultCounts(second.state.messages)).toEqual({ call_h2: 1, call_d2: 1 });
  });
});
