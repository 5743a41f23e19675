import type { AgentDefinition } from '../agent/definition.js';
import type { RunObserver } from '../agent/loop.js';
import type { RunOptions, RunOutcome } from '../agent/run.js';
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

/** Observers that call the run hooks from the run's own events (not those of nested agents). */
export function hookObservers<Ctx>(hooks: RunHooks | undefined, multi: MultiController<Ctx>): RunObserver[] {
  if (!hooks) return [];
  const depth = multi.pathPrefix.length + 1;
  const call = (fn: () => void) => {
    try {
      fn();
    } catch {
      // a hook's failure never changes the run
    }
  };
  return [
    (e) => {
      if ((e.agentPath?.length ?? depth) !== depth) return;
      if (e.type === 'agent_start') call(() => hooks.agent_start?.(e.agent, e));
      else if (e.type === 'handoff') {
        call(() => hooks.handoff?.(e.from, e.to, e));
        call(() => hooks.agent_start?.(e.to, e));
      } else if (e.type === 'turn_start') call(() => hooks.model_start?.(e.agent, e.turn, e));
      else if (e.type === 'message_end' && e.message.role === 'assistant')
        call(() => hooks.model_end?.(e.agent, e.turn, e));
      else if (e.type === 'tool_execution_start')
        call(() => hooks.tool_start?.(e.agent, e.toolName, e.toolCallId, e));
      else if (e.type === 'tool_execution_end')
        call(() => hooks.tool_end?.(e.agent, e.toolName, e.result, e));
      else if (e.type === 'agent_end') {
        const r = e.result;
        const output = r.status === 'completed' ? (multi.finalOutput ?? textOf(r.lastMessage)) : undefined;
        call(() => hooks.agent_end?.(e.agent, output, e));
      }
    },
  ];
}
