import { ApiError } from '../errors/api-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import type { TimeoutError } from '../errors/timeout-error.js';
import { Attempt } from './attempt.js';
import { CallTimer } from './call-timer.js';
import { defaultTransport } from './node-fetch.js';
import {
  type OriginTicket,
  originKey,
  type QueuedInfo,
  resolveMaxConcurrent,
  takeSlot,
} from './origin-limiter.js';
import { sendAttempt } from './post.js';
import { redactError, redactSecrets, redactUrl } from './redact.js';
import { type ResponseStream, responseStream } from './response-stream.js';
import { type RetryDecision, type RetryOptions, resolveRetryPolicy, retryDecision, sleep } from './retry.js';
import { resolveTimeouts, type TimeoutOptions, timeoutError } from './timeouts.js';
import { fetchTransport, type HttpResponse, type Transport, type TransportBody } from './transport.js';

/** What a {@link CredentialHook} is told about the attempt it supplies credentials for. */
export interface CredentialAttempt {
  /** 0 for the first attempt, then 1, 2, ... */
  readonly attempt: number;
  /** True when the previous attempt was answered `401`: refresh the token now (asked at most once per call). */
  readonly refresh: boolean;
}

/**
 * Supplies the credential headers of one attempt (e.g. `{ authorization: 'Bearer <fresh token>' }`), so an
 * expiring token (OAuth) is read per attempt, not once per call. Their values are scrubbed from errors.
 * A `401` answer asks once more with `refresh: true` and retries at once.
 */
export type CredentialHook = (
  attempt: CredentialAttempt,
) => Record<string, string> | Promise<Record<string, string>>;

/**
 * How {@link send} reads a 2xx body: whole (`json`, `text`, `bytes`), or handed over chunk by chunk as a
 * {@link ResponseStream} (`stream`: retries end once the response headers of a 2xx arrived).
 */
export type ResponseKind = 'json' | 'text' | 'bytes' | 'stream';

/** One request through {@link send}. */
export interface SendRequest<K extends ResponseKind = 'json'> {
  /** Full URL (credentials in it are redacted from errors). */
  url: string;
  /** HTTP method. @default 'POST' with a body, else 'GET' */
  method?: string;
  /** Request headers; a `FormData` body sets its own `content-type`. */
  headers?: Record<string, string>;
  /** JSON text, bytes (audio, images) or `FormData` (multipart uploads, serialized once for every attempt). */
  body?: TransportBody | FormData;
  /**
   * How to read the answer. With `'stream'`, `body` is a {@link ResponseStream} that must be iterated to
   * its end or closed; the idle and total limits keep running while it is read. @default 'json'
   */
  responseAs?: K;
  /** Aborts the call (the current attempt, the backoff, the body read). */
  signal?: AbortSignal;
  /** A `fetch` to send with (the portable path). @default the SDK's transport (`node:http` on Node) */
  fetch?: typeof fetch;
  /** Time limits in ms (`connectMs`, `firstByteMs`, `totalMs`; `idleMs` between body chunks). */
  timeouts?: TimeoutOptions;
  /** Retry policy (backoff, `Retry-After`); a retry never happens once a body byte arrived. */
  retry?: RetryOptions;
  /** Largest body read, in bytes. @default 64 MiB */
  maxResponseBytes?: number;
  /** Secrets to scrub from every error text (API keys). */
  secrets?: readonly string[];
  /** Advice appended to connection errors (how to start the server). */
  connectionHint?: string;
  /** Per-attempt credential headers; see {@link CredentialHook}. */
  credentials?: CredentialHook;
  /** Told before each retry: the attempt number (1-based) of the next try, the delay and why. */
  onRetry?: (info: RetryDecision & { attempt: number; error: SdkError }) => void;
  /**
   * Most requests open at once to this URL's origin, shared with every model call of the process (see
   * `StreamOptions.maxConcurrentRequests`); each attempt holds a slot until its body was read (a
   * `'stream'` body: until it ends or is closed), a retry frees it during the backoff. Unlike model
   * calls, `send()` reads no environment default: without this option it is not limited.
   * @default no limit
   * @throws {InvalidArgumentError} for a value that is not an integer ≥ 1 or `Infinity`.
   */
  maxConcurrentRequests?: number;
  /** Told when an attempt has to wait for a slot of its origin (`maxConcurrentRequests`). */
  onQueued?: (info: QueuedInfo) => void;
}

/** The answer of {@link send}: status, headers, and the body read as asked. */
export interface SendResponse<T> {
  status: number;
  headers: HttpResponse['headers'];
  body: T;
}

type Body<K extends ResponseKind> = K extends 'json'
  ? unknown
  : K extends 'text'
    ? string
    : K extends 'stream'
      ? ResponseStream
      : Uint8Array;

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A `FormData` as bytes and its multipart `content-type` (with the boundary), once for every attempt. */
async function serializeBody(
  body: TransportBody | FormData | undefined,
): Promise<{ bytes: TransportBody | undefined; contentType?: string }> {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return { bytes: body };
  const encoded = new Response(body);
  const contentType = encoded.headers.get('content-type') ?? undefined;
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), ...(contentType && { contentType }) };
}

async function readBody(
  response: HttpResponse,
  attempt: Attempt,
  timer: CallTimer,
  max: number,
  url: string,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  attempt.reader = reader;
  const chunks: Uint8Array[] = [];
  for (;;) {
    const step = await reader.read();
    if (step.done) break;
    timer.phase('idle');
    attempt.bytes += step.value.byteLength;
    if (attempt.bytes > max) {
      throw new StreamParseError(`The response from ${url} is larger than ${max} bytes (maxResponseBytes).`, {
        kind: 'limit',
        url,
      });
    }
    chunks.push(step.value);
  }
  attempt.bodyDone = true;
  const bytes = new Uint8Array(attempt.bytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function decode<K extends ResponseKind>(
  bytes: Uint8Array,
  kind: Exclude<K, 'stream'>,
  url: string,
  secrets: readonly string[],
): Body<K> {
  if (kind === 'bytes') return bytes as Body<K>;
  const text = new TextDecoder().decode(bytes);
  if (kind === 'text') return text as Body<K>;
  try {
    return JSON.parse(text) as Body<K>;
  } catch {
    const excerpt = redactSecrets(text.slice(0, 200), secrets);
    throw new StreamParseError(
      `Response body from ${url} is not valid JSON. Body starts: ${JSON.stringify(excerpt)}`,
      {
        kind: 'invalid_json',
        url,
        excerpt,
      },
    );
  }
}

/**
 * The SDK's request layer for answers read whole (model listings, probes, speech, transcription, images)
 * or streamed (`responseAs: 'stream'`: streamed speech and transcription). One call = attempts under the one retry policy of `http/retry.ts` (backoff,
 * `Retry-After`, never after the first body byte), the call's time limits (`firstByteMs` per attempt,
 * `idleMs` between body chunks, `totalMs` for the call, `connectMs` in the transport), abort, per-attempt
 * credentials with one refresh after a `401`, redirects refused, the origin's concurrency limit
 * (`maxConcurrentRequests`), and every error typed and redacted. Model streams use the same attempt
 * primitive, policy and limiter through the stream driver's `HttpSource`.
 *
 * @throws {ApiError} for a non-2xx answer (after the retries it allows), with the server's message.
 * @throws {ConnectionError} when no answer arrives; {@link TimeoutError} when a limit passes;
 *   `AbortError` when `signal` aborts; `StreamParseError` for a body that is not the kind asked for or
 *   too large.
 * Leaves no timer, listener or socket behind on any path.
 */
export async function send<K extends ResponseKind = 'json'>(
  request: SendRequest<K>,
): Promise<SendResponse<Body<K>>> {
  const url = redactUrl(request.url);
  const timeouts = resolveTimeouts(request.timeouts);
  const policy = resolveRetryPolicy(request.retry);
  const transport: Transport = request.fetch
    ? fetchTransport(request.fetch)
    : defaultTransport(timeouts.connectMs);
  const { bytes, contentType } = await serializeBody(request.body);
  const method = request.method ?? (bytes === undefined ? 'GET' : 'POST');
  const secrets = [...(request.secrets ?? [])];
  const limit = resolveMaxConcurrent(request.maxConcurrentRequests ?? Number.POSITIVE_INFINITY, undefined);
  const origin = limit === undefined ? '' : originKey(request.url);
  const streamed = request.responseAs === 'stream';
  let handedOver = false;
  let slot: OriginTicket | undefined;
  let current: Attempt | undefined;
  let expired: TimeoutError | undefined;
  const timer = new CallTimer(
    {
      onTimeout(error) {
        if (error.phase === 'total') {
          expired = error;
          // Waiting in line: the total limit ends the wait.
          if (current === undefined) slot?.release(error);
        }
        current?.abort(error);
      },
    },
    url,
    timeouts,
  );
  timer.start();
  let refreshed = false;
  let refresh = false;
  try {
    for (let index = 0; ; index++) {
      if (expired) throw expired;
      const headers: Record<string, string> = { ...request.headers };
      if (contentType) headers['content-type'] = contentType;
      if (request.credentials) {
        const extra = await request.credentials({ attempt: index, refresh });
        for (const [name, value] of Object.entries(extra)) {
          headers[name.toLowerCase()] = value;
          if (value.length >= 8) secrets.push(value.replace(/^Bearer\s+/i, ''));
        }
      }
      if (limit !== undefined) {
        slot = takeSlot(origin, limit, request.signal);
        if (!slot.granted) request.onQueued?.({ position: slot.position, limit, origin });
        await slot.ready;
        if (expired) throw expired;
      }
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
        const max = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        if (streamed) {
          const reader = response.body?.getReader();
          attempt.reader = reader;
          const held = slot;
          const body = responseStream({
            reader,
            attempt,
            timer,
            url,
            secrets,
            max,
            ...(held !== undefined && { release: () => held.release() }),
          });
          handedOver = true;
          return { status: response.status, headers: response.headers, body: body as Body<K> };
        }
        const raw = await readBody(response, attempt, timer, max, url);
        timer.phase(undefined);
        slot?.release();
        const kind = (request.responseAs ?? 'json') as Exclude<K, 'stream'>;
        const body = decode(raw, kind, url, secrets);
        return { status: response.status, headers: response.headers, body };
      } catch (error) {
        const err = redactError(attempt.classify(error, url, secrets), secrets);
        attempt.close();
        slot?.release();
        timer.phase(undefined);
        refresh = false;
        if (ApiError.isInstance(err) && err.status === 401 && request.credentials && !refreshed) {
          refreshed = refresh = true;
          continue;
        }
        const decision = attempt.received || expired ? undefined : retryDecision(err, index, policy);
        if (decision === undefined) throw err;
        request.onRetry?.({ ...decision, attempt: index + 2, error: err });
        await sleep(
          Math.max(0, Math.min(decision.delayMs, timer.totalDeadline - performance.now())),
          request.signal,
        );
        if (!expired && performance.now() >= timer.totalDeadline)
          expired = timeoutError('total', timeouts.totalMs, url);
      } finally {
        if (!handedOver) {
          attempt.close();
          current = undefined;
        }
      }
    }
  } catch (error) {
    if (SdkError.isInstance(error)) throw redactError(error, secrets);
    throw new SdkError(redactSecrets(error instanceof Error ? error.message : String(error), secrets));
  } finally {
    if (!handedOver) {
      timer.clear();
      slot?.release();
    }
  }
}
