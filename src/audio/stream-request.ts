/**
 * Streamed answers (SSE transcription, streamed speech) through the request layer's own primitives:
 * `sendAttempt` (one attempt, typed errors, redirects refused), `Attempt` (abort, socket release),
 * `CallTimer` (first-byte, idle and total limits) and the one retry policy of `http/retry.ts`. `send()`
 * reads whole bodies only; this is the same loop, handing the body over chunk by chunk instead.
 *
 * @module
 */

import { SdkError } from '../errors/sdk-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import type { TimeoutError } from '../errors/timeout-error.js';
import { Attempt } from '../http/attempt.js';
import { CallTimer } from '../http/call-timer.js';
import { defaultTransport } from '../http/node-fetch.js';
import { sendAttempt } from '../http/post.js';
import { redactError, redactSecrets, redactUrl } from '../http/redact.js';
import { resolveRetryPolicy, retryDecision, sleep } from '../http/retry.js';
import type { SendRequest } from '../http/send.js';
import { resolveTimeouts, timeoutError } from '../http/timeouts.js';
import { type BodyReader, fetchTransport, type HeaderSource } from '../http/transport.js';

/** The request: the fields of `send()` that apply to a streamed body. */
export type StreamRequest = Omit<SendRequest<'bytes'>, 'responseAs' | 'credentials' | 'onRetry'>;

/** A 2xx answer whose body is read chunk by chunk. */
export interface StreamedResponse {
  status: number;
  headers: HeaderSource;
  /** The body's chunks, once; ends at the end of the body. Throws typed, redacted errors. */
  chunks: AsyncIterable<Uint8Array>;
  /** Releases the request (cancels an unread body, clears the timers). Idempotent. */
  close(): void;
}

async function serialize(
  body: StreamRequest['body'],
): Promise<{ bytes?: string | Uint8Array; type?: string }> {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    return body === undefined ? {} : { bytes: body };
  }
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type') ?? undefined;
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), ...(type && { type }) };
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
  const url = redactUrl(request.url);
  const timeouts = resolveTimeouts(request.timeouts);
  const policy = resolveRetryPolicy(request.retry);
  const transport = request.fetch ? fetchTransport(request.fetch) : defaultTransport(timeouts.connectMs);
  const { bytes, type } = await serialize(request.body);
  const method = request.method ?? (bytes === undefined ? 'GET' : 'POST');
  const secrets = [...(request.secrets ?? [])];
  const headers: Record<string, string> = { ...request.headers, ...(type && { 'content-type': type }) };
  let current: Attempt | undefined;
  let expired: TimeoutError | undefined;
  const timer = new CallTimer(
    {
      onTimeout(error) {
        if (error.phase === 'total') expired = error;
        current?.abort(error);
      },
    },
    url,
    timeouts,
  );
  timer.start();
  try {
    for (let index = 0; ; index++) {
      if (expired) throw expired;
      const attempt = new Attempt(request.signal);
      current = attempt;
      try {
        timer.phase('firstByte');
        const response = await sendAttempt({
          url: request.url,
          method,
          headers,
          ...(bytes !== undefined && { body: bytes }),
          signal: attempt.signal,
          transport,
          secrets,
          ...(request.connectionHint !== undefined && { connectionHint: request.connectionHint }),
        });
        const reader = response.body?.getReader();
        attempt.reader = reader;
        const close = (): void => {
          attempt.close();
          timer.clear();
        };
        const max = request.maxResponseBytes ?? 64 * 1024 * 1024;
        return {
          status: response.status,
          headers: response.headers,
          chunks: readChunks(reader, attempt, timer, { url, secrets, max, close }),
          close,
        };
      } catch (error) {
        const err = redactError(attempt.classify(error, url, secrets), secrets);
        attempt.close();
        timer.phase(undefined);
        const decision = expired ? undefined : retryDecision(err, index, policy);
        if (decision === undefined) throw err;
        await sleep(
          Math.max(0, Math.min(decision.delayMs, timer.totalDeadline - performance.now())),
          request.signal,
        );
        if (!expired && performance.now() >= timer.totalDeadline)
          expired = timeoutError('total', timeouts.totalMs, url);
      }
    }
  } catch (error) {
    timer.clear();
    if (SdkError.isInstance(error)) throw redactError(error, secrets);
    throw new SdkError(redactSecrets(error instanceof Error ? error.message : String(error), secrets));
  }
}

interface ReadContext {
  url: string;
  secrets: string[];
  max: number;
  close: () => void;
}

async function* readChunks(
  reader: BodyReader | undefined,
  attempt: Attempt,
  timer: CallTimer,
  context: ReadContext,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    if (reader === undefined) return;
    for (;;) {
      let step: Awaited<ReturnType<BodyReader['read']>>;
      try {
        step = await reader.read();
      } catch (error) {
        throw redactError(attempt.classify(error, context.url, context.secrets), context.secrets);
      }
      if (step.done) break;
      timer.phase('idle');
      attempt.bytes += step.value.byteLength;
      if (attempt.bytes > context.max) {
        throw new StreamParseError(
          `The response from ${context.url} is larger than ${context.max} bytes (maxResponseBytes).`,
          { kind: 'limit', url: context.url },
        );
      }
      yield step.value;
    }
    attempt.bodyDone = true;
  } finally {
    context.close();
  }
}
