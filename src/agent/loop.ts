import { AbortError } from '../errors/abort-error.js';
import { MaxTurnsError } from '../errors/max-turns-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { ResultStream } from '../stream/result-stream.js';
import type { AssistantMessage, Message, UserMessage } from '../types/message.js';
import { emptyUsage } from '../types/usage.js';
import { type AgentLoopConfig, type AgentMessage, DEFAULT_MAX_TURNS } from './config.js';
import type { AgentEvent, AgentRunResult } from './events.js';
import { runModelTurn } from './model-turn.js';
import { stopOrFollowUp, submitPrompts } from './prompts.js';
import { RunState } from './run-state.js';
import { runToolPhase } from './tool-phase.js';

/** A running agent: its events, and the run's result. */
export type AgentRun = ResultStream<AgentEvent, AgentRunResult>;

/** Input of {@link agentLoop}. */
export interface AgentLoopInput<Ctx = unknown> {
  /** New user prompts for this run (may be empty to continue from the transcript). */
  prompts: (string | UserMessage)[];
  /** The transcript so far (not modified; new messages are in the result and events). */
  messages: AgentMessage[];
  config: AgentLoopConfig<Ctx>;
  /** Aborts the run: the HTTP stream closes at once and running tools get the abort. */
  signal?: AbortSignal;
}

/**
 * The pure agent loop: prompts → model call → tools → model call … until the model stops, a stop
 * behaviour or a hook ends it, the turn limit is reached (`MaxTurnsError`), or the signal aborts.
 * Every facade (`Agent`, `query`, `Client`, the CLI) is a thin layer over this function.
 *
 * Never throws: failures end the run with `result.error` and the events still end with `agent_end`. Tool
 * calls are executed only when their arguments are complete JSON that passes the tool's schema.
 */
export function agentLoop<Ctx = unknown>(input: AgentLoopInput<Ctx>): AgentRun {
  const result: AgentRunResult = { messages: [], stopReason: 'stop', usage: emptyUsage(), turns: 0 };
  return new ResultStream<AgentEvent, AgentRunResult>(
    run(input, result),
    (e) => e.type === 'agent_end',
    () => result,
  );
}

async function* run<Ctx>(
  input: AgentLoopInput<Ctx>,
  result: AgentRunResult,
): AsyncGenerator<AgentEvent | AgentEvent[], void, undefined> {
  const state = new RunState<Ctx>(input, result);
  yield { type: 'agent_start' };
  try {
    if (yield* submitPrompts(state, input.prompts)) yield* turns(state);
  } catch (error) {
    result.error = SdkError.isInstance(error)
      ? error
      : new SdkError(error instanceof Error ? error.message : String(error));
    if (AbortError.isInstance(error)) result.stopReason = 'aborted';
  }
  if (result.error) yield { type: 'error', error: result.error };
  yield { type: 'agent_end', result };
}

/** Model calls and tool batches until something ends the run. */
async function* turns<Ctx>(state: RunState<Ctx>): AsyncGenerator<AgentEvent | AgentEvent[], void, undefined> {
  const { config, result } = state;
  const maxTurns = config.maxTurns ?? DEFAULT_MAX_TURNS;
  for (;;) {
    if (state.signal.aborted) throw new AbortError('The run was aborted.');
    if (result.turns >= maxTurns) {
      throw new MaxTurnsError(`The agent reached its limit of ${maxTurns} model calls.`, { maxTurns });
    }
    const assistant = yield* runModelTurn(state);
    if (assistant.stopReason === 'error' || assistant.stopReason === 'aborted') {
      // Keep the provider's typed error (ApiError, ConnectionError, TimeoutError, ...) when there is one.
      const typed = SdkError.isInstance(state.streamError) ? state.streamError : undefined;
      result.error =
        typed ??
        (assistant.stopReason === 'aborted'
          ? new AbortError(assistant.errorMessage)
          : new SdkError(assistant.errorMessage ?? 'The model call failed.'));
      yield turnEnd(state, assistant);
      return;
    }
    const calls = assistant.content.filter((b) => b.type === 'toolCall');
    if (calls.length > 0 && config.autoExecuteTools !== false && result.turns >= maxTurns) {
      // The last allowed call asked for tools: they are not run, since no model call would see the results.
      yield turnEnd(state, assistant);
      throw new MaxTurnsError(
        `The agent reached its limit of ${maxTurns} model calls while the model still asked for tools; the last calls were not executed.`,
        { maxTurns },
      );
    }
    if (calls.length === 0 || config.autoExecuteTools === false) {
      yield turnEnd(state, assistant);
      if (calls.length > 0) return; // manual tool mode: the caller answers the calls
      if (yield* stopOrFollowUp(state, assistant)) continue;
      return;
    }
    const outcome = yield* runToolPhase(state, assistant, calls);
    if (outcome === 'continue') continue;
    return;
  }
}

function turnEnd(state: RunState<unknown>, message: AssistantMessage): AgentEvent {
  return { type: 'turn_end', turn: state.result.turns, message, toolResults: [] };
}

/** The last assistant message of a transcript, if any. */
export function lastAssistant(messages: readonly AgentMessage[]): AssistantMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'assistant') return m;
  }
  return undefined;
}

export type { Message };
