import { requestSecrets } from '../http/redact.js';
import type { PresetTable } from '../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../presets/presets.js';
import type { AssistantStream } from '../stream/assistant-stream.js';
import type { MessageBuilder } from '../stream/message-builder.js';
import type { ModelCompat } from '../types/compat.js';
import type { Context } from '../types/context.js';
import type { Api } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { resolveCompatFor } from './resolve-compat.js';
import { connectionHint, endpointUrl, requestHeaders, resolveApiKey } from './shared/endpoint.js';
import { withPreparation } from './shared/prepared-stream.js';
import type { ResponseHandler } from './shared/response-handler.js';
import { type PreparedRequest, runStream } from './shared/run-stream.js';

/** A provider: streams one call for models of its wire protocol. Never throws: failures end in `error`. */
export type StreamFunction = (model: Model, context: Context, options?: StreamOptions) => AssistantStream;

/** What {@link ProviderDefinition.buildRequest} receives. */
export interface RequestInput<C> {
  /** The model record (`model.id`, limits, `model.compat`, ...). */
  readonly model: Model;
  /** The conversation; image URLs are already inlined when `options.inlineImageUrls` asked for it. */
  readonly context: Context;
  /** The caller's options (`maxTokens`, `tools`, `reasoning`, ...). */
  readonly options: StreamOptions;
  /** The resolved compat profile of this API (see {@link resolveCompatFor}). */
  readonly compat: C;
  /** The API key: `options.apiKey`, else the preset's variable for the preset's own origin; may be absent. */
  readonly apiKey: string | undefined;
}

/** What {@link ProviderDefinition.buildRequest} returns: the provider-specific part of one request. */
export interface ProviderRequest {
  /**
   * Path appended to `model.baseUrl` (without its trailing slashes, before its query string: see
   * `joinUrl`), e.g. `/chat/completions`.
   */
  path: string;
  /** The JSON body (`options.onPayload` may still replace it before it is sent). */
  body: Record<string, unknown>;
  /** Settings the server cannot honour; delivered on the `start` event. @default [] */
  warnings?: string[];
  /** Extra headers (e.g. `anthropic-version`, `x-api-key`); the model's and the caller's override them. */
  headers?: Record<string, string>;
  /**
   * How the template sends `apiKey`: `bearer` as `Authorization: Bearer …`, `none` not at all (put it in
   * `headers` yourself). The key is scrubbed from error text either way.
   * @default 'bearer'
   */
  auth?: 'bearer' | 'none';
}

/** What {@link ProviderDefinition.createEventHandler} receives besides the builder. */
export interface HandlerInput<C> {
  /** The request URL, secrets redacted (for error messages). */
  readonly url: string;
  /** The resolved compat profile of this API. */
  readonly compat: C;
  /** The model record. */
  readonly model: Model;
}

/**
 * A provider as data plus two functions: how to build a request, and how to read its response. Everything
 * else (endpoint URL and base-URL checks, API-key lookup, headers, image inlining, retries, time limits,
 * abort, redaction, body decoding as SSE / NDJSON / JSON, the `start`/terminal event grammar) is the
 * template's, written once in {@link defineProvider}.
 *
 * @typeParam C - the compat profile of this API: an object of flags; every key must be present in
 *   `defaultCompat` (the resolver reads only those keys from model records, probes and presets).
 */
export interface ProviderDefinition<C extends object> {
  /** The wire protocol this provider speaks (`model.api`), e.g. `'ollama-chat'`. */
  api: Api;
  /** The compat flags of an unknown server of this API; also the list of flags the resolver reads. */
  defaultCompat: Readonly<C>;
  /**
   * Builds the request of one call. Runs after `start` is due and before anything is sent; may be async.
   * @throws {InvalidArgumentError} for settings the API cannot express (reported as an `error` event).
   */
  buildRequest(input: RequestInput<C>): ProviderRequest | Promise<ProviderRequest>;
  /**
   * Creates the parser of one response (one per attempt): it feeds `builder` from SSE events
   * (`sse`), NDJSON lines (`ndjson`) or a whole JSON body (`json`), and decides the stop reason in `end`.
   * Throw `StreamParseError` for malformed server data.
   */
  createEventHandler(builder: MessageBuilder, input: HandlerInput<C>): ResponseHandler;
  /**
   * `accept` header of a streaming request; a non-streaming one (`options.streaming: false`) sends
   * `application/json`.
   * @default 'text/event-stream'
   */
  streamAccept?: string;
}

/** A defined provider: its {@link StreamFunction}, its compat resolver, and the definition itself. */
export interface Provider<C extends object> {
  /** The wire protocol. */
  readonly api: Api;
  /** Streams one call, resolving presets in the global table. */
  readonly stream: StreamFunction;
  /** The same, resolving presets (compat, API-key variable, start hints) in `presets` first. */
  streamWith(presets: PresetTable): StreamFunction;
  /**
   * The compat profile of `model`: model record > `probed` > preset > `defaultCompat`
   * (see {@link resolveCompatFor}).
   */
  resolveCompat(model: Model, probed?: ModelCompat | Partial<C>, presets?: PresetTable): C;
  /** The definition this provider was made from. */
  readonly definition: Readonly<ProviderDefinition<C>>;
}

/** Marks the objects {@link defineProvider} returns, so a registry can hand them its own preset table. */
const DEFINED = Symbol.for('open-agent-sdk.provider');

/** True for a {@link Provider} made by {@link defineProvider}. */
export function isDefinedProvider(value: unknown): value is Provider<object> {
  return typeof value === 'object' && value !== null && (value as { [DEFINED]?: unknown })[DEFINED] === true;
}

function prepareRequest<C extends object>(
  definition: ProviderDefinition<C>,
  input: RequestInput<C>,
  built: ProviderRequest,
  presets: PresetTable,
): PreparedRequest {
  const { model, options, apiKey } = input;
  const url = endpointUrl(model, built.path, presets);
  const accept =
    options.streaming !== false ? (definition.streamAccept ?? 'text/event-stream') : 'application/json';
  const bearer = (built.auth ?? 'bearer') === 'bearer' ? apiKey : undefined;
  const headers: Record<string, string> = Object.assign(
    {},
    built.headers,
    requestHeaders(model, options, bearer, accept),
  );
  const hint = connectionHint(model, presets);
  return {
    url,
    headers,
    body: built.body,
    warnings: built.warnings ?? [],
    // The key, custom credential header values and secrets in the URL, scrubbed from error excerpts.
    secrets: requestSecrets(url, headers, [apiKey]),
    ...(hint !== undefined && { connectionHint: hint }),
  };
}

/**
 * Makes a provider from a {@link ProviderDefinition}: the one template every HTTP provider of the SDK is
 * written with (openai-chat, openai-responses, anthropic-messages). Register the result with
 * `registerProvider(provider)` or a scoped `createRegistry().registerProvider(provider)`.
 *
 * The returned `stream` never throws: a bad base URL, a `buildRequest` that throws, HTTP errors, broken
 * streams and aborts all end in `start` + one terminal `error` event that keeps the partial content.
 *
 * @example
 * const echo = defineProvider({
 *   api: 'echo-chat',
 *   defaultCompat: { upperCase: false },
 *   buildRequest: ({ model, context }) => ({ path: '/echo', body: { model: model.id, messages: context.messages } }),
 *   createEventHandler: (builder) => new EchoHandler(builder),
 * });
 * registerProvider(echo);
 */
export function defineProvider<C extends object>(definition: ProviderDefinition<C>): Provider<C> {
  const resolveCompat = (
    model: Model,
    probed?: ModelCompat | Partial<C>,
    presets: PresetTable = GLOBAL_PRESETS,
  ): C => resolveCompatFor(definition.api, definition.defaultCompat, model, probed, presets);
  const streamWith = (presets: PresetTable): StreamFunction => {
    return (model, context, options = {}) => {
      const compat = resolveCompat(model, undefined, presets);
      return withPreparation(context, options, (preparation) =>
        runStream(model, options, {
          prepare() {
            preparation.check();
            const apiKey = resolveApiKey(model, options, presets);
            const input: RequestInput<C> = { model, context: preparation.context(), options, compat, apiKey };
            const built = definition.buildRequest(input);
            // No extra promise on the hot path when the definition builds synchronously.
            return built instanceof Promise
              ? built.then((request) => prepareRequest(definition, input, request, presets))
              : prepareRequest(definition, input, built, presets);
          },
          handler: (builder, url) => definition.createEventHandler(builder, { url, compat, model }),
        }),
      );
    };
  };
  const provider = {
    api: definition.api,
    stream: streamWith(GLOBAL_PRESETS),
    streamWith,
    resolveCompat,
    definition: Object.freeze({ ...definition }),
    [DEFINED]: true,
  };
  return Object.freeze(provider);
}
