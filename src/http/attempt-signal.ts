import type { RequestSignal } from './transport.js';

/**
 * The abort state of one attempt: a {@link RequestSignal} without an `EventTarget` (an `AbortController`
 * with its `AbortSignal` costs about 1 KB per open stream on Node; this costs a few fields). Listeners
 * run once, in the order added, when {@link AttemptSignal.abort} is first called.
 */
export class AttemptSignal implements RequestSignal {
  #aborted = false;
  #reason: unknown;
  #listeners: (() => void)[] | undefined;
  /** Made only for a `fetch` transport, which needs a real `AbortSignal`. */
  #controller: AbortController | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.#aborted) return;
    this.#listeners ??= [];
    this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    const index = listeners.indexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }

  /** Aborts with `reason` (default: an `AbortError` DOMException, as `AbortController.abort()`). Idempotent. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.#controller?.abort(this.#reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  /** A real `AbortSignal` aborted with this one (made once, on first use). */
  toAbortSignal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }
}
