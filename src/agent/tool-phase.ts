import { AbortError } from '../errors/abort-error.js';
import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, Message, ToolResultMessage } from '../types/message.js';
import { Channel } from './channel.js';
import type { AgentEvent } from './events.js';
import type { LoopState } from './loop-state.js';
import { runToolBatch } from './tool-batch.js';

/**
 * Runs the tool calls of one assistant message, adds the results in the model's order, delivers steering
 * messages, and applies the stop behaviours. Returns `continue` to call the model again, or `stop`.
 */
export async function* runToolPhase<Ctx>(
  state: LoopState<Ctx>,
  assistant: AssistantMessage,
  calls: ToolCall[],
): AsyncGenerator<AgentEvent, 'continue' | 'stop', undefined> {
  const { config } = state;
  const tools = config.tools ?? [];
  const channel = new Channel<AgentEvent>();
  let steering: Message[] = [];
  const takeSteering = async (): Promise<boolean> => {
    if (steering.length === 0 && config.getSteeringMessages) steering = await config.getSteeringMessages();
    return steering.length > 0;
  };
  const sequential = calls.some((c) => tools.find((t) => t.name === c.name)?.executionMode === 'sequential');
  const batch = runToolBatch({
    calls,
    tools,
    hooks: config.hooks,
    mode: config.toolExecution ?? (sequential ? 'sequential' : 'parallel'),
    messages: state.llmView(),
    signal: state.signal,
    context: config.context as Ctx,
    events: channel,
    steered: takeSteering,
  }).finally(() => channel.close());
  for await (const event of channel) yield event;
  const toolResults: ToolResultMessage[] = [];
  let terminate = true;
  for (const item of await batch) {
    toolResults.push(item.message);
    terminate &&= item.terminate;
    yield* state.deliver(item.message);
  }
  yield { type: 'turn_end', turn: state.result.turns, message: assistant, toolResults };
  if (state.signal.aborted) throw new AbortError('The run was aborted during tool execution.');
  await takeSteering();
  for (const message of steering) yield* state.deliver(message);
  if (steering.length > 0) return 'continue';
  const names = calls.map((c) => c.name);
  const stopWhen = config.stopWhen ?? 'run_llm_again';
  const stop =
    terminate ||
    stopWhen === 'stop_on_first_tool' ||
    (typeof stopWhen === 'object' && names.some((n) => stopWhen.stopAtTools.includes(n))) ||
    (typeof stopWhen === 'function' &&
      stopWhen({ toolNames: names, messages: state.transcript, turn: state.result.turns }));
  return stop ? 'stop' : 'continue';
}
