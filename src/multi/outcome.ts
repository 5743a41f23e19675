import type { AgentDefinition } from '../agent/definition.js';
import type { EventHook } from '../agent/loop.js';
import type { RunOptions, RunOutcome } from '../agent/run.js';
import { HookError } from '../errors/hook-error.js';
import { MaxTurnsError } from '../errors/max-turns-error.js';
import type { AssistantMessage } from '../types/message.js';
import type { MultiController } from './controller.js';
import type { RunHooks } from './options.js';

function textOf(message: AssistantMessage | undefined): string | undefined {
  if (!message) return undefined;
  return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

/**
 * Completes a run's outcome with its multi-agent part: the last agent, the final output a
 * `toolUseBehavior` decided, and an `errorHandlers.maxTurns` final output instead of a `MaxTurnsError`.
 */
export function finishMulti<Ctx, Out>(
  outcome: RunOutcome<Out>,
  multi: MultiController<Ctx>,
  options: RunOptions<Ctx>,
): RunOutcome<Out> {
  outcome.lastAgent = multi.current as AgentDefinition<never>;
  if (outcome.status === 'completed' && multi.finalOutput !== undefined)
    // A tool's result chosen by `toolUseBehavior` is text, whatever the agent's output type.
    outcome.finalOutput = multi.finalOutput as Out;
  const handler = options.errorHandlers?.maxTurns;
  if (outcome.status === 'failed' && handler && MaxTurnsError.isInstance(outcome.error)) {
    const handled = handler({
      agent: outcome.lastAgent,
      error: outcome.error,
      context: options.context as Ctx,
    });
    if (handled) {
      outcome.status = 'completed';
      outcome.state.status = 'completed';
      outcome.finalOutput = handled.finalOutput as Out;
      delete outcome.error;
    }
  }
  return outcome;
}

/**
 * The run hooks as one awaited event hook (the run's own events, not those of nested agents): each hook is
 * awaited before the run goes on, so hooks run one at a time, in event order. A hook that throws (or
 * rejects) fails the run with a `HookError` naming it (`hookEvent`: `agent_start`, `tool_end`, ...).
 * `undefined` when there are no hooks (the loop then does no per-event work for them).
 */
export function runHookListener<Ctx>(
  hooks: RunHooks | undefined,
  multi: MultiController<Ctx>,
): EventHook | undefined {
  if (!hooks) return undefined;
  const depth = multi.pathPrefix.length + 1;
  const call = async (name: string, fn: () => unknown): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new HookError(`The run hook "${name}" failed: ${text}`, {
        hookEvent: name,
        timedOut: false,
        cause: error,
      });
    }
  };
  return (e) => {
    if ((e.agentPath?.length ?? depth) !== depth) return undefined;
    switch (e.type) {
      case 'agent_start':
        return hooks.agent_start ? call('agent_start', () => hooks.agent_start?.(e.agent, e)) : undefined;
      case 'handoff':
        if (!hooks.handoff && !hooks.agent_start) return undefined;
        return call('handoff', () => hooks.handoff?.(e.from, e.to, e)).then(() =>
          call('agent_start', () => hooks.agent_start?.(e.to, e)),
        );
      case 'turn_start':
        return hooks.model_start
          ? call('model_start', () => hooks.model_start?.(e.agent, e.turn, e))
          : undefined;
      case 'message_end':
        if (e.message.role !== 'assistant' || !hooks.model_end) return undefined;
        return call('model_end', () => hooks.model_end?.(e.agent, e.turn, e));
      case 'tool_execution_start':
        if (!hooks.tool_start) return undefined;
        return call('tool_start', () => hooks.tool_start?.(e.agent, e.toolName, e.toolCallId, e));
      case 'tool_execution_end':
        if (!hooks.tool_end) return undefined;
        return call('tool_end', () => hooks.tool_end?.(e.agent, e.toolName, e.result, e));
      case 'agent_end': {
        if (!hooks.agent_end) return undefined;
        const r = e.result;
        const output = r.status === 'completed' ? (multi.finalOutput ?? textOf(r.lastMessage)) : undefined;
        return call('agent_end', () => hooks.agent_end?.(e.agent, output, e));
      }
      default:
        return undefined;
    }
  };
}
