import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type AgentEvent, HookError, type RunHooks, run } from '../../src/index.js';
import { triageGraph } from './agents.js';
import { scenario } from './harness.js';

const api = 'openai-chat' as const;
const call = (id: string, name: string, args = '{}') => ({ calls: [{ id, name, args }] });

/** Hooks that each wait (like a DB write) and log their start and end, so interleaving would show. */
function slowHooks(log: string[], delayMs = 20): RunHooks {
  const slow =
    (name: string) =>
    async (...args: unknown[]) => {
      const what = `${name} ${args.filter((a) => typeof a === 'string' || typeof a === 'number').join(' ')}`;
      log.push(`> ${what}`);
      await sleep(delayMs);
      log.push(`< ${what}`);
    };
  return {
    agent_start: slow('agent_start'),
    agent_end: slow('agent_end'),
    handoff: slow('handoff'),
    tool_start: slow('tool_start'),
    tool_end: slow('tool_end'),
    model_start: slow('model_start'),
    model_end: slow('model_end'),
  };
}

describe('run hooks are awaited in order', () => {
  it('an async hook finishes before the next one starts, and before the run goes on', async () => {
    const s = await scenario(api, [
      call('h1', 'transfer_to_refunds'),
      call('r1', 'issue_refund', '{"order":"A"}'),
      { text: 'done' },
    ]);
    const { triage } = triageGraph(s.model());
    const log: string[] = [];
    const requestsAtModelStart: number[] = [];
    const hooks = slowHooks(log);
    const model_start = hooks.model_start;
    const result = run(triage, 'refund', {
      streamOptions: s.streamOptions,
      runHooks: {
        ...hooks,
        model_start: async (agent, turn, event) => {
          await model_start?.(agent, turn, event);
          requestsAtModelStart.push(s.server.requests.length);
        },
      },
    });
    const events: AgentEvent[] = [];
    for await (const e of result) events.push(e);
    const outcome = await result;
    expect(outcome.status).toBe('completed');
    const steps = [
      'agent_start triage',
      'model_start triage 1',
      'model_end triage 1',
      'tool_start triage transfer_to_refunds h1',
      'tool_end triage transfer_to_refunds',
      'handoff triage refunds',
      'agent_start refunds',
      'model_start refunds 2',
      'model_end refunds 2',
      'tool_start refunds issue_refund r1',
      'tool_end refunds issue_refund',
      'model_start refunds 3',
      'model_end refunds 3',
      'agent_end refunds done',
    ];
    expect(log).toEqual(steps.flatMap((step) => [`> ${step}`, `< ${step}`]));
    // model_start was awaited before its model call was sent
    expect(requestsAtModelStart).toEqual([0, 1, 2]);
    // the agent_end hook was awaited before the run's result was given
    expect(log.at(-1)).toBe('< agent_end refunds done');
  });

  it('a throwing hook fails the run with a HookError naming the hook; the run still ends with agent_end', async () => {
    const s = await scenario(api, [call('r1', 'issue_refund', '{"order":"A"}'), { text: 'unused' }]);
    const ran: string[] = [];
    const { refunds } = triageGraph(s.model(), ran);
    const result = run(refunds, 'refund', {
      streamOptions: s.streamOptions,
      runHooks: {
        tool_end: async () => {
          await sleep(5);
          throw new Error('the audit database is down');
        },
      },
    });
    const events: AgentEvent[] = [];
    for await (const e of result) events.push(e);
    const outcome = await result;
    expect(outcome.status).toBe('failed');
    expect(HookError.isInstance(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ hookEvent: 'tool_end' });
    expect(outcome.error?.message).toContain('the audit database is down');
    expect(ran).toEqual(['issue_refund']);
    expect(s.server.requests).toHaveLength(1); // no model call after the failing hook
    expect(events.at(-1)?.type).toBe('agent_end');
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('a throwing agent_start hook fails the run before any model call', async () => {
    const s = await scenario(api, [{ text: 'unused' }]);
    const { billing } = triageGraph(s.model());
    const outcome = await run(billing, 'hi', {
      streamOptions: s.streamOptions,
      runHooks: {
        agent_start: () => {
          throw new Error('no');
        },
      },
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ name: 'HookError', hookEvent: 'agent_start' });
    expect(s.server.requests).toHaveLength(0);
  });

  it('a throwing agent_end hook turns a completed run into a failed one', async () => {
    const s = await scenario(api, [{ text: 'fine' }]);
    const { billing } = triageGraph(s.model());
    const result = run(billing, 'hi', {
      streamOptions: s.streamOptions,
      runHooks: {
        agent_end: async () => {
          throw new Error('cannot save');
        },
      },
    });
    const types: string[] = [];
    for await (const e of result) types.push(e.type);
    const outcome = await result;
    expect(outcome.status).toBe('failed');
    expect(outcome.state.status).toBe('failed');
    expect(outcome.error).toMatchObject({ name: 'HookError', hookEvent: 'agent_end' });
    expect(types.slice(-2)).toEqual(['error', 'agent_end']);
  });
});
