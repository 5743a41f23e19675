/**
 * Proxies from the environment for the SDK's Node transports: `HTTPS_PROXY` / `https_proxy` for `https:`
 * URLs, `HTTP_PROXY` / `http_proxy` for `http:` URLs (`ALL_PROXY` for both), except hosts listed in
 * `NO_PROXY` / `no_proxy` and loopback hosts (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`), which are
 * always reached directly: a local model server is never sent through a proxy.
 *
 * `NO_PROXY` follows the `proxy-from-env` package: comma- or space-separated entries, `*` for every
 * host, `host` for that host exactly, `.example.com` or `*.example.com` for it and its subdomains, an
 * optional `:port`. The agents come from `http-proxy-agent` (absolute-URI requests) and
 * `https-proxy-agent` (a `CONNECT` tunnel), loaded on the first proxied request only.
 *
 * @module
 */

import type * as Http from 'node:http';
import { redactSecrets, redactText } from './redact.js';

/** The variables that name a proxy; when none is set, {@link envProxyFor} costs a few env reads. */
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

function envOf(): Record<string, string | undefined> | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `::1` (with or without brackets). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1'
  );
}

/** An `http(s)://` URL whose host is `localhost`, 127.0.0.0/8 or `[::1]` (user-info and port allowed). */
const LOOPBACK_URL =
  /^https?:\/\/(?:[^@/?#]*@)?(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::\d*)?(?:[/?#]|$)/i;

/**
 * The proxy URL the environment asks for `url`, or undefined for a direct connection (no proxy variable,
 * a `NO_PROXY` match, a loopback host, a URL that does not parse). Read per request, so a changed
 * environment applies to the next request. A promise only the first time a proxy variable is set and the
 * host is not loopback (the `NO_PROXY` matcher, `proxy-from-env`, is loaded then).
 */
export function envProxyFor(url: string): string | undefined | Promise<string | undefined> {
  // Loopback first: a local model server is never proxied, and reading six variables costs more than this.
  if (LOOPBACK_URL.test(url)) return undefined;
  const env = envOf();
  if (env === undefined || !PROXY_VARS.some((name) => env[name])) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (isLoopbackHost(parsed.hostname)) return undefined;
  if (proxyForUrl !== undefined) return proxyOf(proxyForUrl, parsed);
  // Loaded on the first request the environment may proxy: importing it costs every process that never does.
  return import('proxy-from-env').then((module) => {
    proxyForUrl = module.getProxyForUrl;
    return proxyOf(proxyForUrl, parsed);
  });
}

/** `proxy-from-env`'s resolver, once loaded. */
let proxyForUrl: ((url: URL) => string) | undefined;

function proxyOf(resolve: (url: URL) => string, url: URL): string | undefined {
  const proxy = resolve(url);
  return proxy === '' ? undefined : proxy;
}

/**
 * The user name and password of a proxy URL (decoded and as written) and the URL itself, to scrub from
 * error text; none when it has no credentials.
 */
export function proxySecrets(proxyUrl: string): string[] {
  try {
    const parsed = new URL(proxyUrl);
    const parts = [parsed.username, parsed.password].filter((p) => p !== '');
    return [...parts, ...parts.map((p) => decodeURIComponent(p))];
  } catch {
    return [];
  }
}

/**
 * `error` (a proxy or connection failure of a proxied request) with the proxy's credentials removed from
 * its message and its causes' messages (URLs with user-info are redacted, and the user name and password
 * wherever they appear); `code` and `cause` are kept.
 */
export function scrubProxyError(error: unknown, proxyUrl: string): unknown {
  const secrets = proxySecrets(proxyUrl);
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const scrubbed = redactSecrets(redactText(current.message), secrets);
    if (scrubbed !== current.message) {
      Object.defineProperty(current, 'message', { value: scrubbed, writable: true, configurable: true });
      if (typeof current.stack === 'string')
        Object.defineProperty(current, 'stack', {
          value: redactSecrets(redactText(current.stack), secrets),
          writable: true,
          configurable: true,
        });
    }
    current = current.cause;
  }
  return error;
}

type AgentModule = {
  HttpProxyAgent?: new (proxy: string, options?: Http.AgentOptions) => Http.Agent;
  HttpsProxyAgent?: new (proxy: string, options?: Http.AgentOptions) => Http.Agent;
};

// Variables, not literals: bundlers for browsers and edge runtimes leave `import(variable)` alone.
const HTTP_PROXY_AGENT: string = 'http-proxy-agent';
const HTTPS_PROXY_AGENT: string = 'https-proxy-agent';
const agents = new Map<string, Promise<Http.Agent>>();

/**
 * A keep-alive agent that sends requests for `protocol` URLs through `proxyUrl`: absolute-URI requests
 * for `http:`, a `CONNECT` tunnel for `https:`. One per proxy and protocol, kept for the process (at most
 * 16; older ones are let go).
 */
export function proxyAgent(proxyUrl: string, protocol: 'http:' | 'https:'): Promise<Http.Agent> {
  const key = `${protocol} ${proxyUrl}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = (async () => {
      const name = protocol === 'https:' ? HTTPS_PROXY_AGENT : HTTP_PROXY_AGENT;
      const mod = (await import(name)) as AgentModule;
      const Agent = protocol === 'https:' ? mod.HttpsProxyAgent : mod.HttpProxyAgent;
      if (Agent === undefined) throw new Error(`${name} has no proxy agent export`);
      return new Agent(proxyUrl, { keepAlive: true });
    })();
    agent.catch(() => agents.delete(key));
    if (agents.size >= 16) agents.clear();
    agents.set(key, agent);
  }
  return agent;
}
