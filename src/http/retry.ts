/**
 * The retry policy: the only place that decides whether a failed model request is sent again and how long
 * to wait first. The driver (`providers/shared/model-call.ts`) runs the loop; this module holds the rules.
 *
 * Source: openai-node `shouldRetry` / `retryRequest` / `calculateDefaultRetryTimeoutMillis`
 * (see ../shared/notes/reliability.md §1), adopted number for number.
 */

import { AbortError } from '../errors/abort-error.js';
import { ApiError } from '../errors/api-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { readEnvNumber } from './env.js';

/** Default number of retries after the first attempt (3 attempts in all). */
export const DEFAULT_MAX_RETRIES = 2;
/** Default first backoff delay, in ms; doubled per retry. */
export const DEFAULT_RETRY_BASE_MS = 500;
/** Longest backoff delay, in ms. */
export const MAX_BACKOFF_MS = 8_000;
/** Largest server-requested delay that is obeyed, in ms; longer requests fall back to the backoff. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Share of the backoff that jitter may remove (0.25 = up to 25 %). */
export const JITTER = 0.25;

/** Retry settings of one call (`StreamOptions.retry`). */
export interface RetryOptions {
  /**
   * Retries after the first attempt; `0` disables retrying. Env: `OPEN_AGENT_MAX_RETRIES`.
   * @default 2
   */
  maxRetries?: number;
  /**
   * First backoff delay in ms; retry n (0-based) waits `min(baseMs × 2^n, 8000)` minus up to 25 % jitter.
   * Env: `OPEN_AGENT_RETRY_BASE_MS`.
   * @default 500
   */
  baseMs?: number;
  /** Source of randomness for the jitter, returning values in [0, 1). @default Math.random */
  random?: () => number;
}

/** Retry settings with every default applied. */
export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
  random: () => number;
}

const DEFAULT_POLICY: RetryPolicy = Object.freeze({
  maxRetries: DEFAULT_MAX_RETRIES,
  baseMs: DEFAULT_RETRY_BASE_MS,
  random: Math.random,
});

/**
 * Applies defaults: the call's option, else the `OPEN_AGENT_*` variable, else the default. Values that are
 * not non-negative numbers are ignored.
 */
export function resolveRetryPolicy(options: RetryOptions | undefined): RetryPolicy {
  const pick = (value: number | undefined, env: string, fallback: number): number => {
    if (value !== undefined && Number.isFinite(value) && value >= 0) return value;
    const fromEnv = readEnvNumber(env);
    return fromEnv !== undefined && Number.isFinite(fromEnv) ? fromEnv : fallback;
  };
  const maxRetries = Math.floor(pick(options?.maxRetries, 'OPEN_AGENT_MAX_RETRIES', DEFAULT_MAX_RETRIES));
  const baseMs = pick(options?.baseMs, 'OPEN_AGENT_RETRY_BASE_MS', DEFAULT_RETRY_BASE_MS);
  const random = options?.random ?? Math.random;
  // The shared defaults when nothing differs: one object less per open stream.
  if (maxRetries === DEFAULT_POLICY.maxRetries && baseMs === DEFAULT_POLICY.baseMs && random === Math.random)
    return DEFAULT_POLICY;
  return { maxRetries, baseMs, random };
}

/** The backoff before retry `retryIndex` (0-based): `min(baseMs × 2^n, 8000)` × (1 − U[0, 0.25)). */
export function backoffMs(retryIndex: number, policy: RetryPolicy): number {
  const base = Math.min(policy.baseMs * 2 ** retryIndex, MAX_BACKOFF_MS);
  const r = policy.random();
  const jitter = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) * JITTER : 0;
  return Math.round(base * (1 - jitter));
}

/** A decision to retry. */
export interface RetryDecision {
  /** How long to wait before the next attempt, in ms. */
  delayMs: number;
  /** Why, in a few words: `HTTP 429`, `connection ECONNRESET`, `x-should-retry: true`, ... */
  reason: string;
}

/**
 * Classifies a failed attempt. Retried: HTTP 408, 409, 429 and 500–599, connection errors (refused,
 * reset, DNS, undici "terminated" / "other side closed") and connect timeouts. The server's
 * `x-should-retry: true|false` overrides the status. Never retried: aborts, other timeouts (a first-byte
 * timeout means a slow prefill; sending it again would only repeat the wait), errors inside a 200 stream,
 * parse errors.
 *
 * The delay is the server's (`retry-after-ms`, then `Retry-After` in seconds or as an HTTP date) when it
 * is between 0 and 60 s, else the backoff.
 *
 * @param error - The typed error of the failed attempt.
 * @param retryIndex - How many retries were already made (0 before the first retry).
 * @returns The decision, or undefined when the error must not be retried.
 */
export function retryDecision(
  error: unknown,
  retryIndex: number,
  policy: RetryPolicy,
): RetryDecision | undefined {
  if (retryIndex >= policy.maxRetries || AbortError.isInstance(error)) return undefined;
  if (ApiError.isInstance(error)) {
    const header = error.headers['x-should-retry'];
    let reason: string;
    if (header === 'true') reason = 'x-should-retry: true';
    else if (header === 'false') return undefined;
    else if (error.status >= 300 && error.retryable) reason = `HTTP ${error.status}`;
    else return undefined;
    const asked = error.retryAfterMs;
    const delayMs =
      asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS
        ? asked
        : backoffMs(retryIndex, policy);
    return { delayMs, reason };
  }
  if (ConnectionError.isInstance(error)) {
    return { delayMs: backoffMs(retryIndex, policy), reason: `connection ${error.code ?? 'failed'}` };
  }
  if (TimeoutError.isInstance(error) && error.phase === 'connect') {
    return { delayMs: backoffMs(retryIndex, policy), reason: 'connect timeout' };
  }
  return undefined;
}

/**
 * Waits `ms`, or until `signal` (if given) aborts, whichever is first. The timer and the listener are removed on
 * both paths, so nothing is left behind.
 *
 * @throws {AbortError} (rejects) at once when `signal` aborts (or already is); `signal.reason` is used
 *   when it is an SDK error (e.g. a total-time `TimeoutError`).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const reasonOf = (): Error => {
    const reason: unknown = signal?.reason;
    return TimeoutError.isInstance(reason) ? reason : new AbortError('The request was aborted.');
  };
  if (signal?.aborted) return Promise.reject(reasonOf());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(reasonOf());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
