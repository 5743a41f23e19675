/**
 * The HTTP exchange the streaming driver needs, and nothing more: one POST, then the status, the headers
 * and a body read chunk by chunk. A fetch `Response` is one ({@link fetchTransport}); on Node the SDK's own
 * `node:http` transport returns a lighter object of the same shape, without building a `Response`, a
 * `Headers` and a web `ReadableStream` per request (see `node-http-transport.ts`).
 *
 * Source: the subset of the WHATWG Fetch `Response` and Streams `ReadableStreamDefaultReader` interfaces
 * the SDK uses (https://fetch.spec.whatwg.org/#response-class, https://streams.spec.whatwg.org/#default-reader-class).
 */

/** The part of an `AbortSignal` the Node transport reads (an `AbortSignal` is one). */
export interface AbortLike {
  /** True once aborted. */
  readonly aborted: boolean;
  /** Why it was aborted (an `Error`, e.g. a `TimeoutError`), once aborted. */
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The abort signal of a request: an {@link AbortLike} (the SDK's attempts use a light one of their own; an
 * `AbortController` costs about 1 KB per open stream on Node) that makes a real `AbortSignal` on demand, for
 * a `fetch`.
 */
export interface RequestSignal extends AbortLike {
  /** A real `AbortSignal` aborted with this one. */
  toAbortSignal(): AbortSignal;
}

/** A request body as a transport sends it: text (UTF-8) or bytes. (`send()` turns `FormData` into bytes.) */
export type TransportBody = string | Uint8Array;

/** One request. */
export interface HttpRequest {
  /** Full URL. */
  url: string;
  /** HTTP method. @default 'POST' */
  method?: string;
  /** Request headers, credentials included. */
  headers: Record<string, string>;
  /** The body (JSON text for model calls); none for `GET`. */
  body?: TransportBody;
  /** Aborts the request and the body read. */
  signal: RequestSignal;
}

/** Reads response headers, case-insensitively (as `Headers` does). */
export interface HeaderSource {
  /** The value, repeated headers joined with `, `; `null` when absent. */
  get(name: string): string | null;
  /** Every header as `[lower-case name, value]`. */
  entries(): IterableIterator<[string, string]>;
}

/** Reads a response body in chunks, like a `ReadableStreamDefaultReader<Uint8Array>`. */
export interface BodyReader {
  /** The next chunk, or `{ done: true }` at the end. Rejects when the connection breaks or is aborted. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stops reading and releases the connection. Never rejects in the SDK's own readers. */
  cancel(reason?: unknown): Promise<void>;
  /**
   * Optional, for readers that know it without a read: asked once, after a stream's end marker, when
   * the caller needs nothing more. True (or a promise of true, settled once the connection is back in
   * its pool) when the whole body has arrived: the rest is dropped. False when more may come (the caller
   * then waits one macrotask for the end of the body, and cancels it otherwise).
   */
  ended?(): boolean | Promise<boolean>;
}

/** The response body: read it once through a reader, or cancel it unread. */
export interface HttpBody {
  getReader(): BodyReader;
  cancel(reason?: unknown): Promise<void>;
}

/** What a {@link Transport} resolves to: the parts of a fetch `Response` the SDK reads. */
export interface HttpResponse {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase ('' when the server sent none, as with HTTP/2). */
  readonly statusText: string;
  /** Response headers. */
  readonly headers: HeaderSource;
  /** The body; `null` when there is none (204, 205, 304). */
  readonly body: HttpBody | null;
}

/**
 * Sends one request. Resolves once the response headers arrived; rejects when no response arrives (the
 * error or its `cause` carries the system error `code`, as undici's `TypeError('fetch failed')` does), or
 * with the signal's reason when it aborts first. Redirects are never followed.
 */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * `promise`, or the signal's reason as soon as it aborts, whichever comes first. The abort listener is
 * removed once `promise` settles, so nothing stays attached to the signal (or holds the result).
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortLike): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A body whose reads also end when the request's signal aborts (a `fetch` whose stream ignores its
 * signal): the abort cancels the reader, which settles a pending read at once (WHATWG Streams: a
 * cancelled stream resolves its pending reads as done), and every read after the abort rejects with the
 * signal's reason. One listener and one shared callback per body: nothing accumulates per chunk.
 */
function abortableBody(body: ReadableStream<Uint8Array>, signal: AbortLike): HttpBody {
  return {
    getReader() {
      const reader = body.getReader();
      const onAbort = (): void => {
        reader.cancel(signal.reason).catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const checked = (step: ReadableStreamReadResult<Uint8Array>): ReadableStreamReadResult<Uint8Array> => {
        if (signal.aborted) throw signal.reason;
        if (step.done) signal.removeEventListener('abort', onAbort);
        return step;
      };
      return {
        read: () => (signal.aborted ? Promise.reject(signal.reason) : reader.read().then(checked)),
        cancel: (reason) => {
          signal.removeEventListener('abort', onAbort);
          return reader.cancel(reason).catch(() => {});
        },
      };
    },
    cancel: (reason) => body.cancel(reason).catch(() => {}),
  };
}

/**
 * A {@link Transport} over any `fetch` (the portable path). The SDK does not trust the `fetch` to honour
 * its signal: the call and every body read race the request's signal, so a custom `fetch` that never
 * settles (or a body that never ends) still ends by abort or the call's time limits.
 */
export function fetchTransport(doFetch: typeof fetch): Transport {
  return async (request) => {
    const signal = request.signal;
    const response = await raceAbort(
      doFetch(request.url, {
        method: request.method ?? 'POST',
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body as BodyInit }),
        signal: signal.toAbortSignal(),
        redirect: 'manual',
      }),
      signal,
    );
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: response.body ? abortableBody(response.body, signal) : null,
    };
  };
}
