import type { HeaderSource } from './transport.js';

/**
 * Reads the delay a server asked for, in ms: `retry-after-ms` (OpenAI; decimal digits) first, then
 * `Retry-After` as RFC 9110 §10.2.3 delay-seconds (`1*DIGIT`) or an HTTP-date (§5.6.7). Anything else
 * (`0x2`, `1e0`, `-1`, `tomorrow`) is ignored: returns undefined, and the backoff applies.
 */
export function parseRetryAfter(
  headers: Pick<HeaderSource, 'get'>,
  now: number = Date.now(),
): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const after = headers.get('retry-after')?.trim();
  if (after === undefined) return undefined;
  if (/^\d+$/.test(after)) return Number(after) * 1000;
  if (!HTTP_DATE.some((format) => format.test(after))) return undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients accept. */
const HTTP_DATE: readonly RegExp[] = [
  new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`),
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`,
  ),
  new RegExp(`^${DAY} ${MONTH} (?: \\d|\\d{2}) ${TIME} \\d{4}$`),
];
