/**
 * THE ONE ADAPTER between the embedded engine and the SDK's stream contract.
 *
 * The engine (`generate.ts`) is an event source: it yields provider-level {@link EngineEvent}s. This file
 * feeds them to the shared {@link MessageBuilder} (the same event grammar, tool-call assembly, limits and
 * usage pricing every HTTP provider uses) and wraps the result in the shared {@link AssistantStream}.
 *
 * When the provider seam (issue 12, `src/stream/`) lands, this file is where the engine is connected to
 * its transport-agnostic driver instead: `streamLlamaCpp` becomes "driver(model, options, source)". No
 * other engine file depends on how events are assembled.
 */
import { AbortError } from '../../errors/abort-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { SdkError } from '../../errors/sdk-error.js';
import { AssistantStream } from '../../providers/shared/assistant-stream.js';
import { MessageBuilder, type ToolCallState } from '../../providers/shared/message-builder.js';
import type { Context } from '../../types/context.js';
import type { AssistantEvent } from '../../types/events.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { EngineError } from './errors.js';
import type { EngineEvent } from './events.js';
import { generate, prepareGeneration } from './generate.js';
import { isLlamaCppModel } from './model.js';

/** Applies one engine event to the builder. Returns true for the terminal `finish`. */
function apply(builder: MessageBuilder, calls: Map<number, ToolCallState>, event: EngineEvent): boolean {
  switch (event.type) {
    case 'text':
      builder.text(event.delta);
      return false;
    case 'thinking':
      builder.thinking(event.delta);
      return false;
    case 'toolcall_start':
      calls.set(event.index, builder.startToolCall(undefined, event.name, event.index));
      return false;
    case 'toolcall_args': {
      const call = calls.get(event.index);
      if (call) builder.toolCallArguments(call, event.delta);
      return false;
    }
    case 'toolcall_end': {
      const call = calls.get(event.index);
      if (call) builder.endToolCall(call);
      return false;
    }
    case 'usage': {
      const { input, cacheRead, output } = event.usage;
      builder.setUsage({ input, output, cacheRead, cacheWrite: 0, total: input + cacheRead + output });
      return false;
    }
    case 'finish':
      builder.finish({
        stopReason: builder.toolCalls.length > 0 ? 'toolUse' : event.reason,
        rawStopReason: event.raw,
      });
      return true;
  }
}

async function* drive(
  builder: MessageBuilder,
  model: Model,
  context: Context,
  options: StreamOptions,
): AsyncGenerator<AssistantEvent[], void, undefined> {
  let events: AsyncGenerator<EngineEvent[], void, undefined> | undefined;
  let started = false;
  try {
    if (!isLlamaCppModel(model))
      throw new InvalidArgumentError('The llama-cpp provider needs a model record with a GGUF `path`.', {
        argument: 'model.path',
      });
    const prepared = prepareGeneration(context, options);
    builder.start(prepared.warnings);
    started = true;
    yield builder.drain();
    const calls = new Map<number, ToolCallState>();
    events = generate(model, prepared, options);
    for await (const batch of events) {
      for (const event of batch) apply(builder, calls, event);
      yield builder.drain();
    }
    if (!builder.finished) throw new EngineError('The embedded engine ended without a stop reason.');
  } catch (error) {
    if (!started) builder.start([]);
    const stopped = options.signal?.aborted === true;
    const aborted = AbortError.isInstance(error) || (stopped && !SdkError.isInstance(error));
    const err = aborted && !AbortError.isInstance(error) ? new AbortError() : toError(error);
    builder.fail(aborted ? 'aborted' : 'error', err);
    yield builder.drain();
  } finally {
    await events?.return(undefined);
    if (!builder.finished) {
      builder.message.stopReason = 'aborted';
      builder.message.errorMessage = 'The consumer stopped reading the stream before it ended.';
    }
  }
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new EngineError(`The embedded engine failed: ${String(error)}`);
}

/**
 * Streams one call on the embedded engine: the `stream()` contract (`start` with warnings, block events,
 * exactly one terminal `done` or `error`; never throws; abort and early `return()` keep the partial
 * content and leave the engine ready for the next call).
 *
 * Usage is in tokens (`input` evaluated, `cacheRead` reused from the KV cache, `output` generated).
 * Stop reasons: `stop`, `length` (`maxTokens`), `toolUse`; `maxTokens` reached inside a tool call is an
 * `error` ({@link EngineError}), never a silently dropped call.
 */
export function streamLlamaCpp(model: Model, context: Context, options: StreamOptions = {}): AssistantStream {
  const builder = new MessageBuilder(model);
  return new AssistantStream(builder.message, drive(builder, model, context, options));
}
