import { AbortError } from '../errors/abort-error.js';
import { ApiError } from '../errors/api-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { ContextOverflowError } from '../errors/context-overflow-error.js';
import { matchContextOverflow } from '../errors/context-overflow-messages.js';
import { connectionDiagnosis } from '../errors/diagnose.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { readServerErrorText } from './error-body.js';
import { redactHeaders, redactSecrets, redactUrl } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import type { AbortLike, HttpResponse, RequestSignal, Transport, TransportBody } from './transport.js';

/** Largest error body read, in bytes; the rest is discarded. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** Largest excerpt kept on an {@link ApiError}, in characters. */
const EXCERPT_LIMIT = 2048;

/** One attempt of a request. */
export interface PostRequest {
  /** Full URL. */
  url: string;
  /** HTTP method. @default 'POST' */
  method?: string;
  /** Request headers (credentials included; they are never copied into errors). */
  headers: Record<string, string>;
  /** Body: JSON text for model calls, or bytes (multipart, audio); none for `GET`. */
  body?: TransportBody;
  /** Aborts the request. */
  signal: RequestSignal;
  /** How to send it (a `fetch` through `fetchTransport`, or the Node transport). */
  transport: Transport;
  /** Secret values (API keys) to scrub from any error text. */
  secrets?: readonly (string | undefined)[];
  /** Extra advice appended to connection errors (e.g. how to start the local server). */
  connectionHint?: string;
}

/** Walks `cause` chains for a system error code such as `ECONNREFUSED`. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for the errors `fetch` and streams raise when a signal aborts them. */
export function isAbortLike(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { name?: unknown }).name === 'AbortError' || AbortError.isInstance(error))
  );
}

async function readLimited(response: HttpResponse, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  } finally {
    reader.cancel().catch(() => {});
  }
  return text;
}

/**
 * Reads a non-2xx response into an {@link ApiError}: status, the server's message (OpenAI, Anthropic,
 * Ollama and FastAPI error shapes), a 2 KB body excerpt, redacted headers and the retry delay.
 */
export async function toApiError(response: HttpResponse, request: PostRequest): Promise<ApiError> {
  const url = redactUrl(request.url);
  let text = '';
  try {
    text = await readLimited(response, ERROR_BODY_LIMIT);
  } catch {
    // The body could not be read (connection closed): the status alone still says what happened.
  }
  text = redactSecrets(text, request.secrets ?? []);
  const info = readServerErrorText(text);
  const status = response.status;
  const what = info.message ?? (response.statusText || 'no error message in the response body');
  const retryAfterMs = parseRetryAfter(response.headers);
  const fields = {
    status,
    url,
    headers: redactHeaders(response.headers),
    bodyExcerpt: text.slice(0, EXCERPT_LIMIT),
    ...(info.message !== undefined && { serverMessage: info.message }),
    ...(info.code !== undefined && { code: info.code }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
  const family =
    status >= 400 && status < 600
      ? (matchContextOverflow(info.message) ?? matchContextOverflow(info.code))
      : undefined;
  if (family !== undefined) {
    return new ContextOverflowError(
      `HTTP ${status} from ${url}: ${what} (the prompt does not fit the model's context window: shorten or compact the history, lower maxTokens, or load the model with a larger context)`,
      { ...fields, family },
    );
  }
  return new ApiError(`HTTP ${status} from ${url}: ${what}${statusHint(status)}`, fields);
}

/** The typed error for a request whose signal aborted: the timeout that fired, else an {@link AbortError}. */
export function abortReason(signal: AbortLike, fallback = 'The request was aborted.'): Error {
  const reason: unknown = signal.reason;
  return TimeoutError.isInstance(reason) ? reason : new AbortError(fallback);
}

/** Connection-level codes that mean no connection was made at all. */
const NO_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The typed error for a `fetch` that rejected without a response: undici's own connect and header
 * limits become {@link TimeoutError}s, everything else a {@link ConnectionError} naming the host, the
 * code and what to try.
 */
export function connectionFailure(
  error: unknown,
  request: Pick<PostRequest, 'url' | 'secrets' | 'connectionHint'>,
): Error {
  const url = redactUrl(request.url);
  const code = systemErrorCode(error);
  let origin = url;
  try {
    origin = new URL(request.url).host;
  } catch {
    // keep the redacted URL
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError(
      `Timed out on ${url}: could not connect to ${origin} within the connect limit (timeouts.connectMs). Is the server running and reachable from here?`,
      { phase: 'connect', timeoutMs: 0, url },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new TimeoutError(
      `Timed out on ${url}: the response headers did not arrive within the fetch implementation's own limit (Node's fetch stops at 300 s). Let the SDK pick the fetch on Node, or pass fetch: createNodeFetch() from open-agent-sdk/node, so timeouts.firstByteMs governs.`,
      { phase: 'firstByte', timeoutMs: 300_000, url },
    );
  }
  const detail = redactSecrets(innermostMessage(error), request.secrets ?? []);
  const reason = code && detail && !detail.includes(code) ? `${code}: ${detail}` : (code ?? detail);
  const hint = request.connectionHint ? ` ${request.connectionHint}` : ' Is the server running?';
  // A host name that does not resolve, or https:// to a plain-HTTP port: say so in plain words.
  const diagnosis = connectionDiagnosis(request.url, code, innermostMessage(error));
  const what = diagnosis
    ? `Could not connect to ${origin} (${reason}) for ${url}. ${diagnosis}`
    : code === undefined || NO_CONNECTION.has(code)
      ? `Could not connect to ${origin} (${reason}) for ${url}.${hint}`
      : `The connection to ${origin} failed before a response arrived (${reason}) for ${url}. The server may have crashed or closed the connection; try again.`;
  return new ConnectionError(what, { url, ...(code !== undefined && { code }) });
}

/** The message of the deepest `cause` (undici wraps the socket error in `TypeError('fetch failed')`). */
function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = '';
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === 'string' && text.length > 0) message = text;
    current = (current as { cause?: unknown }).cause;
  }
  return message.slice(0, 200);
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' (check the API key for this server)';
  if (status === 404)
    return ' (check that the base URL ends with the API version, e.g. /v1, and the model id)';
  return '';
}

/**
 * Sends one attempt through the request's transport (any method and body) and returns the 2xx response
 * (body unread). Redirects are not followed, so credentials never reach another origin. The retry loop
 * around it is the caller's (`send()` in `send.ts`, or the stream's `HttpSource`).
 *
 * @throws {AbortError} when `signal` aborts before the headers arrive (or the {@link TimeoutError} that
 *   aborted it, when its reason is one).
 * @throws {ConnectionError} when no response arrives (refused, reset, DNS), with a hint.
 * @throws {TimeoutError} when the fetch implementation's own connect or header limit fires.
 * @throws {ContextOverflowError} for an error status whose message says the prompt is too long.
 * @throws {ApiError} for any non-2xx status (3xx included), with the server's message.
 */
export async function sendAttempt(request: PostRequest): Promise<HttpResponse> {
  let response: HttpResponse;
  try {
    response = await request.transport({
      url: request.url,
      ...(request.method !== undefined && { method: request.method }),
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted || isAbortLike(error)) throw abortReason(request.signal);
    throw connectionFailure(error, request);
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    response.body?.cancel().catch(() => {});
    const url = redactUrl(request.url);
    throw new ApiError(
      `HTTP ${response.status} from ${url}: the server redirected${location ? ` to ${redactUrl(location)}` : ''}; redirects are not followed (credentials stay with the configured origin). Use the final URL as the base URL.`,
      { status: response.status, url, headers: redactHeaders(response.headers), retryable: false },
    );
  }
  if (response.status < 200 || response.status > 299) throw await toApiError(response, request);
  return response;
}
