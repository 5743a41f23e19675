/**
 * Which transport a call uses, and the undici variant. On Node, `fetch` is undici with a 300 s limit on
 * waiting for response headers (`headersTimeout`) and on silence between body chunks (`bodyTimeout`),
 * whatever the caller's own limits are; a local model that needs longer to load or to process a long prompt
 * then fails with `UND_ERR_HEADERS_TIMEOUT`. So when the caller passes no `fetch`, {@link defaultTransport}
 * picks the SDK's own `node:http` transport on Node and `globalThis.fetch` elsewhere (Bun, Deno, edge,
 * browsers). A dispatcher installed with undici's `setGlobalDispatcher` (a proxy, say) is respected: the SDK
 * then keeps the global `fetch` (see `userDispatcher`). {@link createUndiciFetch} builds a `fetch` over an
 * undici `Agent` with both limits lifted, from an undici module the caller loaded (`createNodeFetch` in
 * `open-agent-sdk/node` imports the optional `undici` package); this module imports no undici code.
 */

import type * as Undici from 'undici';
import { createNodeHttpTransport } from './node-http-transport.js';
import { envProxyFor, scrubProxyError } from './proxy.js';
import { fetchTransport, type Transport } from './transport.js';

/** Settings of a Node `fetch` built by {@link createUndiciFetch}, in ms. */
export interface NodeFetchSettings {
  /** Connect limit. @default 10000 */
  connectMs?: number;
  /**
   * Limit on waiting for the response headers; `0` disables it (the SDK's `firstByteMs` governs).
   * @default 0
   */
  headersTimeoutMs?: number;
  /** Limit on silence between body chunks; `0` disables it (the SDK's `idleMs` governs). @default 0 */
  bodyTimeoutMs?: number;
}

/** Undici's global-dispatcher slot (undici `lib/global.js`), set by `setGlobalDispatcher`. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * True when the global undici dispatcher is one a user installed (a `ProxyAgent`, `EnvHttpProxyAgent`,
 * `MockAgent`, ...). Node's fetch and undici itself put a plain `Agent` there on first use, so a plain
 * `Agent` is taken as the default (a user's custom plain `Agent` is not detected: pass `fetch` then).
 */
function userDispatcher(): boolean {
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  if (typeof dispatcher !== 'object' || dispatcher === null) return false;
  return (dispatcher as { constructor?: { name?: unknown } }).constructor?.name !== 'Agent';
}

/** {@link isNodeRuntime}, found once (the runtime does not change). */
let nodeRuntime: boolean | undefined;

/** True on Node itself (Bun and Deno also define `process.versions.node`, but their fetch is not undici). */
export function isNodeRuntime(): boolean {
  nodeRuntime ??= detectNode();
  return nodeRuntime;
}

function detectNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string | undefined> }; Deno?: unknown };
  const versions = g.process?.versions;
  return typeof versions?.node === 'string' && versions.bun === undefined && g.Deno === undefined;
}

/** True for hosts on this machine or a private network, where a local model server usually runs. */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^127\./.test(h) ||
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^(fc|fd)[0-9a-f]{2}:/.test(h)
  );
}

function urlOf(input: unknown): string {
  return typeof input === 'string'
    ? input
    : input instanceof URL
      ? input.href
      : String((input as { url?: unknown }).url);
}

function hostOf(input: unknown): string {
  try {
    return new URL(urlOf(input)).hostname;
  } catch {
    return '';
  }
}

/**
 * A `fetch` over undici with the given limits. `connectMs` is clamped to at least 1 ms; an infinite one
 * becomes 0 (undici: no limit).
 *
 * Requests to local hosts (loopback and private networks, where model servers run) get a connection of
 * their own: undici keeps the socket of a request whose body was fully sent when its signal aborts (it
 * waits for the response, about 4 s on loopback), so an abort while a local model is still processing the
 * prompt would leave the model working and the socket open. Their own agent is destroyed on abort, which
 * closes the socket at once (Ollama, llama.cpp and vLLM stop generating when the client goes away); a new
 * loopback connection costs well under a millisecond. Remote hosts share one keep-alive pool, so cloud
 * calls do not pay a TLS handshake each.
 *
 * Proxies: a request the environment sends through a proxy (`HTTPS_PROXY` / `HTTP_PROXY` minus
 * `NO_PROXY`, never for loopback hosts; see `envProxyFor` in `proxy.ts`, read per request) goes through an
 * undici `ProxyAgent` for that proxy URL (one per proxy, kept). The same resolver as the `node:http`
 * transport, rather than undici's `EnvHttpProxyAgent`, so both transports agree on `NO_PROXY` and loopback.
 *
 * @param undici - the `undici` module (npm package).
 */
export function createUndiciFetch(undici: typeof Undici, settings: NodeFetchSettings = {}): typeof fetch {
  const connectMs = settings.connectMs ?? 10_000;
  const options = {
    headersTimeout: settings.headersTimeoutMs ?? 0,
    bodyTimeout: settings.bodyTimeoutMs ?? 0,
    connect: { timeout: Number.isFinite(connectMs) ? Math.max(1, Math.round(connectMs)) : 0 },
  };
  let pool: Undici.Agent | undefined;
  const proxies = new Map<string, Undici.Dispatcher>();
  const nodeFetch = async (input: unknown, init?: unknown): Promise<Undici.Response> => {
    const request = (init ?? {}) as Undici.RequestInit;
    const found = envProxyFor(urlOf(input));
    const proxy = found instanceof Promise ? await found : found;
    if (proxy !== undefined) {
      let dispatcher = proxies.get(proxy);
      if (dispatcher === undefined) {
        dispatcher = new undici.ProxyAgent({ ...options, uri: proxy });
        if (proxies.size >= 16) proxies.clear();
        proxies.set(proxy, dispatcher);
      }
      try {
        return await undici.fetch(input as Undici.RequestInfo, { ...request, dispatcher });
      } catch (error) {
        throw scrubProxyError(error, proxy);
      }
    }
    if (!isLocalHost(hostOf(input))) {
      pool ??= new undici.Agent(options);
      return undici.fetch(input as Undici.RequestInfo, { ...request, dispatcher: pool });
    }
    const agent = new undici.Agent(options);
    const signal = request.signal ?? undefined;
    const destroy = (): void => {
      agent.destroy().catch(() => {});
    };
    // The listener lives as long as the signal: callers pass a per-request signal (the SDK does).
    signal?.addEventListener('abort', destroy, { once: true });
    try {
      const response = await undici.fetch(input as Undici.RequestInfo, { ...request, dispatcher: agent });
      // Graceful: the body in flight finishes, then the socket closes.
      agent.close().catch(() => {});
      return response;
    } catch (error) {
      signal?.removeEventListener('abort', destroy);
      destroy();
      throw error;
    }
  };
  return nodeFetch as unknown as typeof fetch;
}

const cache = new Map<number, Transport>();

/**
 * The transport the SDK uses when the caller gave no `fetch`: on Node (without a user-installed global
 * undici dispatcher) the `node:http` transport of `node-http-transport.ts` (no 300 s waits, keep-alive, an
 * abort closes the request's socket), one per distinct `connectMs`, honouring `HTTPS_PROXY` /
 * `HTTP_PROXY` / `NO_PROXY` per request (loopback hosts always direct; see `proxy.ts`); elsewhere
 * `globalThis.fetch`, which follows the runtime's own proxy support (Node's global `fetch` ignores these
 * variables unless `NODE_USE_ENV_PROXY=1` on Node ≥ 24, or a proxy dispatcher was installed). The undici
 * variant stays available explicitly (`createNodeFetch`, which honours the same variables).
 */
export function defaultTransport(connectMs: number): Transport {
  if (!isNodeRuntime() || userDispatcher()) return fetchTransport(globalThis.fetch);
  let transport = cache.get(connectMs);
  if (transport === undefined) {
    transport = createNodeHttpTransport({ connectMs, proxyFor: envProxyFor });
    // A few distinct values at most in practice; the cap keeps a caller that varies it from growing this.
    if (cache.size >= 16) cache.clear();
    cache.set(connectMs, transport);
  }
  return transport;
}
