import { send } from '../http/send.js';

/** Largest response body a probe reads, in bytes (model listings of big servers stay well below). */
const MAX_PROBE_BODY_BYTES = 4 * 1024 * 1024;

/** How probe requests are made. */
export interface ProbeHttpOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Aborts every probe request. */
  signal?: AbortSignal;
  /** Time limit of one probe request, in ms. @default 3000 */
  timeoutMs?: number;
}

/** Default time limit of one probe request, in ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/**
 * Requests `url` through the request layer (`send()`, no retries, one total limit) and parses a JSON
 * answer. Returns `undefined` on any failure (refused, timeout, non-2xx, not JSON, too large): a probe only
 * collects what a server offers. Redirects are not followed.
 */
export async function probeJson(
  url: string,
  options: ProbeHttpOptions,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<unknown> {
  try {
    const answer = await send({
      url,
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      ...(options.signal !== undefined && { signal: options.signal }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      timeouts: { totalMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS },
      retry: { maxRetries: 0 },
      maxResponseBytes: MAX_PROBE_BODY_BYTES,
    });
    return answer.body;
  } catch {
    return undefined;
  }
}

/** `value[key]` when `value` is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** A positive integer, or undefined. */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An array, or []. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
