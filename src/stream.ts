import { globalRegistry } from './providers/registry.js';
import type { AssistantStream } from './stream/assistant-stream.js';
import type { Context } from './types/context.js';
import type { AssistantMessage } from './types/message.js';
import type { Model } from './types/model.js';
import type { StreamOptions } from './types/options.js';

/**
 * Streams one model call with the provider of `model.api` (the global registry; a scoped one has its own
 * `stream`, see `createRegistry()`).
 *
 * Emits `start`, block events (`text_*`, `thinking_*`, `toolcall_*`) and exactly one terminal `done` or
 * `error`. Never throws: bad arguments (an unknown API, a `model` that is not a record), HTTP errors,
 * broken streams and aborts all end in an `error` event whose message keeps the partial content
 * (`stopReason` `error` or `aborted`, `errorMessage`). Breaking out of the iteration, or aborting
 * `options.signal`, cancels the request.
 */
export function stream(model: Model, context: Context, options: StreamOptions = {}): AssistantStream {
  return globalRegistry.stream(model, context, options ?? {});
}

/**
 * Runs one model call to the end: `stream(...).result()`. Never rejects; check `stopReason` and
 * `errorMessage` on the returned message.
 */
export function complete(
  model: Model,
  context: Context,
  options: StreamOptions = {},
): Promise<AssistantMessage> {
  return stream(model, context, options).result();
}
