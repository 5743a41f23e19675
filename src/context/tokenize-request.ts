/**
 * The one HTTP call of the context module: a JSON POST to a server's tokenizer endpoint, through the SDK's
 * request layer (`send()`: typed errors, secrets scrubbed, no redirects), with the caller's signal and a
 * time limit on the whole exchange (headers and body). Not retried: a count is advisory and the caller
 * falls back to the estimate.
 *
 * @module
 */

import { send } from '../http/send.js';

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

/**
 * POSTs `body` as JSON to `url` and returns the parsed JSON answer.
 *
 * @throws {ApiError} for a non-2xx status (404/405 when the server has no such endpoint).
 * @throws {ConnectionError} when no response arrives.
 * @throws {AbortError} when `signal` aborts; `TimeoutError` when `timeoutMs` passes first.
 * @throws {StreamParseError} when the answer is not JSON or is larger than
 *   {@link MAX_TOKENIZE_RESPONSE_BYTES}.
 */
export async function postTokenizer(
  url: string,
  body: unknown,
  options: TokenizeHttpOptions,
): Promise<unknown> {
  const response = await send({
    url,
    method: 'POST',
    headers: options.headers,
    body: JSON.stringify(body),
    responseAs: 'json',
    timeouts: { totalMs: options.timeoutMs, firstByteMs: options.timeoutMs },
    retry: { maxRetries: 0 },
    maxResponseBytes: MAX_TOKENIZE_RESPONSE_BYTES,
    secrets: (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
  });
  return response.body;
}
