/**
 * The dashboard's request checks, in order: the `Host` header names this server exactly (host and port:
 * DNS rebinding), the `Origin` header, when sent, is this server's own origin (another page in the browser
 * cannot call the API), and the per-launch token is present (as `?token=` on the page URL, then as an
 * HttpOnly SameSite=Strict cookie, or as the `x-open-agent-token` header).
 *
 * Stricter than `serve mcp`'s checks (those come from `@modelcontextprotocol/node`, an optional peer, and
 * accept any port of a loopback name): a page served on another local port is a foreign origin here.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the token after the first page load. */
export const TOKEN_COOKIE = 'open_agent_ui';
/** Header that may carry the token (scripts, `curl`). */
export const TOKEN_HEADER = 'x-open-agent-token';

/** What the checks compare against. */
export interface GuardOptions {
  /** Host names this server answers to (`127.0.0.1`, `localhost`, `[::1]`, or the `--host` given). */
  hostNames: readonly string[];
  /** The bound port. */
  port: number;
  /** The per-launch token. Never logged. */
  token: string;
}

/** The outcome of {@link checkRequest}. */
export type GuardResult =
  | { ok: true /** The token came in the query: set the cookie on this response. */; setCookie: boolean }
  | { ok: false; status: 403; message: string };

/** Constant-time string comparison (different lengths compare unequal at once). */
export function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** `host:port` strings this server accepts in `Host` (and, with `http://`, in `Origin`). */
export function allowedHosts(options: Pick<GuardOptions, 'hostNames' | 'port'>): Set<string> {
  return new Set(options.hostNames.map((name) => `${name}:${options.port}`.toLowerCase()));
}

/**
 * Checks one request. Never throws. A refused request gets status 403 and a message that names the check
 * (never the token).
 */
export function checkRequest(req: IncomingMessage, options: GuardOptions): GuardResult {
  const hosts = allowedHosts(options);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { ok: false, status: 403, message: 'Forbidden: unexpected Host header.' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = [...hosts].some((h) => origin.toLowerCase() === `http://${h}`);
    if (!own) return { ok: false, status: 403, message: 'Forbidden: foreign Origin.' };
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && safeEqual(fromQuery, options.token)) return { ok: true, setCookie: true };
  const header = req.headers[TOKEN_HEADER];
  const given = (typeof header === 'string' ? header : undefined) ?? cookieToken(req.headers.cookie);
  if (given !== undefined && safeEqual(given, options.token)) return { ok: true, setCookie: false };
  return {
    ok: false,
    status: 403,
    message: 'Forbidden: missing or wrong token (open the URL `open-agent ui` printed).',
  };
}

/** The `Set-Cookie` value that keeps the token for later requests of the page (HttpOnly, SameSite=Strict). */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
