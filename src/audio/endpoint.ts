/**
 * What every audio and image call shares: the server (base URL, key, headers) and the request layer's
 * options (fetch, time limits, retries, abort). Calls go through `send()` (`src/http/send.ts`) or, for
 * streamed answers, {@link openStream} built on the same attempt primitive and retry policy.
 *
 * @module
 */

import { joinUrl } from '../http/join-url.js';
import type { RetryOptions } from '../http/retry.js';
import type { TimeoutOptions } from '../http/timeouts.js';

/** A server endpoint and how to call it. */
export interface EndpointOptions {
  /** Base URL including the version path, e.g. `http://127.0.0.1:8000/v1` (speaches) or `https://api.openai.com/v1`. */
  baseUrl: string;
  /** API key, sent as `Authorization: Bearer <key>`; scrubbed from every error. */
  apiKey?: string;
  /** Extra request headers (never logged). */
  headers?: Record<string, string>;
  /** Aborts the call: the attempt, the backoff and the body read. */
  signal?: AbortSignal;
  /** A `fetch` to send with. @default the SDK's transport (`node:http` on Node) */
  fetch?: typeof fetch;
  /** Time limits in ms (`connectMs`, `firstByteMs`, `idleMs`, `totalMs`). */
  timeouts?: TimeoutOptions;
  /** Retry policy (backoff, `Retry-After`); never retried once a body byte arrived. */
  retry?: RetryOptions;
  /** Largest body read, in bytes. @default 64 MiB */
  maxResponseBytes?: number;
}

/** `baseUrl` + `path`, with exactly one slash between them; a query on `baseUrl` is kept (see {@link joinUrl}). */
export function endpointUrl(baseUrl: string, path: string): string {
  return joinUrl(baseUrl, path);
}

/** Headers for a call: the caller's, plus the bearer key. */
export function endpointHeaders(
  options: EndpointOptions,
  extra?: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers, ...extra };
  if (options.apiKey !== undefined && options.apiKey !== '')
    headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}

/** Secrets to scrub from error text. */
export function endpointSecrets(options: EndpointOptions): string[] {
  const secrets: string[] = [];
  if (options.apiKey) secrets.push(options.apiKey);
  for (const value of Object.values(options.headers ?? {})) if (value.length >= 8) secrets.push(value);
  return secrets;
}

/** The request-layer fields of `send()` taken from an {@link EndpointOptions}. */
export function sendOptions(options: EndpointOptions): {
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeouts?: TimeoutOptions;
  retry?: RetryOptions;
  maxResponseBytes?: number;
  secrets: string[];
} {
  return {
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    ...(options.timeouts !== undefined && { timeouts: options.timeouts }),
    ...(options.retry !== undefined && { retry: options.retry }),
    ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
    secrets: endpointSecrets(options),
  };
}

/** Joins byte chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
