import { memoLast } from './memo-last.js';
import type { HeaderSource } from './transport.js';

/** Header names whose values are credentials (compared lower-cased). */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'x-goog-api-key',
]);

/** Query parameter names that carry secrets (Azure `api-key`, Gemini `key`, signed URLs). */
const SECRET_QUERY = /key|token|secret|sig|signature|auth|password|credential/i;

/** The text that replaces a secret. */
export const REDACTED = '[redacted]';

/**
 * Returns a copy of `headers` with credential headers (`Authorization`, `x-api-key`, `api-key`,
 * `cookie`, ...) replaced by `[redacted]`. Names are lower-cased.
 */
export function redactHeaders(
  headers: HeaderSource | Headers | Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // Duck-typed: undici's npm `Headers` (the SDK's Node fetch) is not the global class.
  const entries: Iterable<[string, string]> =
    typeof (headers as HeaderSource).entries === 'function' &&
    typeof (headers as HeaderSource).get === 'function'
      ? (headers as HeaderSource).entries()
      : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : value;
  }
  return out;
}

/**
 * Returns `url` with user-info passwords and secret-looking query values (`key`, `token`, `sig`, ...)
 * replaced by `[redacted]`. Non-URL input is returned unchanged.
 */
export function redactUrl(url: string): string {
  return redactUrlOnce(url);
}

// Every request of a model redacts the same URL.
const redactUrlOnce = memoLast(redactUrlUncached);

function redactUrlUncached(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password) parsed.password = 'redacted';
  if (parsed.username && parsed.password) parsed.username = 'redacted';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`. Secrets shorter than 8
 * characters are ignored (they would match ordinary words).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Own string fields of SDK errors that may quote server or user text. */
const ERROR_TEXT_FIELDS = ['message', 'stack', 'excerpt', 'bodyExcerpt', 'serverMessage', 'url'] as const;

/**
 * Scrubs every secret from an error in place: its message, stack, excerpts, server message, URL, header
 * values, and the same along its `cause` chain (5 levels at most). Used on every error before it reaches
 * an event, a message's `errorMessage` or a log, because a server may echo the key (in an error body, an
 * SSE event, an HTML page) and the parsers that quote it do not know the key.
 *
 * @returns `error`, for chaining.
 */
export function redactError<E>(error: E, secrets: readonly (string | undefined)[]): E {
  const active = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  if (active.length === 0) return error;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    for (const field of ERROR_TEXT_FIELDS) {
      const value = record[field];
      if (typeof value === 'string' && active.some((s) => value.includes(s))) {
        Object.defineProperty(record, field, {
          value: redactSecrets(value, active),
          writable: true,
          configurable: true,
          enumerable: Object.prototype.propertyIsEnumerable.call(record, field),
        });
      }
    }
    const headers = record.headers;
    if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
      for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
        if (typeof value === 'string')
          (headers as Record<string, string>)[name] = redactSecrets(value, active);
      }
    }
    current = record.cause;
  }
  return error;
}
