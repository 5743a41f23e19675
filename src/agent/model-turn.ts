import { checkContextBudget, contextOverflowEvent } from '../context/window.js';
import { stream as defaultStream } from '../stream.js';
import type { Context } from '../types/context.js';
import type { AssistantMessage, Message } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { addUsage } from '../types/usage.js';
import type { AgentEvent, AgentEventBody } from './events.js';
import type { LoopState } from './loop-state.js';
import { modelCallInfo } from './model-call-info.js';
import { repairAlternation } from './repair.js';
import type { CallTiming } from './run-log.js';

/**
 * One model call: `prepareNextTurn`, `transformContext` and `convertToLlm` shape the request, the provider
 * events are forwarded as `message_update`, and the final assistant message joins the transcript. The
 * forwarded events go out in batches, one per batch of the model stream (one await per body chunk instead
 * of one per delta; the run's stream hands them out one by one).
 */
export async function* runModelTurn<Ctx>(
  state: LoopState<Ctx>,
): AsyncGenerator<AgentEventBody | AgentEventBody[], AssistantMessage, undefined> {
  const { config, result } = state;
  const turn = ++result.turns;
  yield { type: 'turn_start', turn };
  const prepared = config.prepareNextTurn
    ? await config.prepareNextTurn({ turn, messages: state.transcript, model: state.model })
    : undefined;
  if (prepared?.model) state.model = prepared.model;
  const view = config.transformContext
    ? await config.transformContext([...state.transcript], state.signal)
    : state.transcript;
  const messages: Message[] = repairAlternation(
    config.convertToLlm
      ? await config.convertToLlm([...view])
      : view.filter((m): m is Message => m.role !== 'custom'),
  );
  const systemPrompt = config.instructions
    ? await config.instructions({
        runId: state.log.runId,
        agentName: state.log.agentName,
        turn,
        context: config.context as Ctx,
      })
    : config.systemPrompt;
  // A structured-output repair turn on a server that cannot combine a grammar with tools goes without tools.
  const withoutTools = state.withoutToolsOnce;
  state.withoutToolsOnce = false;
  const request: Context = {
    ...(systemPrompt !== undefined && { systemPrompt }),
    messages,
    tools: withoutTools ? [] : state.tools.map((t) => t.spec),
  };
  const overflow = overflowOf(state.model, request, config.streamOptions?.maxTokens, turn);
  if (overflow) yield overflow;
  const streamFn = config.streamFn ?? defaultStream;
  const sentAt = Date.now();
  let firstChunkMs: number | undefined;
  let retries = 0;
  // Object.assign, not a literal that starts with a spread: on Node 20 (V8 11) that gives every object a
  // map of its own (about 0.5 µs, and every later read of the options is megamorphic).
  const options: StreamOptions = Object.assign({}, config.streamOptions);
  options.signal = state.signal;
  if (prepared?.reasoning !== undefined) options.reasoning = prepared.reasoning;
  const modelStream = streamFn(state.model, request, options);
  const info = modelCallInfo(state.model, config.streamOptions);
  yield { type: 'message_start', message: modelStream.partial, request: info };
  const partial = modelStream.partial;
  // Updates are most of a run's events: made stamped (one object shape, no properties added later).
  const { runId, agentName: agent } = state.log;
  const agentPath = state.agentPath();
  for await (const batch of modelStream.batches()) {
    const out: AgentEventBody[] = [];
    for (const event of batch) {
      if (event.type === 'retry') {
        const { attempt, delayMs, reason, error } = event;
        retries++;
        out.push({ type: 'retry', turn, attempt, delayMs, reason, error });
      } else if (event.type === 'queued') {
        const { position, limit, origin } = event;
        out.push({ type: 'queued', turn, position, limit, origin });
      } else {
        if (firstChunkMs === undefined && isContentChunk(event.type)) firstChunkMs = Date.now() - sentAt;
        if (event.type === 'error') state.streamError = event.error;
        const update: AgentEvent = {
          type: 'message_update',
          message: partial,
          event,
          runId,
          agent,
          turn,
          agentPath,
        };
        out.push(update);
      }
    }
    yield out;
  }
  const assistant = await modelStream.result();
  const timing: CallTiming = { startMs: sentAt, endMs: Date.now() };
  if (info.serverAddress !== undefined)
    timing.server =
      info.serverPort === undefined ? info.serverAddress : `${info.serverAddress}:${info.serverPort}`;
  if (firstChunkMs !== undefined) timing.firstChunkMs = firstChunkMs;
  if (retries > 0) timing.retries = retries;
  state.add(assistant, false, timing);
  result.lastMessage = assistant;
  result.stopReason = assistant.stopReason;
  result.usage = addUsage(result.usage, assistant.usage);
  if (state.persists) await state.checkpoint();
  yield {
    type: 'message_end',
    message: assistant,
    ...(firstChunkMs !== undefined && { firstChunkMs }),
  };
  return assistant;
}

/** A text, thinking or tool-call start or delta: the first one is the time to first token. */
function isContentChunk(type: string): boolean {
  return type !== 'start' && (type.endsWith('_delta') || type.endsWith('_start'));
}

/**
 * The `context_overflow` event when the request is estimated over the model's window, else undefined.
 * Skipped (no estimate) when the model record has no `contextWindow`; the estimate is linear in the request.
 */
function overflowOf(
  model: Model,
  request: Context,
  maxTokens: number | undefined,
  turn: number,
): AgentEventBody | undefined {
  if (model.contextWindow === undefined || model.contextWindow <= 0) return undefined;
  const budget = checkContextBudget(model, request, {
    ...(maxTokens !== undefined && { reserveOutputTokens: maxTokens }),
  });
  return contextOverflowEvent(budget, turn);
}
