/**
 * Streamed answers (SSE transcription, streamed speech): `send()` with `responseAs: 'stream'`, so they
 * share its one retry loop (backoff, `Retry-After`, no retry once the body is handed over), its time
 * limits, credentials hook, origin concurrency limit and redaction. This module only keeps the
 * `{ chunks, close }` shape the audio endpoints read.
 *
 * @module
 */

import { type SendRequest, send } from '../http/send.js';
import type { HeaderSource } from '../http/transport.js';

/** The request: the fields of `send()` that apply to a streamed body. */
export type StreamRequest = Omit<SendRequest<'stream'>, 'responseAs'>;

/** A 2xx answer whose body is read chunk by chunk. */
export interface StreamedResponse {
  status: number;
  headers: HeaderSource;
  /** The body's chunks, once; ends at the end of the body. Throws typed, redacted errors. */
  chunks: AsyncIterable<Uint8Array>;
  /** Releases the request (cancels an unread body, clears the timers, frees the origin slot). Idempotent. */
  close(): void;
}

/**
 * Sends a request and returns once the response headers of a 2xx answer arrived; retries (under the one
 * policy) what fails before that. The returned body must be iterated to its end or {@link
 * StreamedResponse.close}d.
 *
 * @throws {ApiError} for a non-2xx answer after the retries it allows.
 * @throws {ConnectionError} / {@link TimeoutError} / `AbortError` as `send()` does.
 */
export async function openStream(request: StreamRequest): Promise<StreamedResponse> {
  const response = await send<'stream'>({ ...request, responseAs: 'stream' });
  const body = response.body;
  return { status: response.status, headers: response.headers, chunks: body, close: () => body.close() };
}
