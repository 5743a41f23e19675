/**
 * The one HTTP call of the context module: a JSON POST to a server's tokenizer endpoint, through the SDK's
 * request path (`postJson`: typed errors, secrets scrubbed, no redirects), with the caller's signal and a
 * time limit on the whole exchange (headers and body).
 *
 * @module
 */

import { StreamParseError } from '../errors/stream-parse-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { AttemptSignal } from '../http/attempt-signal.js';
import { defaultTransport } from '../http/node-fetch.js';
import { abortReason, postJson } from '../http/post.js';
import { redactUrl } from '../http/redact.js';
import { fetchTransport } from '../http/transport.js';

/** Largest tokenizer answer read, in bytes (a 128k-token prompt is about 1 MB of ids). */
export const MAX_TOKENIZE_RESPONSE_BYTES = 32 * 1024 * 1024;

/** How one tokenizer request is sent. */
export interface TokenizeHttpOptions {
  /** Request headers (content type, credentials); never copied into errors. */
  headers: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Limit on the whole exchange, in ms. */
  timeoutMs: number;
  /** `fetch` to use. @default the SDK's transport (on Node its `node:http` one) */
  fetch?: typeof fetch;
  /** Secret values (API keys) to scrub from error text. */
  secrets?: readonly (string | undefined)[];
}

async function readText(
  body: { getReader(): { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(): Promise<void> } },
  url: string,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_TOKENIZE_RESPONSE_BYTES) {
      await reader.cancel();
      throw new StreamParseError(
        `The tokenizer answer from ${url} is larger than ${MAX_TOKENIZE_RESPONSE_BYTES} bytes.`,
        {
          kind: 'limit',
          url,
        },
      );
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * POSTs `body` as JSON to `url` and returns the parsed JSON answer.
 *
 * @throws {ApiError} for a non-2xx status (404/405 when the server has no such endpoint).
 * @throws {ConnectionError} when no response arrives.
 * @throws {AbortError} when `signal` aborts; {@link TimeoutError} when `timeoutMs` passes first.
 * @throws {StreamParseError} when the answer is not JSON or is too large.
 */
export async function postTokenizer(
  url: string,
  body: unknown,
  options: TokenizeHttpOptions,
): Promise<unknown> {
  const shownUrl = redactUrl(url);
  const signal = new AttemptSignal();
  const onAbort = (): void => signal.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    signal.abort(
      new TimeoutError(
        `Timed out on ${shownUrl}: the tokenizer did not answer within ${options.timeoutMs} ms.`,
        {
          phase: 'total',
          timeoutMs: options.timeoutMs,
          url: shownUrl,
        },
      ),
    );
  }, options.timeoutMs);
  try {
    const response = await postJson({
      url,
      headers: options.headers,
      body: JSON.stringify(body),
      signal,
      transport: options.fetch
        ? fetchTransport(options.fetch)
        : defaultTransport(Math.min(options.timeoutMs, 10_000)),
      ...(options.secrets !== undefined && { secrets: options.secrets }),
    });
    let text: string;
    try {
      text = response.body ? await readText(response.body, shownUrl) : '';
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new StreamParseError(
        `The tokenizer answer from ${shownUrl} is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
        {
          kind: 'invalid_json',
          url: shownUrl,
        },
      );
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
