import type { AssistantEvent } from '../types/events.js';
import type { AssistantMessage } from '../types/message.js';
import { type ResultSource, ResultStream } from './result-stream.js';

/**
 * The result of `stream()`: an `AsyncIterable<AssistantEvent>` that also resolves to the final message.
 *
 * - Pull-based: the HTTP body is read only as fast as the consumer iterates (backpressure).
 * - Breaking out of `for await` (or calling `return()`) cancels the HTTP request and closes the socket;
 *   `result()` then resolves to the partial message with `stopReason: 'aborted'`.
 * - Never throws while iterating: failures arrive as a terminal `error` event.
 * - Iterate at most once. `result()` may be called before, during or after iterating; when nobody
 *   iterates, it drains the events itself.
 */
export class AssistantStream extends ResultStream<AssistantEvent, AssistantMessage> {
  readonly #partial: AssistantMessage;

  /**
   * @param partial The live message the source builds (returned by `partial` and, at the end, `result()`).
   * @param source A generator that never throws and ends after a `done` or `error` event; its `finally`
   *   must release the HTTP request. It may yield events in batches (see {@link ResultStream}).
   */
  constructor(partial: AssistantMessage, source: ResultSource<AssistantEvent>) {
    super(source);
    this.#partial = partial;
  }

  /** `done` and `error` end a model call. */
  protected override isTerminal(event: AssistantEvent): boolean {
    return event.type === 'done' || event.type === 'error';
  }

  /** The message built (also after an error or abort). */
  protected override final(): AssistantMessage {
    return this.#partial;
  }

  /** The message as built so far (live object, not a copy; do not mutate). */
  get partial(): AssistantMessage {
    return this.#partial;
  }
}
