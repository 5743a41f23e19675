import { answerText, checkAnswer } from './output/final-output.js';
import { compileOutput } from './output/schema.js';
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
 * `errorMessage` on the returned message. With `responseFormat` `json_schema` (a JSON Schema or any
 * Standard Schema), the answer's JSON value (whole text, code fence, or first balanced value) is validated
 * and, when it passes, set as `message.parsed`.
 */
export async function complete(
  model: Model,
  context: Context,
  options: StreamOptions = {},
): Promise<AssistantMessage> {
  const message = await stream(model, context, options).result();
  const format = options?.responseFormat;
  if (format?.type !== 'json_schema' || message.stopReason === 'error' || message.stopReason === 'aborted')
    return message;
  try {
    const checked = await checkAnswer(compileOutput(format.schema), answerText(message));
    if (checked.ok) message.parsed = checked.value;
  } catch {
    // The schema could not be compiled: the call already ended with that error in `stream`.
  }
  return message;
}
