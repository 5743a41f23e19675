/**
 * The one adapter between the embedded engine and the SDK's stream contract: the engine (`generate.ts`)
 * yields provider-level {@link EngineEvent}s; {@link LlamaCppSource} applies them to the shared
 * `MessageBuilder` (event grammar, tool-call assembly, limits, usage pricing) as an `EventSource` of the
 * stream driver (`src/stream/driver.ts`), which owns start, the terminal event, abort and consumer break.
 */
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { AssistantStream } from '../../stream/assistant-stream.js';
import { driveSource, type EventSource } from '../../stream/driver.js';
import type { MessageBuilder, ToolCallState } from '../../stream/message-builder.js';
import type { Context } from '../../types/context.js';
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

/**
 * The embedded engine as an event source: the `EventSource` contract of the provider seam's stream driver
 * (`src/stream/driver.ts`, issue 12), which owns the event grammar. `open` checks the call and returns the
 * warnings (it queues nothing); `pull` runs the generation until the builder has events or the call
 * finished; `close` stops the generation (the engine finishes stopping in the background and the next call
 * on the model waits for it).
 */
export class LlamaCppSource implements EventSource {
  readonly #model: Model;
  readonly #context: Context;
  readonly #options: StreamOptions;
  readonly #calls = new Map<number, ToolCallState>();
  #events: AsyncGenerator<EngineEvent[], void, undefined> | undefined;

  constructor(model: Model, context: Context, options: StreamOptions) {
    this.#model = model;
    this.#context = context;
    this.#options = options;
  }

  /** @throws {InvalidArgumentError} for a model without `path` or a `toolChoice` naming an unknown tool. */
  open(): readonly string[] {
    const model = this.#model;
    if (!isLlamaCppModel(model))
      throw new InvalidArgumentError('The llama-cpp provider needs a model record with a GGUF `path`.', {
        argument: 'model.path',
      });
    const prepared = prepareGeneration(this.#context, this.#options);
    this.#events = generate(model, prepared, this.#options);
    return prepared.warnings;
  }

  /** @throws {AbortError} when aborted; {@link EngineError} and others as `generate` does. */
  async pull(builder: MessageBuilder): Promise<void> {
    const events = this.#events;
    if (!events) throw new EngineError('The embedded engine source was pulled before it was opened.');
    while (builder.queue.length === 0 && !builder.finished) {
      const step = await events.next();
      if (step.done) throw new EngineError('The embedded engine ended without a stop reason.');
      for (const event of step.value) apply(builder, this.#calls, event);
    }
  }

  /** Stops the generation; never throws. */
  close(): void {
    void this.#events?.return(undefined).catch(() => undefined);
  }
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
  return driveSource(model, new LlamaCppSource(model, context, options), options.signal);
}
