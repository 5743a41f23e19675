import { memoLast } from './memo-last.js';
import type { HeaderSource } from './transport.js';

/** Header names whose values are credentials, matched whole (lower-cased). */
const SECRET_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * Header or field names that hold credentials by their look: `api-key`, `x-api-key`, `x-goog-api-key`,
 * `apiKey`, `x-auth-token`, `access_token`, `client-secret`, `password`, ...
 */
const SECRET_NAME = /api[-_]?key|secret|passw(or)?d|credential|(^|[-_])auth($|[-_])|(^|[-_])token$/i;
/** `accessToken`, `authToken`: camelCase names ending in `Token` (not `maxTokens`). */
const CAMEL_TOKEN = /[a-z]Token$/;

/** Query parameter names that carry secrets (Azure `api-key`, Gemini `key`, signed URLs). */
const SECRET_QUERY = /key|token|secret|sig|signature|auth|password|credential/i;

/** The text that replaces a secret. */
export const REDACTED = '[redacted]';

/**
 * True when a header (or JSON field) named `name` carries a credential: `Authorization`,
 * `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and every name holding `api-key`/`apikey`, `secret`,
 * `password`, `credential` or an `auth` part, or ending in a `token` part (`x-api-key`, `api-key`,
 * `x-goog-api-key`, `x-auth-token`, `access_token`, `accessToken`; not `maxTokens`). Case-insensitive.
 */
export function isSecretHeader(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    const key = name.toLowerCase();
    secret = SECRET_HEADER_NAMES.has(key) || SECRET_NAME.test(key) || CAMEL_TOKEN.test(name);
    // Every request asks about the same few header names; the cap keeps arbitrary JSON keys from growing it.
    if (secretNames.size >= 512) secretNames.clear();
    secretNames.set(name, secret);
  }
  return secret;
}

/** {@link isSecretHeader}'s answers by name. */
const secretNames = new Map<string, boolean>();

/**
 * Returns a copy of `headers` with credential headers ({@link isSecretHeader}) replaced by `[redacted]`.
 * Names are lower-cased.
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
    out[key] = isSecretHeader(key) ? REDACTED : value;
  }
  return out;
}

/**
 * Returns `url` with its user-info (user name and password) and secret-looking query values (`key`,
 * `api-key`, `token`, `sig`, ...) replaced by `redacted` / `[redacted]`. A URL with nothing to redact, and
 * non-URL input, are returned unchanged (not normalized).
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
  let changed = false;
  if (parsed.username || parsed.password) {
    if (parsed.username) parsed.username = 'redacted';
    if (parsed.password) parsed.password = 'redacted';
    changed = true;
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) {
      parsed.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/**
 * A URL inside free text: scheme, `://`, then everything up to white space, a quote or a bracket, not
 * ending in sentence punctuation.
 */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`()[\]{}]*[^\s"'<>`()[\]{}.,;:!?]/gi;
/** A bearer token or basic credentials inside free text. */
const AUTH_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/**
 * Redacts credentials inside free text (an error message, a report line, a server's error excerpt): every
 * URL in it through {@link redactUrl}, and `Bearer TOKEN` / `Basic CREDENTIALS`.
 */
export function redactText(text: string): string {
  if (!text.includes('://') && !/Bearer|Basic/.test(text)) return text;
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(AUTH_IN_TEXT, `$1 ${REDACTED}`);
}

/**
 * A redacted deep copy of a JSON-like value (a document about to be printed or saved): fields named like
 * credentials ({@link isSecretHeader}: `apiKey`, `authorization`, `x-goog-api-key`, ...) become
 * `[redacted]`, every other string goes through {@link redactText}. Cycles and nesting past 64 levels are
 * cut (`[redacted]`). Functions and symbols are dropped, as `JSON.stringify` would.
 */
export function redactValue<T>(value: T): T {
  return redactNode(value, 0, new WeakSet()) as T;
}

function redactNode(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 64 || seen.has(value)) return REDACTED;
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => redactNode(item, depth + 1, seen));
  else {
    const record: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'function' || typeof item === 'symbol') continue;
      record[key] = isSecretHeader(key) && item !== undefined ? REDACTED : redactNode(item, depth + 1, seen);
    }
    out = record;
  }
  seen.delete(value);
  return out;
}

/**
 * The secret strings of a request, to scrub from whatever quotes it (error bodies, stream excerpts): the
 * values of credential headers ({@link isSecretHeader}; for `Bearer X` / `Basic X` also `X`), the URL's
 * user name and password, its secret-looking query values, and the `known` ones (the API key).
 */
export function requestSecrets(
  url: string,
  headers: Readonly<Record<string, string>> = {},
  known: readonly (string | undefined)[] = [],
): string[] {
  const secrets = new Set<string>(known.filter((s): s is string => typeof s === 'string' && s !== ''));
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) continue;
    secrets.add(value);
    const token = /^(?:Bearer|Basic)\s+(.+)$/i.exec(value)?.[1];
    if (token) secrets.add(token);
  }
  // Only a URL with user info or a query can hold a secret: skip the parse (every request passes here).
  if (!url.includes('@') && !url.includes('?')) return [...secrets];
  try {
    const parsed = new URL(url);
    for (const part of [parsed.username, parsed.password]) if (part) secrets.add(decodeURIComponent(part));
    for (const [name, value] of parsed.searchParams) if (SECRET_QUERY.test(name) && value) secrets.add(value);
  } catch {
    // Not a URL: nothing to add.
  }
  return [...secrets];
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
