/**
 * The body of a `send({ responseAs: 'stream' })` answer: the chunks as they arrive, under the call's idle
 * and total limits, with typed and redacted errors, releasing the request (socket, timers, origin slot)
 * exactly once when the body ends, fails, or the consumer stops.
 *
 * @module
 */

import { StreamParseError } from '../errors/stream-parse-error.js';
import type { Attempt } from './attempt.js';
import type { CallTimer } from './call-timer.js';
import { redactError } from './redact.js';
import type { BodyReader } from './transport.js';

/**
 * A streamed 2xx body: iterate it once (`for await`), to its end or until you break out; or call
 * {@link ResponseStream.close} to let it go unread. Errors thrown while iterating are typed SDK errors
 * (`ConnectionError`, `TimeoutError` with phase `idle` / `total`, `AbortError`, `StreamParseError` kind
 * `limit` past `maxResponseBytes`), secrets redacted.
 */
export interface ResponseStream extends AsyncIterable<Uint8Array> {
  /** Releases the request: cancels an unread body, clears the timers, frees the origin slot. Idempotent. */
  close(): void;
}

/** What a {@link ResponseStream} reads with and releases. */
export interface ResponseStreamParts {
  reader: BodyReader | undefined;
  attempt: Attempt;
  timer: CallTimer;
  /** The redacted URL, for messages. */
  url: string;
  secrets: readonly string[];
  /** Largest body, in bytes. */
  max: number;
  /** Frees the origin slot, when one is held. */
  release?: () => void;
}

/** Builds the {@link ResponseStream} of an attempt whose response headers arrived. */
export function responseStream(parts: ResponseStreamParts): ResponseStream {
  let closed = false;
  let iterated = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    parts.attempt.close();
    parts.timer.clear();
    parts.release?.();
  };
  return {
    close,
    [Symbol.asyncIterator]() {
      if (iterated) throw new TypeError('The response stream can be iterated once.');
      iterated = true;
      return readChunks(parts, close)[Symbol.asyncIterator]();
    },
  };
}

async function* readChunks(
  parts: ResponseStreamParts,
  close: () => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { reader, attempt, timer } = parts;
  try {
    if (reader === undefined) return;
    for (;;) {
      let step: Awaited<ReturnType<BodyReader['read']>>;
      try {
        step = await reader.read();
      } catch (error) {
        throw redactError(attempt.classify(error, parts.url, parts.secrets), parts.secrets);
      }
      if (step.done) break;
      timer.phase('idle');
      attempt.bytes += step.value.byteLength;
      if (attempt.bytes > parts.max) {
        throw new StreamParseError(
          `The response from ${parts.url} is larger than ${parts.max} bytes (maxResponseBytes).`,
          { kind: 'limit', url: parts.url },
        );
      }
      yield step.value;
    }
    attempt.bodyDone = true;
  } finally {
    close();
  }
}
