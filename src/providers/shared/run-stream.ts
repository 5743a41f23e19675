import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { AssistantStream } from '../../stream/assistant-stream.js';
import { driveSource, FailedSource } from '../../stream/driver.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { HttpSource, type ProviderHooks } from '../http-source.js';

export type { PreparedRequest, ProviderHooks } from '../http-source.js';

/**
 * One HTTP model call: the stream driver (`stream/driver.ts`: event grammar, abort, consumer break) over an
 * {@link HttpSource} (prepare, POST, decode SSE / NDJSON / JSON, retry). Every failure becomes a terminal
 * `error` event whose message keeps the partial content.
 *
 * Reliability lives in the source and in `src/http/`: the retry loop (rules in `http/retry.ts`; a `retry`
 * event per retry; never once a body byte arrived), the time limits (`http/call-timer.ts`: first byte,
 * idle, total; connect in the transport), the transport (`http/transport.ts`: any `fetch`, or on Node
 * `http/node-http-transport.ts`), the hostile-stream limits (`http/limits.ts`) and secret redaction of
 * every error. No timers, sockets or listeners are left behind.
 */
export function runStream(model: Model, options: StreamOptions, hooks: ProviderHooks): AssistantStream {
  return driveSource(model, new HttpSource(options, hooks, model.maxConcurrentRequests), options.signal);
}

/** A stand-in for a `model` argument that is not an object (`stream(null, …)`), so the call can still end. */
const NO_MODEL: Model = Object.freeze({ id: '', api: '', provider: '', baseUrl: '' });

/**
 * A stream that ends at once in `start` + `error` with `error`: an unknown API, or a `model` argument that
 * is not a model record. Keeps the "never throws" contract of `stream()`.
 */
export function failedStream(
  model: unknown,
  options: StreamOptions | undefined,
  error: unknown,
): AssistantStream {
  const valid = typeof model === 'object' && model !== null;
  const reason = valid
    ? error
    : new InvalidArgumentError(
        `stream() needs a model record ({ id, api, provider, baseUrl }), got ${model === null ? 'null' : typeof model}.`,
        { argument: 'model' },
      );
  return driveSource(valid ? (model as Model) : NO_MODEL, new FailedSource(reason), options?.signal);
}
