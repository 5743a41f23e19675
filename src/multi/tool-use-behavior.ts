import type { AgentMessage, StopBehaviour } from '../agent/config.js';
import type { ToolResultMessage } from '../types/message.js';
import type { ToolUseBehavior } from './types.js';

/** Where a stop decision records the final output. */
export interface FinalOutputSink {
  decideFinal(results: readonly ToolResultMessage[], output?: string): void;
}

/** The tool results at the end of a transcript (the last batch), in the model's order. */
export function lastResults(messages: readonly AgentMessage[]): ToolResultMessage[] {
  const out: ToolResultMessage[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'toolResult') break;
    out.unshift(m);
  }
  return out;
}

/** The text of tool results, joined. */
export function textOfResults(results: readonly ToolResultMessage[]): string {
  return results.map((r) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('')).join('\n');
}

/**
 * Maps OpenAI Agents' `toolUseBehavior` onto the loop's `stopWhen`, recording the final output like they do:
 * `stop_on_first_tool` → the first result; `{ stopAtToolNames }` → the first matching tool's result; a
 * function → its `finalOutput`.
 */
export function stopBehaviourOf<Ctx>(
  behavior: ToolUseBehavior<Ctx>,
  sink: FinalOutputSink,
  context: () => Ctx,
): StopBehaviour {
  if (behavior === 'run_llm_again') return 'run_llm_again';
  if (behavior === 'stop_on_first_tool') {
    return ({ messages }) => {
      sink.decideFinal(lastResults(messages));
      return true;
    };
  }
  if (typeof behavior === 'object') {
    const names = behavior.stopAtToolNames;
    return ({ messages }) => {
      const hit = lastResults(messages).filter((r) => names.includes(r.toolName));
      if (hit.length === 0) return false;
      sink.decideFinal(hit);
      return true;
    };
  }
  return ({ messages }) => {
    const results = lastResults(messages);
    const verdict = behavior(context(), results);
    if (!verdict.isFinalOutput) return false;
    sink.decideFinal(results, verdict.finalOutput);
    return true;
  };
}
