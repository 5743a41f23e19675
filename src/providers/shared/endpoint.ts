import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { joinUrl } from '../../http/join-url.js';
import { originOf, type PresetTable } from '../../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../../presets/presets.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value && value.length > 0 ? value : undefined;
}

/**
 * The API key for a call: `options.apiKey`, else the preset's environment variable, but only when the
 * model's base URL has the preset's own origin (a key for one provider never goes to another origin).
 */
export function resolveApiKey(
  model: Model,
  options: StreamOptions,
  presets: PresetTable = GLOBAL_PRESETS,
): string | undefined {
  if (options.apiKey !== undefined) return options.apiKey.length > 0 ? options.apiKey : undefined;
  const keyEnv = partsOf(model, presets).keyEnv;
  return keyEnv === undefined ? undefined : env(keyEnv);
}

/** What a model's base URL and provider decide, worked out once per model (and again if either changes). */
interface ModelParts {
  readonly baseUrl: string;
  readonly provider: string;
  readonly presets: PresetTable;
  /** The base URL, when it is a valid http(s) URL. */
  readonly base: string | undefined;
  /** Why the base URL is unusable, when it is. */
  readonly invalid: string | undefined;
  /** The preset's API-key variable, when the model is at that preset's own origin. */
  readonly keyEnv: string | undefined;
  readonly hint: string | undefined;
  /** The last endpoint joined from `base` (a provider asks for the same path every call). */
  lastPath?: string;
  lastUrl?: string;
}

const parts = new WeakMap<Model, ModelParts>();

function partsOf(model: Model, presets: PresetTable): ModelParts {
  const cached = parts.get(model);
  if (
    cached !== undefined &&
    cached.baseUrl === model.baseUrl &&
    cached.provider === model.provider &&
    cached.presets === presets
  ) {
    return cached;
  }
  const preset = presets.get(model.provider);
  const sameOrigin = preset?.apiKeyEnv !== undefined && originOf(preset.baseUrl) === originOf(model.baseUrl);
  const invalid = checkBaseUrl(model.baseUrl);
  const computed: ModelParts = {
    baseUrl: model.baseUrl,
    provider: model.provider,
    presets,
    base: invalid ? undefined : model.baseUrl,
    invalid,
    keyEnv: sameOrigin ? preset?.apiKeyEnv : undefined,
    hint: hintFor(model, presets),
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

function hintFor(model: Model, presets: PresetTable): string | undefined {
  const atOrigin = presets.forBaseUrl(model.baseUrl);
  if (atOrigin?.startHint) return atOrigin.startHint;
  const named = presets.get(model.provider);
  return named?.local ? named.startHint : undefined;
}

/**
 * Joins the base URL and an endpoint path (`/chat/completions`) with {@link joinUrl}: a query string on the
 * base URL (Azure's `?api-version=`) stays after the appended path.
 * @throws {InvalidArgumentError} when the base URL is not an http(s) URL.
 */
export function endpointUrl(model: Model, path: string, presets: PresetTable = GLOBAL_PRESETS): string {
  const cached = partsOf(model, presets);
  if (cached.invalid !== undefined)
    throw new InvalidArgumentError(cached.invalid, { argument: 'model.baseUrl' });
  if (cached.lastPath === path) return cached.lastUrl as string;
  const url = joinUrl(cached.base as string, path);
  cached.lastPath = path;
  cached.lastUrl = url;
  return url;
}

/** How to start the server behind a model, for connection errors: the preset listening at that origin, else the named local preset's. */
export function connectionHint(model: Model, presets: PresetTable = GLOBAL_PRESETS): string | undefined {
  return partsOf(model, presets).hint;
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
  if (model.headers) for (const [k, v] of Object.entries(model.headers)) headers[k.toLowerCase()] = v;
  if (options.headers) for (const [k, v] of Object.entries(options.headers)) headers[k.toLowerCase()] = v;
  return headers;
}
