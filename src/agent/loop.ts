import { AbortError } from '../errors/abort-error.js';
import { MaxTurnsError } from '../errors/max-turns-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { finalOutputStep } from '../output/final-output.js';
import { ResultStream } from '../stream/result-stream.js';
import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, Message, ToolResultMessage, UserMessage } from '../types/message.js';
import { emptyUsage } from '../types/usage.js';
import { type AgentLoopConfig, type AgentMessage, DEFAULT_MAX_TURNS } from './config.js';
import type { LoopController } from './controller.js';
import type { AgentEvent, AgentEventBody, AgentRunResult } from './events.js';
import { LoopState } from './loop-state.js';
import { runModelTurn } from './model-turn.js';
import { stopOrFollowUp, submitPrompts } from './prompts.js';
import { unansweredCalls } from './run-log.js';
import type { RunState } from './run-state.js';
import { runToolPhase } from './tool-phase.js';
import { resolveTools } from './tool-resolution.js';

/** A running agent: its events, and the run's result. */
export type AgentRun = ResultStream<AgentEvent, AgentRunResult>;

/** Sees every event of a run, whoever iterates (tracing, logs, UIs). Called in order; errors are ignored. */
export type RunObserver = (event: AgentEvent) => void;

/**
 * Sees every event of a run and may make the run wait: a returned promise is awaited before the run goes on
 * (one event at a time); a rejection fails the run with that error. Return `undefined` to let the event pass
 * at once. Used for `runHooks` (src/multi).
 */
export type EventHook = (event: AgentEvent) => Promise<void> | undefined;

/** Input of {@link agentLoop}. */
export interface AgentLoopInput<Ctx = unknown> {
  /** New user prompts for this run (may be empty to continue from the transcript). */
  prompts: (string | UserMessage)[];
  /** The transcript so far (not modified; new messages are in the result and events). Ignored with `runState`. */
  messages: AgentMessage[];
  config: AgentLoopConfig<Ctx>;
  /** Aborts the run: the HTTP stream closes at once and running tools get the abort. */
  signal?: AbortSignal;
  /** The run log to go on from (resume); its messages are the transcript. @default a new log over `messages` */
  runState?: RunState;
  /** Name of the agent, for events and the log. @default 'agent' */
  agentName?: string;
  /** See every event, whoever iterates. */
  observers?: readonly RunObserver[];
  /** Writes the log's new entries at each checkpoint (a session). */
  persist?: (log: RunState) => Promise<void>;
  /** Id of the session the run reads and writes, if any: sent on `agent_start` (tracing's conversation id). */
  sessionId?: string;
  /** Checkpoints of a multi-agent run (src/multi): guardrails, handoffs, nested runs. */
  controller?: LoopController<Ctx>;
  /** Awaited on every event before the run goes on (run hooks); absent: no per-event work for it. */
  eventHook?: EventHook;
}

/**
 * The pure agent loop: prompts → model call → tools → model call … until the model stops, a stop
 * behaviour or a hook ends it, a call needs approval (`interrupted`), the turn limit is reached
 * (`MaxTurnsError`), or the signal aborts. Every facade (`run`, `Agent`, `query`, `Client`, the CLI) is a
 * thin layer over it. A transcript whose last assistant message has unanswered tool calls resumes with them.
 *
 * Never throws: failures end the run with `result.error` and the events still end with `agent_end`. Tool
 * calls are executed only when their arguments are complete JSON that passes the tool's schema.
 */
export function agentLoop<Ctx = unknown>(input: AgentLoopInput<Ctx>): AgentRun {
  const result = newResult();
  const isEnd = (e: AgentEvent): boolean => e.type === 'agent_end';
  if (input.eventHook)
    return new ResultStream<AgentEvent, AgentRunResult>(loopEvents(input, result), isEnd, () => result);
  // Without an event hook the stream stamps each batch as it arrives: no iterator layer (and no promise per
  // step) between the loop's generator and the consumer.
  let stamp: ((event: AgentEventBody) => AgentEvent) | undefined;
  const bodies = lazyIterator(() => {
    const started = startRun(input, result);
    stamp = started.stamp;
    return started.bodies;
  });
  return new ResultStream<AgentEvent, AgentRunResult>(
    bodies as unknown as Stamped,
    isEnd,
    () => result,
    (event) => (stamp as (event: AgentEventBody) => AgentEvent)(event),
  );
}

/**
 * The session id as `streamOptions.promptCacheKey` (prompt-cache affinity where the compat profile sends
 * `prompt_cache_key`), unless the caller set a key.
 */
function withPromptCacheKey<Ctx>(input: AgentLoopInput<Ctx>): AgentLoopInput<Ctx> {
  const { sessionId, config } = input;
  if (sessionId === undefined || config.streamOptions?.promptCacheKey !== undefined) return input;
  return {
    ...input,
    config: { ...config, streamOptions: { ...config.streamOptions, promptCacheKey: sessionId } },
  };
}

/** An empty result (filled by the loop). */
export function newResult(): AgentRunResult {
  return {
    messages: [],
    stopReason: 'stop',
    usage: emptyUsage(),
    turns: 0,
    runId: '',
    status: 'running',
    interruptions: [],
    state: undefined as unknown as RunState,
  };
}

/** What the loop yields before stamping, and after. */
type Bodies = AsyncGenerator<AgentEventBody | AgentEventBody[], void, undefined>;
type Stamped = AsyncGenerator<AgentEvent | AgentEvent[], void, undefined>;

/** A started run: its state, its generator of event bodies, and the stamp of its events. */
interface Started<Ctx> {
  readonly state: LoopState<Ctx>;
  readonly bodies: Bodies;
  readonly stamp: (event: AgentEventBody) => AgentEvent;
}

function startRun<Ctx>(input: AgentLoopInput<Ctx>, result: AgentRunResult): Started<Ctx> {
  const state = new LoopState<Ctx>(withPromptCacheKey(input), result);
  return {
    state,
    bodies: run(state, input.prompts, input.sessionId),
    stamp: stamper(state, input.observers ?? []),
  };
}

/**
 * An iterator that makes the one it stands for on the first `next()` (lazy like a generator: nothing runs
 * before), then passes `next`, `return` and `throw` straight through.
 */
function lazyIterator<T>(make: () => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
  let inner: AsyncGenerator<T, void, undefined> | undefined;
  const iterator: AsyncGenerator<T, void, undefined> = {
    next: () => {
      try {
        inner ??= make();
        return inner.next();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    // Before the first step there is nothing to close, as with a generator that has not started.
    return: (value) =>
      inner === undefined ? Promise.resolve({ done: true, value: undefined }) : inner.return(value),
    throw: (error) => (inner === undefined ? Promise.reject(error) : inner.throw(error)),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * The loop's events, each stamped with the run id, agent and turn, and shown to the observers. Lazy like
 * a generator: nothing runs before the first `next()`. Without an event hook it is a plain iterator over
 * the loop's generator (one `then` per step) rather than one more async-generator layer, which cost
 * about five promises per event on the agent loop's hot path.
 */
export function loopEvents<Ctx>(input: AgentLoopInput<Ctx>, result: AgentRunResult): Stamped {
  return lazyIterator(() => {
    const { state, bodies, stamp } = startRun(input, result);
    return input.eventHook ? hooked(state, bodies, input.eventHook, stamp) : stampedEvents(bodies, stamp);
  });
}

/** Stamps an event's run id, agent, path and turn (unless it has them: a nested run's forwarded event, or one made stamped) and shows it to the observers. */
function stamper<Ctx>(
  state: LoopState<Ctx>,
  observers: readonly RunObserver[],
): (event: AgentEventBody) => AgentEvent {
  const { log, result } = state;
  return (event) => {
    const e = event as AgentEvent;
    if (e.runId === undefined) {
      e.runId = log.runId;
      e.agent = log.agentName;
      e.turn = result.turns;
      e.agentPath = state.agentPath();
    }
    if (observers.length === 0) return e;
    for (const observe of observers) {
      try {
        observe(e);
      } catch {
        // an observer's failure never changes the run
      }
    }
    return e;
  };
}

/** `bodies` with every event stamped in place as it passes: `next`, `return` and `throw` go straight through. */
function stampedEvents(bodies: Bodies, stamp: (event: AgentEventBody) => AgentEvent): Stamped {
  const map = (
    step: IteratorResult<AgentEventBody | AgentEventBody[], void>,
  ): IteratorResult<AgentEvent | AgentEvent[], void> => {
    if (step.done !== true) {
      const item = step.value;
      if (Array.isArray(item)) for (const event of item) stamp(event);
      else stamp(item);
    }
    return step as IteratorResult<AgentEvent | AgentEvent[], void>;
  };
  const iterator: Stamped = {
    next: () => bodies.next().then(map),
    return: (value) => bodies.return(value).then(map),
    throw: (error) => bodies.throw(error).then(map),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * The loop's events with an {@link EventHook} awaited on each (after the observers saw it, before it is
 * yielded). A hook's failure is thrown into the loop where it stands, which ends the run `failed` with it
 * (its `error` and `agent_end` events follow); a failure on `agent_end` (the run is over) fails its result.
 */
async function* hooked<Ctx>(
  state: LoopState<Ctx>,
  events: Bodies,
  hook: EventHook,
  stamp: (event: AgentEventBody) => AgentEvent,
): AsyncGenerator<AgentEvent | AgentEvent[], void, undefined> {
  const { result } = state;
  try {
    let next = await events.next();
    while (!next.done) {
      const item = next.value;
      const batch = Array.isArray(item) ? (item as AgentEventBody[]) : [item];
      let failure: unknown;
      for (const body of batch) {
        const event = stamp(body);
        if (failure !== undefined) continue;
        try {
          await hook(event);
        } catch (error) {
          failure = error;
          if (event.type === 'agent_end') {
            yield* endFailed(state, error, stamp);
            yield event;
            return;
          }
        }
      }
      yield Array.isArray(item) ? (item as AgentEvent[]) : (item as AgentEvent);
      if (failure === undefined) {
        next = await events.next();
        continue;
      }
      try {
        next = await events.throw(failure);
      } catch {
        // the loop was past its last step: the run ends here, failed
        yield* endFailed(state, failure, stamp);
        yield stamp({ type: 'agent_end', result });
        return;
      }
    }
  } finally {
    await events.return(undefined);
  }
}

/** Fails a run that already ended (its last checkpoint is written again) and yields the `error` event. */
async function* endFailed<Ctx>(
  state: LoopState<Ctx>,
  error: unknown,
  stamp: (event: AgentEventBody) => AgentEvent,
): AsyncGenerator<AgentEvent, void, undefined> {
  const { result } = state;
  result.error ??= SdkError.isInstance(error)
    ? error
    : new SdkError(error instanceof Error ? error.message : String(error));
  result.status = 'failed';
  state.log.status = 'failed';
  try {
    await state.checkpoint();
  } catch {
    // the store's failure does not hide the hook's
  }
  yield stamp({ type: 'error', error: result.error });
}

async function* run<Ctx>(
  state: LoopState<Ctx>,
  prompts: (string | UserMessage)[],
  sessionId: string | undefined,
): AsyncGenerator<AgentEventBody | AgentEventBody[], void, undefined> {
  const { result } = state;
  try {
    yield sessionId === undefined ? { type: 'agent_start' } : { type: 'agent_start', sessionId };
    if (yield* submitPrompts(state, prompts)) {
      if (prompts.length > 0 && state.persists) await state.checkpoint();
      yield* turns(state, prompts.length > 0);
    }
  } catch (error) {
    result.error = SdkError.isInstance(error)
      ? error
      : new SdkError(error instanceof Error ? error.message : String(error));
    if (AbortError.isInstance(error)) result.stopReason = 'aborted';
  }
  result.status = statusOf(result);
  state.log.status = result.status;
  try {
    if (state.persists) await state.checkpoint();
  } catch (error) {
    if (!result.error) result.error = SdkError.isInstance(error) ? error : new SdkError(String(error));
    result.status = 'failed';
  }
  if (result.interruptions.length > 0) yield { type: 'interrupted', interruptions: result.interruptions };
  if (result.error) yield { type: 'error', error: result.error };
  yield { type: 'agent_end', result };
}

function statusOf(result: AgentRunResult): AgentRunResult['status'] {
  if (result.blockedReason !== undefined) return 'blocked';
  if (result.error) return AbortError.isInstance(result.error) ? 'aborted' : 'failed';
  if (result.interruptions.length > 0) return 'interrupted';
  return 'completed';
}

/** True when the transcript ends with a finished answer (nothing to continue). */
function finished(messages: readonly AgentMessage[]): boolean {
  const last = messages.findLast((m) => m.role !== 'custom');
  return last?.role === 'assistant' && last.stopReason !== 'error' && last.stopReason !== 'aborted';
}

/** Model calls and tool batches until something ends the run. */
async function* turns<Ctx>(
  state: LoopState<Ctx>,
  hasInput: boolean,
): AsyncGenerator<AgentEventBody | AgentEventBody[], void, undefined> {
  const { config, result } = state;
  const maxTurns = config.maxTurns ?? DEFAULT_MAX_TURNS;
  const pending = unansweredCalls(state.transcript);
  if (pending.assistant && pending.calls.length > 0) {
    // Resume: answer the calls the log has no result for (approved, rejected, or never checkpointed).
    state.tools = await resolveTools(state);
    if ((yield* toolPhase(state, pending.assistant, pending.calls)) !== 'continue') return;
  } else if (!hasInput && finished(state.transcript)) return;
  const gate = hasInput ? state.controller?.inputGate?.(state) : undefined;
  if (gate?.blocking) await gate.wait();
  for (;;) {
    if (state.signal.aborted) throw new AbortError('The run was aborted.');
    if (result.turns >= maxTurns) {
      throw new MaxTurnsError(`The agent reached its limit of ${maxTurns} model calls.`, { maxTurns });
    }
    // Without tool sources the tools are known at once: no promise per turn.
    const tools = resolveTools(state);
    state.tools = Array.isArray(tools) ? tools : await tools;
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
    if (gate && !gate.blocking) await gate.wait(); // parallel input guardrails: nothing runs before they pass
    if (calls.length === 0) {
      yield turnEnd(state, assistant);
      const checked = state.controller?.onFinalAnswer?.(state, assistant);
      if (checked) await checked;
      if (config.finalOutput && (yield* finalOutputStep(state, config.finalOutput, assistant)) === 'continue')
        continue;
      if (yield* stopOrFollowUp(state, assistant)) continue;
      return;
    }
    // A single agent has no checkpoints around its tools: one generator layer less per event.
    const outcome = state.controller
      ? yield* toolPhase(state, assistant, calls)
      : yield* runToolPhase(state, assistant, calls);
    if (outcome === 'continue') continue;
    return;
  }
}

/** A tool phase with the controller's checkpoints around it (checks before; handoffs after). */
async function* toolPhase<Ctx>(
  state: LoopState<Ctx>,
  assistant: AssistantMessage,
  calls: ToolCall[],
): AsyncGenerator<AgentEventBody, 'continue' | 'stop' | 'interrupted', undefined> {
  const controller = state.controller;
  const before = controller?.beforeTools?.(state, calls);
  if (before) await before;
  const outcome = yield* runToolPhase(state, assistant, calls);
  if (outcome === 'interrupted' || !controller?.afterTools) return outcome;
  const ids = new Set(calls.map((c) => c.id));
  const results = state.transcript.filter(
    (m): m is ToolResultMessage => m.role === 'toolResult' && ids.has(m.toolCallId),
  );
  return (yield* controller.afterTools(state, results)) ?? outcome;
}

function turnEnd<Ctx>(state: LoopState<Ctx>, message: AssistantMessage): AgentEventBody {
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
