import type { HeaderSource } from './transport.js';

/**
 * Reads the delay a server asked for, in ms: `retry-after-ms` (OpenAI) first, then `Retry-After` as
 * seconds or an HTTP date (RFC 9110 §10.2.3). Returns undefined when absent or unparsable.
 */
export function parseRetryAfter(
  headers: Pick<HeaderSource, 'get'>,
  now: number = Date.now(),
): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = Number(after);
  if (after.trim() !== '' && Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
