/**
 * The SDK's default transport on Node, built directly on `node:http` / `node:https`.
 *
 * Why not Node's own `fetch` (undici): it gives up waiting for response headers, and between body chunks,
 * after 300 s whatever the caller asks, which breaks long prefills on local servers; and when a request is
 * aborted while the server is still processing the prompt it keeps the socket open for a while, so a local
 * model goes on generating. Here there is no built-in wait limit (the SDK's `firstByteMs` and `idleMs`
 * govern), sockets are kept alive between calls, and an abort or a consumer that stops reading destroys that
 * request's own socket at once, which the server sees. It is also cheaper: the response is the
 * `IncomingMessage` itself behind the {@link HttpResponse} shape, with no `Response`, `Headers` or web
 * `ReadableStream` per request (about 8 KB less per open stream and 40 µs less per request, measured by
 * `bench/`). `createNodeHttpFetch` wraps this into a standard `fetch` for other callers.
 *
 * Safe in any runtime's module graph: `node:http`, `node:https` are imported on the first request, through
 * variables, so bundlers for browsers and edge runtimes do not follow them and a cold
 * `import('open-agent-sdk')` does not pay for them. The SDK calls this only when `isNodeRuntime()`.
 * Source: Node.js `http.request`, `http.Agent({ keepAlive })`, `http.IncomingMessage`.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { memoLast } from './memo-last.js';
import { proxyAgent, scrubProxyError } from './proxy.js';
import type { AbortLike, BodyReader, HeaderSource, HttpBody, HttpResponse } from './transport.js';

/** Settings of {@link createNodeHttpTransport}, in ms. */
export interface NodeHttpSettings {
  /** Limit on opening a connection; `Infinity` for none. @default 10000 */
  connectMs?: number;
  /**
   * The proxy URL for a request URL (or a promise of it), or undefined to connect directly (`envProxyFor` of `proxy.ts` reads
   * `HTTP(S)_PROXY` / `NO_PROXY`). @default no proxy
   */
  proxyFor?: (url: string) => string | undefined | Promise<string | undefined>;
}

/** A request of the Node transport: the SDK's POST, or any method for `createNodeHttpFetch`. */
export interface NodeHttpRequest {
  url: string;
  /** @default 'POST' */
  method?: string;
  /** Header names in any case. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortLike;
}

interface NodeModules {
  http: typeof Http;
  https: typeof Https;
}

// Variables, not literals: bundlers leave `import(variable)` alone.
const HTTP: string = 'node:http';
const HTTPS: string = 'node:https';
let loading: Promise<NodeModules> | undefined;

function nodeModules(): Promise<NodeModules> {
  loading ??= Promise.all([import(HTTP), import(HTTPS)]).then(
    ([http, https]: [typeof Http, typeof Https]) => ({ http, https }),
  );
  return loading;
}

function abortError(signal: AbortLike): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function ignore(): void {}

/** Where a URL sends a request, as `http.request` options. */
interface Target {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: string;
  path: string;
  auth: string | undefined;
}

/** Parses `url` into request options; the last answer is kept (every call of a model has the same URL). */
const targetOf = memoLast((url: string): Target => {
  const parsed = new URL(url);
  return {
    protocol: parsed.protocol === 'https:' ? 'https:' : 'http:',
    // `http.request` wants an IPv6 literal without its brackets.
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port,
    path: `${parsed.pathname}${parsed.search}`,
    auth:
      parsed.username || parsed.password
        ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
        : undefined,
  };
});

/** `IncomingMessage.headers` (lower-case names, repeats joined by Node) read as a {@link HeaderSource}. */
class IncomingHeaders implements HeaderSource {
  readonly #headers: Http.IncomingHttpHeaders;

  constructor(headers: Http.IncomingHttpHeaders) {
    this.#headers = headers;
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.#headers)) yield [name, this.get(name) as string];
  }
}

/**
 * Reads an `IncomingMessage` chunk by chunk with backpressure: the socket is paused while a chunk waits
 * for its `read()`. `cancel()` destroys the socket. A connection that closes before the body ended
 * rejects the pending and later reads with the socket's error (`ECONNRESET` "aborted" from Node), or with
 * the signal's reason when the request was aborted (as `fetch` bodies do).
 */
class IncomingBody implements HttpBody, BodyReader {
  readonly #res: Http.IncomingMessage;
  readonly #signal: AbortLike | undefined;
  readonly #queue: Uint8Array[] = [];
  #ended = false;
  /** The caller is done with the body (see `ended()`): what is still buffered is read and dropped. */
  #drop = false;
  /** Resolves the promise `ended()` returned, once the connection is back in its pool (or gone). */
  #released: ((ended: boolean) => void) | undefined;
  #error: Error | undefined;
  #waiting:
    | { resolve: (r: ReadableStreamReadResult<Uint8Array>) => void; reject: (e: Error) => void }
    | undefined;

  constructor(res: Http.IncomingMessage, signal: AbortLike | undefined) {
    this.#res = res;
    this.#signal = signal;
    res.on('data', (chunk: Buffer) => {
      if (this.#drop) return;
      const waiting = this.#waiting;
      if (waiting !== undefined) {
        this.#waiting = undefined;
        waiting.resolve({ done: false, value: chunk });
        return;
      }
      this.#queue.push(chunk);
      res.pause();
    });
    res.once('end', () => {
      this.#ended = true;
      this.#settle();
    });
    res.on('error', (error: Error) => {
      this.#error ??= this.#signal?.aborted ? abortError(this.#signal) : error;
      this.#settle();
    });
    res.once('close', () => {
      if (!this.#ended && this.#error === undefined) {
        this.#error = this.#signal?.aborted
          ? abortError(this.#signal)
          : Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      }
      this.#settle();
    });
  }

  #settle(): void {
    const released = this.#released;
    if (released !== undefined) {
      this.#released = undefined;
      // After Node's own `end` listener, which frees the socket on the next tick: ours runs after it.
      process.nextTick(released, true);
    }
    const waiting = this.#waiting;
    if (waiting === undefined || this.#queue.length > 0) return;
    this.#waiting = undefined;
    if (this.#error !== undefined) waiting.reject(this.#error);
    else if (this.#ended) waiting.resolve({ done: true, value: undefined });
  }

  getReader(): BodyReader {
    return this;
  }

  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      if (this.#queue.length === 0 && !this.#ended) this.#res.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    this.#res.resume();
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  cancel(): Promise<void> {
    this.#queue.length = 0;
    if (!this.#ended) this.#res.destroy();
    return Promise.resolve();
  }

  /**
   * After the caller's end marker: false when the body has not fully arrived; else the rest is dropped
   * and this resolves true once the keep-alive socket is back in the agent's pool (a tick or two), so a
   * request that follows at once (the next turn of an agent loop) reuses the connection instead of
   * opening another one.
   */
  ended(): boolean | Promise<boolean> {
    if (this.#ended) return true;
    if (this.#error !== undefined || !this.#res.complete) return false;
    this.#queue.length = 0;
    this.#drop = true;
    const released = new Promise<boolean>((resolve) => {
      this.#released = resolve;
    });
    this.#res.resume();
    return released;
  }
}

/** The response of the Node transport. */
class IncomingResponse implements HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeaderSource;
  readonly body: IncomingBody | null;

  constructor(res: Http.IncomingMessage, signal: AbortLike | undefined) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.headers = new IncomingHeaders(res.headers);
    const empty = this.status === 204 || this.status === 205 || this.status === 304;
    if (empty) res.resume();
    this.body = empty ? null : new IncomingBody(res, signal);
  }
}

/**
 * Builds the Node transport: keep-alive agents per protocol, a connect limit, no other wait limits.
 * Connection failures reject with `TypeError('fetch failed', { cause })` carrying the system error code,
 * as undici's `fetch` does; an abort rejects with the signal's reason (or an `AbortError` DOMException).
 */
export function createNodeHttpTransport(
  settings: NodeHttpSettings = {},
): (request: NodeHttpRequest) => Promise<HttpResponse> {
  const connectMs = settings.connectMs ?? 10_000;
  const proxyFor = settings.proxyFor;
  let agents: { 'http:': Http.Agent; 'https:': Https.Agent } | undefined;
  return async (input) => {
    const { http, https } = await nodeModules();
    agents ??= {
      'http:': new http.Agent({ keepAlive: true }),
      'https:': new https.Agent({ keepAlive: true }),
    };
    const pool = agents;
    if (input.signal?.aborted) throw abortError(input.signal);
    const target = targetOf(input.url);
    const found = proxyFor?.(input.url);
    const proxy = found instanceof Promise ? await found : found;
    const agent = proxy === undefined ? pool[target.protocol] : await proxyAgent(proxy, target.protocol);
    if (input.signal?.aborted) throw abortError(input.signal);
    const headers: Record<string, string> = {};
    for (const name of Object.keys(input.headers))
      headers[name.toLowerCase()] = input.headers[name] as string;
    if (input.body !== undefined) headers['content-length'] = String(Buffer.byteLength(input.body));
    const request = (target.protocol === 'https:' ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      ...(target.auth !== undefined && { auth: target.auth }),
      method: input.method ?? 'POST',
      headers,
      agent,
    });
    if (proxy === undefined) return exchange(request, input.body, input.signal, connectMs);
    // A proxy's failure may quote its URL: its credentials never reach an error.
    return exchange(request, input.body, input.signal, connectMs).catch((error: unknown) => {
      throw scrubProxyError(error, proxy);
    });
  };
}

/** Where the early-failure listeners below find the pending exchange's `onError` (per request, no closure). */
const FAIL = Symbol('fail');
type Failing = Http.ClientRequest & { [FAIL]?: ((error: Error) => void) | undefined };

/** A `101 Switching Protocols` answer has no HTTP response to read: fail now instead of waiting. */
function onUpgrade(this: Failing, _res: unknown, socket: { destroy(): void }): void {
  socket.destroy();
  const error = Object.assign(new Error('the server answered 101 Switching Protocols'), {
    code: 'UND_ERR_SWITCHING_PROTOCOLS',
  });
  this[FAIL]?.(error);
}

/** The request closed before its response arrived. */
function onEarlyClose(this: Failing): void {
  this[FAIL]?.(new Error('the connection closed before a response arrived'));
}

/**
 * Sends `request` and resolves with its response. A function of its own so the listeners it leaves on the
 * request and the signal for the life of the stream hold only what they use (not the request's input).
 */
function exchange(
  request: Http.ClientRequest,
  body: string | Uint8Array | undefined,
  signal: AbortLike | undefined,
  connectMs: number,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let connectTimer: ReturnType<typeof setTimeout> | undefined;
    const clearConnect = () => {
      if (connectTimer !== undefined) clearTimeout(connectTimer);
      connectTimer = undefined;
    };
    let settled = false;
    const done = () => signal?.removeEventListener('abort', onAbort);
    const onError = (error: Error) => {
      if (settled) return;
      settled = true;
      clearConnect();
      done();
      if (signal?.aborted) reject(abortError(signal));
      else reject(new TypeError('fetch failed', { cause: error }));
    };
    // Settles even when the request emits nothing more after `destroy` (e.g. after a 101 upgrade).
    function onAbort(): void {
      request.destroy(abortError(signal as AbortLike));
      onError(abortError(signal as AbortLike));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    (request as Failing)[FAIL] = onError;
    request.on('upgrade', onUpgrade);
    request.on('close', onEarlyClose);
    request.once('socket', (socket) => {
      if (!socket.connecting || !Number.isFinite(connectMs)) return;
      connectTimer = setTimeout(() => {
        const error = Object.assign(new Error(`connect timed out after ${connectMs} ms`), {
          code: 'UND_ERR_CONNECT_TIMEOUT',
        });
        request.destroy(error);
      }, connectMs);
      socket.once('connect', clearConnect);
    });
    request.once('response', (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      clearConnect();
      request.removeListener('upgrade', onUpgrade);
      request.removeListener('close', onEarlyClose);
      (request as Failing)[FAIL] = undefined;
      res.once('close', done);
      // From here on failures reach the body (`res`); the request keeps only a no-op error listener, so
      // this function's closures are not held for the life of the stream.
      request.removeListener('error', onError);
      request.on('error', ignore);
      resolve(new IncomingResponse(res, signal));
    });
    request.on('error', onError);
    request.end(body);
  });
}
