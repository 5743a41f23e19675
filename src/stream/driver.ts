import { AbortError } from '../errors/abort-error.js';
import { SdkError } from '../errors/sdk-error.js';
import type { AssistantEvent } from '../types/events.js';
import type { Model } from '../types/model.js';
import { AssistantStream } from './assistant-stream.js';
import { MessageBuilder } from './message-builder.js';

/**
 * The transport-specific half of one model call: an HTTP exchange (`providers/http-source.ts`), an
 * in-process engine, a WebSocket, or a script (`testing/scripted-model.ts`). The {@link StreamDriver} owns
 * the event grammar (one `start`, blocks, exactly one terminal event, abort and consumer break); the source
 * only feeds the {@link MessageBuilder}.
 *
 * Contract:
 * - `open` runs once, on the consumer's first pull. It returns the `start` warnings, or throws (the call
 *   then ends in `start` + `error`). Nothing may be queued on the builder by `open`.
 * - `pull` runs the call forward until the builder has queued events, or until the call finished
 *   (`builder.finish(...)`). It may queue `retry` events on `builder.queue` directly. It throws a typed
 *   `SdkError` to end the call; an `AbortError` ends it as `aborted` (partial content kept).
 * - `close` releases everything the source holds (timers, sockets, listeners, child work). The driver
 *   calls it exactly once: after the terminal event, or when the consumer stops early. It must not throw.
 */
export interface EventSource {
  open(builder: MessageBuilder): readonly string[] | Promise<readonly string[]>;
  pull(builder: MessageBuilder): Promise<void>;
  close(): void;
}

type Step = IteratorResult<AssistantEvent[], void>;

const DONE: Step = Object.freeze({ done: true, value: undefined }) as Step;

/** Where the call is: before `open`, running, or over (terminal event delivered, or the consumer left). */
type Phase = 'open' | 'run' | 'finished' | 'closed';

/** The terminal error of a failure: the `AbortError` for aborts, else the typed error (never a raw one). */
function terminalError(error: unknown, aborted: boolean): SdkError {
  if (aborted) return AbortError.isInstance(error) ? error : new AbortError('The request was aborted.');
  if (SdkError.isInstance(error)) return error;
  return new SdkError(error instanceof Error ? error.message : String(error));
}

/**
 * Drives one {@link EventSource} as the pull-based iterator behind an {@link AssistantStream}: every
 * `next()` runs the source forward until the builder has events and hands them over as one batch (no work
 * between pulls, no per-event promise or closure). Never rejects.
 *
 * Guarantees, whatever the source: the first event is `start` (with the warnings `open` returned); exactly
 * one terminal `done` or `error` ends the stream; a failure keeps the partial content and ends as `error`
 * (`aborted` for an `AbortError` or when `signal` aborted); breaking out of the iteration closes the source
 * and marks an unfinished message `aborted`.
 */
export class StreamDriver implements AsyncIterator<AssistantEvent[], void, undefined> {
  readonly #builder: MessageBuilder;
  readonly #source: EventSource;
  readonly #signal: AbortSignal | undefined;
  #phase: Phase = 'open';

  constructor(builder: MessageBuilder, source: EventSource, signal?: AbortSignal) {
    this.#builder = builder;
    this.#source = source;
    this.#signal = signal;
  }

  /** Runs the call until the next batch of events, or reports the end. Never rejects. */
  next(): Promise<Step> {
    if (this.#phase === 'finished' || this.#phase === 'closed') return Promise.resolve(DONE);
    return this.#phase === 'open' ? this.#open() : this.#pull();
  }

  /** The consumer stopped: closes the source, marks an unfinished message aborted. */
  return(): Promise<Step> {
    if (this.#phase !== 'closed') {
      const builder = this.#builder;
      if (!builder.finished) {
        builder.message.stopReason = 'aborted';
        builder.message.errorMessage = 'The consumer stopped reading the stream before it ended.';
      }
      const wasOpen = this.#phase !== 'finished';
      this.#phase = 'closed';
      if (wasOpen) this.#source.close();
    }
    return Promise.resolve(DONE);
  }

  async #open(): Promise<Step> {
    const builder = this.#builder;
    let warnings: readonly string[];
    try {
      warnings = await this.#source.open(builder);
    } catch (error) {
      builder.start([]);
      return this.#fail(error);
    }
    if (this.#phase === 'closed') return DONE;
    builder.start(warnings as string[]);
    this.#phase = 'run';
    return { done: false, value: builder.drain() };
  }

  async #pull(): Promise<Step> {
    const builder = this.#builder;
    try {
      await this.#source.pull(builder);
    } catch (error) {
      return this.#fail(error);
    }
    if (this.#phase === 'closed') return DONE;
    if (builder.finished) this.#finish();
    return { done: false, value: builder.drain() };
  }

  /** Any failure: the terminal `error` event (`aborted` for an abort), partial content kept. */
  #fail(error: unknown): Step {
    if (this.#phase === 'closed') return DONE;
    const aborted =
      AbortError.isInstance(error) || (this.#signal?.aborted === true && !SdkError.isInstance(error));
    const err = terminalError(error, aborted);
    this.#builder.fail(aborted ? 'aborted' : 'error', err);
    this.#finish();
    return { done: false, value: this.#builder.drain() };
  }

  #finish(): void {
    this.#phase = 'finished';
    this.#source.close();
  }
}

/**
 * Runs one model call from any {@link EventSource}: the stream `stream()` returns. Use it for a source that
 * is not HTTP (an in-process engine, a WebSocket, a script); HTTP providers get it from `defineProvider`.
 *
 * @param signal - the caller's abort signal; a failure after it aborted ends as `aborted`.
 */
export function driveSource(model: Model, source: EventSource, signal?: AbortSignal): AssistantStream {
  const builder = new MessageBuilder(model);
  return new AssistantStream(builder.message, new StreamDriver(builder, source, signal));
}

/** A source that fails at once with `error` (after `start`): unknown APIs, bad arguments. */
export class FailedSource implements EventSource {
  readonly #error: unknown;

  constructor(error: unknown) {
    this.#error = error;
  }

  open(): never {
    throw this.#error;
  }

  pull(): Promise<void> {
    return Promise.reject(this.#error);
  }

  close(): void {}
}
