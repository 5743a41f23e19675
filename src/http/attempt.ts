/**
 * One HTTP attempt of a model call: its own abort signal (aborted by the caller's signal, by the call's
 * time limits through `abort`, or when the attempt is closed), the body reader, and whether a body byte has arrived (after which
 * the attempt is never retried). The driver creates one per attempt and closes it on every path.
 */

import { AbortError } from '../errors/abort-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { AttemptSignal } from './attempt-signal.js';
import { isAbortLike, systemErrorCode } from './post.js';
import { redactSecrets } from './redact.js';
import type { BodyReader } from './transport.js';

/** Resources of one attempt. */
export class Attempt {
  /** Aborts this attempt's request and body read. */
  readonly signal = new AttemptSignal();
  /** The body reader, once the response arrived. */
  reader: BodyReader | undefined;
  /** Bytes of a 2xx body received so far; once above 0 the attempt is not retried. */
  bytes = 0;
  /** The body was read to its end. */
  bodyDone = false;
  readonly #parent: AbortSignal | undefined;
  readonly #onParent: (() => void) | undefined;
  #closed = false;

  /**
   * @param parent - the caller's signal, if any; it aborts this attempt with its reason. (The call's time
   *   limits abort the attempt through {@link Attempt.abort}.)
   */
  constructor(parent: AbortSignal | undefined) {
    this.#parent = parent;
    if (parent === undefined) return;
    if (parent.aborted) this.signal.abort(parent.reason);
    else {
      this.#onParent = () => this.signal.abort(parent.reason);
      parent.addEventListener('abort', this.#onParent, { once: true });
    }
  }

  /** Aborts this attempt (its request and body read) with `reason`. */
  abort(reason: unknown): void {
    this.signal.abort(reason);
  }

  /** True once a body byte of a successful response arrived. */
  get received(): boolean {
    return this.bytes > 0;
  }

  /**
   * Releases everything: the listener on the caller's signal and, unless the body was read to
   * its end, the request itself (abort + cancel, which closes the socket). Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#onParent) this.#parent?.removeEventListener('abort', this.#onParent);
    if (!this.bodyDone) {
      this.signal.abort();
      this.reader?.cancel().catch(() => {});
    }
  }

  /**
   * The typed error for a failure of this attempt: the timeout that aborted it, an {@link AbortError} for
   * the caller's abort, the SDK error as thrown, or a {@link ConnectionError} when the connection broke
   * while the body was being read (undici "terminated" / "other side closed", `ECONNRESET`).
   */
  classify(error: unknown, url: string, secrets: readonly string[]): SdkError {
    const signal = this.signal;
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (TimeoutError.isInstance(reason)) return reason;
      return AbortError.isInstance(error) ? error : new AbortError('The request was aborted.');
    }
    if (SdkError.isInstance(error)) return error;
    if (isAbortLike(error)) return new AbortError('The request was aborted.');
    const code = systemErrorCode(error);
    const detail = redactSecrets(messageChain(error), secrets);
    if (this.reader !== undefined) {
      return new ConnectionError(
        `The connection to ${url} broke after ${this.bytes} bytes of the response (${detail}); the partial response is kept. The server may have crashed or restarted; send the request again.`,
        { url, ...(code !== undefined && { code }) },
      );
    }
    return new SdkError(detail || 'The request failed.');
  }
}

/** `message` of an error and its causes, joined (`terminated: other side closed`). */
function messageChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === 'string' && text.length > 0 && !parts.includes(text)) parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0 && typeof error === 'string') parts.push(error);
  return parts.join(': ').slice(0, 300);
}
