import { ConfigError } from '../config/config-error.js';
import {
  type ConfigEnv,
  type ConfigFlags,
  type ResolvedConfig,
  resolveConfig,
} from '../config/resolve-config.js';
import { keyRequirement, trimEndpointPath } from '../errors/diagnose.js';
import {
  applyProfile,
  discoverLocalServers,
  type Model,
  modelFor,
  originOf,
  probe,
  redactUrl,
  type ServerProfile,
  STANDARD_LOCAL_PORTS,
  type StreamOptions,
} from '../index.js';
import { apiKeyFromFlags } from './api-key.js';
import { engineFallback, engineHint } from './engine-fallback.js';
import { ggufModelFor } from './gguf-model.js';
import type { OutputSink } from './output.js';
import { serverName } from './server-name.js';
import { UsageError } from './usage-error.js';

/** The origin whose requests may carry `OPENAI_API_KEY` even when the base URL came from a flag. */
const OPENAI_ORIGIN = 'https://api.openai.com';

/** A resolved model and how to call it. Holds the API key: never print it. */
export interface ModelSettings {
  model: Model;
  /** API key to send, or undefined (then the library may use the preset's own key for the preset's origin). */
  apiKey: string | undefined;
  /** Everything else the resolver found (system prompt, limits, tools). */
  config: ResolvedConfig;
  /** The profile of a server found by probing the local ports, when nothing named one. */
  discovered?: ServerProfile;
}

/**
 * The API key for `baseUrl`. `--api-key` is always sent. `OPENAI_API_KEY` is sent only to the origin of
 * `OPENAI_BASE_URL` (so when the base URL came from that variable) or to `https://api.openai.com`: a key
 * for one provider never reaches another origin.
 */
export function apiKeyFor(baseUrl: string, flag: string | undefined, env: ConfigEnv): string | undefined {
  if (flag !== undefined) return flag;
  const key = env.OPENAI_API_KEY;
  if (key === undefined || key === '') return undefined;
  const origin = originOf(baseUrl);
  const envBaseUrl = env.OPENAI_BASE_URL;
  const envOrigin = envBaseUrl !== undefined && envBaseUrl !== '' ? originOf(envBaseUrl) : undefined;
  if (origin !== undefined && (origin === envOrigin || origin === OPENAI_ORIGIN)) return key;
  return undefined;
}

/**
 * The request options the config sets: retries and time limits (environment over config file), and the
 * config file's `maxConcurrentRequests` (the SDK reads `OPEN_AGENT_MAX_CONCURRENT_REQUESTS` itself).
 */
export function requestOptionsOf(
  config: ResolvedConfig,
): Pick<StreamOptions, 'retry' | 'timeouts' | 'maxConcurrentRequests'> {
  return {
    ...(config.maxConcurrentRequests !== undefined && {
      maxConcurrentRequests: config.maxConcurrentRequests,
    }),
    ...(config.maxRetries !== undefined && { retry: { maxRetries: config.maxRetries } }),
    ...(config.timeouts !== undefined && { timeouts: { ...config.timeouts } }),
  };
}

/** Ports to probe: `OPEN_AGENT_PROBE_PORTS` (comma-separated; for tests and unusual setups), else the standard ones. */
export function probePorts(env: ConfigEnv): number[] {
  const list = env.OPEN_AGENT_PROBE_PORTS;
  if (list === undefined || list.trim() === '') return STANDARD_LOCAL_PORTS.map((p) => p.port);
  return list
    .split(',')
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
}

/** How to start a local server, for the "nothing found" message (one line). */
function nothingFound(ports: number[]): string {
  const named = ports.map((port) => {
    const known = STANDARD_LOCAL_PORTS.find((p) => p.port === port);
    return known ? `${port} (${known.server})` : String(port);
  });
  return `no server given and none found on 127.0.0.1 ports ${named.join(', ')}: start one (e.g. \`ollama serve\` then \`ollama pull qwen3:8b\`, or LM Studio's server with \`lms server start\`), or pass --base-url URL or set OPENAI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)`;
}

/** Probes the local ports for a server and describes it (and the model, if one was named); undefined for none. */
async function discover(
  ports: number[],
  model: string | undefined,
  stderr: OutputSink,
): Promise<ServerProfile | undefined> {
  const found = await discoverLocalServers({ ports });
  const baseUrl = found[0];
  if (baseUrl === undefined) return undefined;
  const profile = await probe(baseUrl, { ...(model !== undefined && { model }), cache: false });
  const chosen = model ?? profile.model;
  stderr.write(
    `open-agent: no server given; found ${serverName(profile)}${chosen ? `, using model ${chosen}` : ''} (pass --base-url and --model to choose)\n`,
  );
  for (const warning of profile.warnings) stderr.write(`warning: ${warning}\n`);
  return profile;
}

/**
 * The base URL without a pasted endpoint path (`…/v1/chat/completions` → `…/v1`), with a warning on
 * `stderr` when one was removed.
 */
export function trimmedBaseUrl(baseUrl: string, stderr: OutputSink): string {
  const trimmed = trimEndpointPath(baseUrl);
  if (trimmed.removed === undefined) return baseUrl;
  stderr.write(
    `warning: the base URL ends with the endpoint path ${trimmed.removed}; using ${redactUrl(trimmed.baseUrl)} (the base URL stops before it, e.g. http://localhost:11434/v1)\n`,
  );
  return trimmed.baseUrl;
}

/** Input of {@link resolveModelSettings}. */
export interface ResolveModelInput {
  flags: ConfigFlags;
  env: ConfigEnv;
  /** Directory holding `open-agent.config.yaml`. */
  cwd: string;
  /** Where discovery reports what it found. */
  stderr: OutputSink;
}

/**
 * Resolves the model: flags > environment > config file > preset; when nothing names a server, probes the
 * standard local ports (127.0.0.1 only), uses the first server found and says so on stderr. When none
 * answers (and no `--provider` was given), runs the newest model of the engine's cache in-process if
 * node-llama-cpp is installed, saying so on stderr.
 *
 * A base URL with a pasted endpoint path (`/chat/completions`, `/messages`, `/responses`) is trimmed with
 * a warning.
 *
 * @throws {UsageError} for bad settings, a missing model, no server found, an unreadable key (see
 *   {@link apiKeyFromFlags}), or a cloud preset's origin without its key (naming the variable).
 */
export async function resolveModelSettings(input: ResolveModelInput): Promise<ModelSettings> {
  const flagKey = apiKeyFromFlags(input.flags);
  let config: ResolvedConfig;
  try {
    config = resolveConfig({ flags: input.flags, env: input.env, cwd: input.cwd });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  // Embedded engine (--gguf / modelPath): no server, no probing, no API key.
  if (config.gguf !== undefined)
    return { model: await ggufModelFor(config.gguf, config), apiKey: undefined, config };
  let discovered: ServerProfile | undefined;
  let baseUrl = config.baseUrl === undefined ? undefined : trimmedBaseUrl(config.baseUrl, input.stderr);
  let id = config.model;
  if (baseUrl === undefined) {
    const ports = probePorts(input.env);
    discovered = await discover(ports, id, input.stderr);
    if (!discovered) {
      // Nothing names a server and none answers: the embedded engine with a cached model, if any.
      const engine = config.provider === undefined ? await engineFallback(input.env, config) : undefined;
      if (!engine) throw new UsageError(nothingFound(ports) + (await engineHint()));
      input.stderr.write(
        `open-agent: no server found; using the embedded engine with ${engine.cached.name} (node-llama-cpp)\n`,
      );
      return { model: engine.model, apiKey: undefined, config };
    }
    baseUrl = discovered.baseUrl;
    id ??= discovered.model;
    if (id === undefined)
      throw new UsageError(
        `the server at ${redactUrl(baseUrl)} lists no models: load or pull one (e.g. \`ollama pull qwen3:8b\`), or pass --model ID`,
      );
  }
  if (id === undefined)
    throw new UsageError('no model given: pass --model ID or set OPENAI_MODEL (e.g. qwen3:8b)');
  const overrides = {
    ...(config.api !== undefined && { api: config.api }),
    ...(config.contextWindow !== undefined && { contextWindow: config.contextWindow }),
    // Environment and config-file compat overrides: on the model record, so they win over the probe
    // (applyProfile keeps the record's flags) and the preset (see docs/configuration.md).
    ...(config.compat !== undefined && { compat: config.compat }),
  };
  let model = modelFor({
    id,
    baseUrl,
    ...(config.provider !== undefined && { provider: config.provider }),
    overrides,
  });
  if (discovered) model = applyProfile(model, discovered);
  const apiKey = apiKeyFor(baseUrl, flagKey, input.env);
  const need = apiKey === undefined ? keyRequirement(baseUrl) : undefined;
  if (need !== undefined && (input.env[need.keyEnv] ?? '') === '')
    throw new UsageError(
      `${redactUrl(baseUrl)} (the ${need.preset} preset) needs an API key and none was given: set ${need.keyEnv} or pass --api-key (nothing was sent)`,
    );
  return {
    model,
    apiKey,
    config,
    ...(discovered && { discovered }),
  };
}
