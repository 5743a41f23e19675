/**
 * A `fetch` for Node built directly on `node:http` / `node:https`, the SDK's default transport on Node.
 *
 * Why not Node's own `fetch` (undici): it gives up waiting for response headers, and between body chunks,
 * after 300 s whatever the caller asks, which breaks long prefills on local servers; and when a request is
 * aborted while the server is still processing the prompt it keeps the socket open for a while, so a local
 * model goes on generating. Here there is no built-in wait limit (the SDK's `firstByteMs` and `idleMs`
 * govern), sockets are kept alive between calls, and an abort or a consumer that stops reading destroys that
 * request's own socket at once, which the server sees. It is also cheaper per request than undici.
 *
 * Node only, yet safe in any runtime's module graph: `node:http`, `node:https` and `node:stream` are
 * imported on the first request, through variables, so bundlers for browsers and edge runtimes do not
 * follow them and a cold `import('open-agent-sdk')` does not pay for them. The SDK calls this only when
 * `isNodeRuntime()` (see `defaultFetch`).
 * Source: Node.js `http.request`, `http.Agent({ keepAlive })`, `stream.Readable.toWeb`.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Stream from 'node:stream';

interface NodeModules {
  http: typeof Http;
  https: typeof Https;
  Readable: typeof Stream.Readable;
}

// Variables, not literals: bundlers leave `import(variable)` alone.
const HTTP: string = 'node:http';
const HTTPS: string = 'node:https';
const STREAM: string = 'node:stream';
let loading: Promise<NodeModules> | undefined;

function nodeModules(): Promise<NodeModules> {
  loading ??= Promise.all([import(HTTP), import(HTTPS), import(STREAM)]).then(
    ([http, https, stream]: [typeof Http, typeof Https, typeof Stream]) => ({
      http,
      https,
      Readable: stream.Readable,
    }),
  );
  return loading;
}

/** Settings of {@link createNodeHttpFetch}, in ms. */
export interface NodeHttpFetchSettings {
  /** Limit on opening a connection; `Infinity` for none. @default 10000 */
  connectMs?: number;
}

function toHeaderRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    for (const [key, value] of headers) out[key] = value;
  } else if (Array.isArray(headers)) for (const [key, value] of headers) out[key.toLowerCase()] = value;
  else for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = String(value);
  return out;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Builds a `fetch` over `node:http`. Supports what the SDK sends: a URL string, `method`, `headers`, a string
 * body, `signal`. Redirects are never followed (like `redirect: 'manual'`). Connection failures reject with
 * `TypeError('fetch failed', { cause })` carrying the system error code, as undici's `fetch` does.
 */
export function createNodeHttpFetch(settings: NodeHttpFetchSettings = {}): typeof fetch {
  const connectMs = settings.connectMs ?? 10_000;
  let agents: { 'http:': Http.Agent; 'https:': Https.Agent } | undefined;
  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const { http, https, Readable } = await nodeModules();
    agents ??= {
      'http:': new http.Agent({ keepAlive: true }),
      'https:': new https.Agent({ keepAlive: true }),
    };
    const pool = agents;
    return new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const headers = toHeaderRecord(init.headers);
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const request = (protocol === 'https:' ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers,
        agent: pool[protocol],
      });
      let connectTimer: ReturnType<typeof setTimeout> | undefined;
      const clearConnect = () => {
        if (connectTimer !== undefined) clearTimeout(connectTimer);
        connectTimer = undefined;
      };
      const onAbort = () => request.destroy(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      request.on('socket', (socket) => {
        if (!socket.connecting || !Number.isFinite(connectMs)) return;
        connectTimer = setTimeout(() => {
          const error = Object.assign(new Error(`connect timed out after ${connectMs} ms`), {
            code: 'UND_ERR_CONNECT_TIMEOUT',
          });
          request.destroy(error);
        }, connectMs);
        socket.once('connect', clearConnect);
      });
      request.on('response', (res) => {
        clearConnect();
        res.once('close', done);
        const responseHeaders = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2)
          responseHeaders.append(raw[i] as string, raw[i + 1] as string);
        const status = res.statusCode ?? 0;
        const empty = status === 204 || status === 205 || status === 304;
        if (empty) res.resume();
        const stream = empty ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
        resolve(
          new Response(stream, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }),
        );
      });
      request.on('error', (error) => {
        clearConnect();
        done();
        if (signal?.aborted) reject(abortError(signal));
        else reject(new TypeError('fetch failed', { cause: error }));
      });
      request.end(body);
    });
  };
  return nodeFetch as typeof fetch;
}
