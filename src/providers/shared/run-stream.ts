import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { AssistantStream } from '../../stream/assistant-stream.js';
import { MessageBuilder } from '../../stream/message-builder.js';
import { ModelCall } from './model-call.js';
import type { ResponseHandler } from './response-handler.js';

/** A request a provider has prepared. */
export interface PreparedRequest {
  /** Full endpoint URL. */
  url: string;
  /** Headers, credentials included. */
  headers: Record<string, string>;
  /** JSON body. */
  body: Record<string, unknown>;
  /** Settings the server cannot honour. */
  warnings: string[];
  /** Secrets to scrub from error text (the API key). */
  secrets: string[];
  /** Advice for connection failures (how to start this server). */
  connectionHint?: string;
}

/** What a provider plugs into {@link runStream}. */
export interface ProviderHooks {
  /** Builds the request; may throw `InvalidArgumentError` (reported as an `error` event, never thrown). */
  prepare(): PreparedRequest | Promise<PreparedRequest>;
  /** Creates the parser for one response. */
  handler(builder: MessageBuilder, url: string): ResponseHandler;
}

/**
 * The one streaming driver every provider uses: prepares the request, POSTs it, decodes the body (SSE,
 * or a whole JSON response), feeds the provider's handler, and turns every failure into a terminal
 * `error` event whose message keeps the partial content.
 *
 * The call itself runs in {@link ModelCall} (`model-call.ts`); reliability lives there and in `src/http/`:
 * the retry loop (rules in `http/retry.ts`; a `retry` event per retry; never once a body byte arrived),
 * the time limits (`http/call-timer.ts`: first byte, idle, total; connect in the transport), the transport
 * (`http/transport.ts`: any `fetch`, or on Node `http/node-http-transport.ts`), the hostile-stream limits
 * (`http/limits.ts`) and secret redaction of every error. Handles abort, consumer break and cleanup (no
 * timers, sockets or listeners are left behind).
 */
export function runStream(model: Model, options: StreamOptions, hooks: ProviderHooks): AssistantStream {
  const builder = new MessageBuilder(model);
  return new AssistantStream(builder.message, new ModelCall(builder, options, hooks));
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
        {
          argument: 'model',
        },
      );
  return runStream(valid ? (model as Model) : NO_MODEL, options ?? {}, {
    prepare() {
      throw reason;
    },
    handler() {
      throw reason;
    },
  });
}
