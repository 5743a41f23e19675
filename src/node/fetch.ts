import type * as Undici from 'undici';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { createUndiciFetch, type NodeFetchSettings } from '../http/node-fetch.js';

export type { NodeFetchSettings } from '../http/node-fetch.js';

// A variable, not a literal: bundlers leave `import(variable)` alone, and undici is optional.
const UNDICI: string = 'undici';
let loading: Promise<typeof Undici> | undefined;

function loadUndici(): Promise<typeof Undici> {
  loading ??= (import(UNDICI) as Promise<typeof Undici>).catch((error: unknown) => {
    loading = undefined;
    throw new InvalidArgumentError(
      'createNodeFetch() needs the optional "undici" package, which is not installed: run `npm install undici` (version 6 or later), or leave `fetch` unset to use the SDK\'s own node:http transport.',
      { argument: 'fetch', cause: error },
    );
  });
  return loading;
}

/**
 * A `fetch` for Node over undici, with undici's limits under your control. By default it lifts undici's
 * 300 s limits on waiting for response headers and between body chunks (`headersTimeoutMs: 0`,
 * `bodyTimeoutMs: 0`), so the SDK's own `timeouts.firstByteMs` and `timeouts.idleMs` govern, and sets the
 * connect limit (`connectMs`, default 10,000 ms).
 *
 * The SDK's default on Node is its own `node:http` transport (`createNodeHttpFetch`), which has none
 * of undici's limits and costs less per request; use this when you want undici itself (its connection
 * pooling, or a `fetch` you also use elsewhere):
 *
 * ```ts
 * import { createNodeFetch } from 'open-agent-sdk/node';
 * const result = await complete(model, context, { fetch: createNodeFetch({ connectMs: 3_000 }) });
 * ```
 *
 * Node only. `undici` is an optional peer dependency (version 6 or later), imported on the first request;
 * when it is missing, every call rejects with an `InvalidArgumentError` (`argument: 'fetch'`) that says
 * how to install it, which the SDK reports as the stream's `error` event. Source: undici `Agent` options
 * `headersTimeout`, `bodyTimeout`, `connect.timeout` (https://undici.nodejs.org/#/docs/api/Client).
 */
export function createNodeFetch(settings: NodeFetchSettings = {}): typeof fetch {
  let inner: typeof fetch | undefined;
  const nodeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    inner ??= createUndiciFetch(await loadUndici(), settings);
    return inner(input, init);
  };
  return nodeFetch as typeof fetch;
}
