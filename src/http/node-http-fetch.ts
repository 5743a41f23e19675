/**
 * A standard `fetch` over the SDK's `node:http` transport (`node-http-transport.ts`), for callers that want
 * its behaviour outside the SDK's own requests (or want to pass it explicitly as `StreamOptions.fetch`):
 * no 300 s waits, keep-alive between calls, an abort closes that request's socket.
 *
 * Node only, yet safe in any runtime's module graph (the `node:*` modules load on the first request).
 * Source: WHATWG Fetch `Response` and Streams `ReadableStream` over Node.js `http.request`.
 */
import { createNodeHttpTransport, type NodeHttpSettings } from './node-http-transport.js';
import { envProxyFor } from './proxy.js';
import type { HttpResponse } from './transport.js';

/** Settings of {@link createNodeHttpFetch}, in ms. */
export type NodeHttpFetchSettings = NodeHttpSettings;

function toHeaderRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    for (const [key, value] of headers) out[key] = value;
  } else if (Array.isArray(headers)) for (const [key, value] of headers) out[key.toLowerCase()] = value;
  else for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = String(value);
  return out;
}

function toResponse(response: HttpResponse): Response {
  const headers = new Headers();
  for (const [name, value] of response.headers.entries()) headers.append(name, value);
  const body = response.body;
  const reader = body?.getReader();
  const stream =
    reader === undefined
      ? null
      : new ReadableStream<Uint8Array>({
          async pull(controller) {
            const step = await reader.read();
            if (step.done) controller.close();
            else controller.enqueue(step.value);
          },
          cancel: (reason) => reader.cancel(reason),
        });
  return new Response(stream, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Builds a `fetch` over `node:http`. Honours `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (loopback hosts always
 * direct) unless `settings.proxyFor` says otherwise. Supports what the SDK sends: a URL string, `method`, `headers`, a string
 * body, `signal`. Redirects are never followed (like `redirect: 'manual'`). Connection failures reject with
 * `TypeError('fetch failed', { cause })` carrying the system error code, as undici's `fetch` does.
 */
export function createNodeHttpFetch(settings: NodeHttpFetchSettings = {}): typeof fetch {
  const transport = createNodeHttpTransport({ proxyFor: envProxyFor, ...settings });
  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await transport({
      url,
      method: init.method ?? 'GET',
      headers: toHeaderRecord(init.headers),
      ...(typeof init.body === 'string' && { body: init.body }),
      ...(init.signal && { signal: init.signal }),
    });
    return toResponse(response);
  };
  return nodeFetch as typeof fetch;
}
