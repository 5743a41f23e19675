import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { requestSecrets } from '../../http/redact.js';
import { getPreset, originOf, presetForBaseUrl } from '../../presets/presets.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import type { PreparedRequest } from './run-stream.js';

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value && value.length > 0 ? value : undefined;
}

/**
 * The API key for a call: `options.apiKey`, else the preset's environment variable, but only when the
 * model's base URL has the preset's own origin (a key for one provider never goes to another origin).
 */
export function resolveApiKey(model: Model, options: StreamOptions): string | undefined {
  if (options.apiKey !== undefined) return options.apiKey.length > 0 ? options.apiKey : undefined;
  const keyEnv = partsOf(model).keyEnv;
  return keyEnv === undefined ? undefined : env(keyEnv);
}

/** What a model's base URL and provider decide, worked out once per model (and again if either changes). */
interface ModelParts {
  readonly baseUrl: string;
  readonly provider: string;
  /** The base URL without trailing slashes, when it is a valid http(s) URL. */
  readonly base: string | undefined;
  /** Why the base URL is unusable, when it is. */
  readonly invalid: string | undefined;
  /** The preset's API-key variable, when the model is at that preset's own origin. */
  readonly keyEnv: string | undefined;
  readonly hint: string | undefined;
}

const parts = new WeakMap<Model, ModelParts>();

function partsOf(model: Model): ModelParts {
  const cached = parts.get(model);
  if (cached !== undefined && cached.baseUrl === model.baseUrl && cached.provider === model.provider) {
    return cached;
  }
  const preset = getPreset(model.provider);
  const sameOrigin = preset?.apiKeyEnv !== undefined && originOf(preset.baseUrl) === originOf(model.baseUrl);
  const invalid = checkBaseUrl(model.baseUrl);
  const computed: ModelParts = {
    baseUrl: model.baseUrl,
    provider: model.provider,
    base: invalid ? undefined : model.baseUrl.replace(/\/+$/, ''),
    invalid,
    keyEnv: sameOrigin ? preset?.apiKeyEnv : undefined,
    hint: hintFor(model),
  };
  parts.set(model, computed);
  return computed;
}

function checkBaseUrl(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `model.baseUrl is not a valid URL: ${JSON.stringify(baseUrl)} (expected e.g. http://localhost:11434/v1).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `model.baseUrl must use http or https, got ${url.protocol}`;
  }
  return undefined;
}

function hintFor(model: Model): string | undefined {
  const atOrigin = presetForBaseUrl(model.baseUrl);
  if (atOrigin?.startHint) return atOrigin.startHint;
  const named = getPreset(model.provider);
  return named?.local ? named.startHint : undefined;
}

/**
 * Joins the base URL and an endpoint path (`/chat/completions`).
 * @throws {InvalidArgumentError} when the base URL is not an http(s) URL.
 */
export function endpointUrl(model: Model, path: string): string {
  const { base, invalid } = partsOf(model);
  if (invalid !== undefined) throw new InvalidArgumentError(invalid, { argument: 'model.baseUrl' });
  return `${base}${path}`;
}

/** How to start the server behind a model, for connection errors: the preset listening at that origin, else the named local preset's. */
export function connectionHint(model: Model): string | undefined {
  return partsOf(model).hint;
}

/** Request headers: JSON, the model's and the caller's headers, and the bearer key when there is one. */
export function requestHeaders(
  model: Model,
  options: StreamOptions,
  apiKey: string | undefined,
  accept: string,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  for (const [k, v] of Object.entries(model.headers ?? {})) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  return headers;
}

/**
 * The prepared request of a provider that authenticates with `Authorization: Bearer` (OpenAI Chat
 * Completions and Responses, and every compatible server): URL, headers, the built body and warnings, the
 * key as a secret to scrub, and the connection hint.
 * @throws {InvalidArgumentError} when the base URL is not an http(s) URL.
 */
export function bearerRequest(
  model: Model,
  options: StreamOptions,
  path: string,
  build: () => { body: Record<string, unknown>; warnings: string[] },
): PreparedRequest {
  const url = endpointUrl(model, path);
  const apiKey = resolveApiKey(model, options);
  const { body, warnings } = build();
  const accept = options.streaming !== false ? 'text/event-stream' : 'application/json';
  const hint = connectionHint(model);
  const headers = requestHeaders(model, options, apiKey, accept);
  return {
    url,
    headers,
    body,
    warnings,
    secrets: requestSecrets(url, headers, [apiKey]),
    ...(hint !== undefined && { connectionHint: hint }),
  };
}
