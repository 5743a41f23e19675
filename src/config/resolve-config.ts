import { getPreset, PRESETS } from '../presets/presets.js';
import type { Api } from '../types/message.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './config-file.js';
import {
  APIS,
  type ConfigAgent,
  type ConfigFile,
  type ConfigTimeouts,
  TIMEOUT_KEYS,
} from './config-schema.js';
import {
  isNoLimit,
  nonEmpty,
  parseHttpUrl,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parseTemperature,
  parseTimeoutMs,
} from './parse-values.js';

/** Settings given as command-line flags (text, as a parser hands them over). */
export interface ConfigFlags {
  baseUrl?: string;
  model?: string;
  provider?: string;
  api?: string;
  apiKey?: string;
  /** `--api-key-file PATH`: read by the CLI (see `apiKeyFromFlags`), not by the resolver. */
  apiKeyFile?: string;
  system?: string;
  maxTokens?: string;
  temperature?: string;
  maxTurns?: string;
  /** `--config FILE`: read only this file. */
  config?: string;
  /** `--gguf PATH|URI`: run this GGUF model in-process (embedded engine). */
  gguf?: string;
}

/** Environment variables (only the ones listed in {@link ENVIRONMENT_VARIABLES} are read). */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** The variables the resolver reads, with what they set. */
export const ENVIRONMENT_VARIABLES = {
  OPENAI_BASE_URL: 'server base URL',
  OPENAI_MODEL: 'model id',
  OPENAI_API_KEY: 'API key (sent only to the origin of OPENAI_BASE_URL or to https://api.openai.com)',
  ANTHROPIC_API_KEY: "API key for the anthropic preset's origin",
  OPENROUTER_API_KEY: "API key for the openrouter preset's origin",
  OPEN_AGENT_CONFIG: 'config file to read instead of the default locations',
  OPEN_AGENT_MAX_RETRIES: 'retries of a failed request',
  OPEN_AGENT_CONNECT_TIMEOUT_MS: 'connect time limit in ms',
  OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS: 'time limit to the first response byte in ms (model loading, prefill)',
  OPEN_AGENT_IDLE_TIMEOUT_MS: 'longest silence between chunks in ms',
  OPEN_AGENT_TOTAL_TIMEOUT_MS: 'time limit of one model call in ms',
} as const;

/** The environment variable of each timeout. */
const TIMEOUT_ENV: Record<(typeof TIMEOUT_KEYS)[number], string> = {
  connectMs: 'OPEN_AGENT_CONNECT_TIMEOUT_MS',
  firstByteMs: 'OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS',
  idleMs: 'OPEN_AGENT_IDLE_TIMEOUT_MS',
  totalMs: 'OPEN_AGENT_TOTAL_TIMEOUT_MS',
};

/** Where a setting came from. */
export type SettingSource = 'flag' | 'env' | 'config' | 'preset';

/** Input of {@link resolveConfig}. */
export interface ResolveConfigInput {
  flags?: ConfigFlags;
  /** @default process.env */
  env?: ConfigEnv;
  /** Directory holding `open-agent.config.yaml`. @default process.cwd() */
  cwd?: string;
  /** Home directory (for `~/.config/open-agent/config.yaml`). @default env.HOME */
  home?: string;
}

/**
 * Resolved settings. `baseUrl` and `model` may be missing: then nothing named a server (the CLI probes
 * the standard local ports) or a model. Holds no API key from the environment: see `apiKeyFor`.
 */
export interface ResolvedConfig {
  baseUrl?: string;
  baseUrlSource?: SettingSource;
  model?: string;
  modelSource?: SettingSource;
  /** Preset name, lower case (`custom` allowed). */
  provider?: string;
  api?: Api;
  /** `--api-key` only. */
  apiKey?: string;
  system?: string;
  maxTokens?: number;
  temperature?: number;
  maxTurns?: number;
  /** Time limits (environment over config file), for `StreamOptions.timeouts`. */
  timeouts?: ConfigTimeouts;
  /** Retries (environment over config file), for `StreamOptions.retry.maxRetries`. */
  maxRetries?: number;
  /**
   * The config file's `maxConcurrentRequests`, unless `OPEN_AGENT_MAX_CONCURRENT_REQUESTS` is set (the SDK
   * reads that itself), for `StreamOptions.maxConcurrentRequests`.
   */
  maxConcurrentRequests?: number;
  contextWindow?: number;
  tools?: string[];
  /** GGUF path or model URI for the embedded engine: `--gguf` over the config file's `modelPath`. */
  gguf?: string;
  /** Agents declared in the config file (docs/multi-agent.md). */
  agents?: Record<string, ConfigAgent>;
  /** `mcpServers` of the config file (Claude Desktop shape; see `mcpServersFromConfig`). */
  mcpServers?: Record<string, Record<string, unknown>>;
  /** `sessionsDir` of the config file, as written (relative to the working directory). */
  sessionsDir?: string;
  /** Config files read, in order. */
  files: string[];
}

function providerOf(value: string | undefined, label: string): string | undefined {
  if (value === undefined) return undefined;
  const name = value.toLowerCase();
  if (name !== 'custom' && !getPreset(name)) {
    const known = [...PRESETS.map((p) => p.name), 'custom'].join(', ');
    throw new ConfigError(`unknown ${label} ${JSON.stringify(value)}; known: ${known}`);
  }
  return name;
}

function apiOf(value: string | undefined): Api | undefined {
  if (value === undefined) return undefined;
  const api = APIS.find((a) => a === value);
  if (!api) throw new ConfigError(`--api must be one of ${APIS.join(', ')}, got ${JSON.stringify(value)}`);
  return api;
}

function timeoutsOf(env: ConfigEnv, file: ConfigFile): ConfigTimeouts | undefined {
  const timeouts: ConfigTimeouts = {};
  for (const key of TIMEOUT_KEYS) {
    const name = TIMEOUT_ENV[key];
    // A config file's `none` (validated by the schema) means no limit, like the environment's.
    const fromFile: unknown = file.timeouts?.[key];
    if (fromFile !== undefined)
      timeouts[key] = isNoLimit(fromFile) ? Number.POSITIVE_INFINITY : Number(fromFile);
    const value = parseTimeoutMs(name, nonEmpty(env[name]));
    if (value !== undefined) timeouts[key] = value;
  }
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

function first<T>(...candidates: [T | undefined, SettingSource][]): [T, SettingSource] | undefined {
  return candidates.find((c): c is [T, SettingSource] => c[0] !== undefined);
}

function serverOf(flags: ConfigFlags, env: ConfigEnv, file: ConfigFile, provider: string | undefined) {
  const envUrl = nonEmpty(env.OPENAI_BASE_URL);
  if (flags.baseUrl !== undefined) parseHttpUrl('--base-url', flags.baseUrl);
  if (envUrl !== undefined) parseHttpUrl('OPENAI_BASE_URL', envUrl);
  const presetUrl = provider !== undefined ? getPreset(provider)?.baseUrl : undefined;
  const base = first<string>(
    [flags.baseUrl, 'flag'],
    [envUrl, 'env'],
    [file.baseUrl, 'config'],
    [presetUrl, 'preset'],
  );
  const model = first<string>(
    [nonEmpty(flags.model), 'flag'],
    [nonEmpty(env.OPENAI_MODEL), 'env'],
    [file.model, 'config'],
  );
  return {
    ...(base && { baseUrl: base[0], baseUrlSource: base[1] }),
    ...(model && { model: model[0], modelSource: model[1] }),
  };
}

/**
 * Resolves settings from flags > environment > config file > preset: the one resolver behind the CLI,
 * also usable by programs. Flag values are validated with messages naming the flag; config files with
 * messages naming the file and key.
 *
 * @throws {ConfigError} for a bad flag value, a bad environment variable or a bad config file.
 */
export function resolveConfig(input: ResolveConfigInput = {}): ResolvedConfig {
  const flags = input.flags ?? {};
  const env = input.env ?? process.env;
  const explicit = nonEmpty(flags.config) ?? nonEmpty(env.OPEN_AGENT_CONFIG);
  const home = input.home ?? nonEmpty(env.HOME);
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const { config: file, files } = loadConfig({
    cwd: input.cwd ?? process.cwd(),
    ...(home !== undefined && { home }),
    ...(xdg !== undefined && { xdgConfigHome: xdg }),
    ...(explicit !== undefined && { explicit }),
  });
  const maxTokens = parsePositiveInteger('--max-tokens', flags.maxTokens) ?? file.maxTokens;
  const temperature = parseTemperature('--temperature', flags.temperature) ?? file.temperature;
  const maxTurns = parsePositiveInteger('--max-turns', flags.maxTurns) ?? file.maxTurns;
  const provider =
    providerOf(flags.provider, '--provider') ?? providerOf(file.provider, 'provider in the config file');
  const api = apiOf(flags.api) ?? file.api;
  const timeouts = timeoutsOf(env, file);
  const maxRetries =
    parseNonNegativeInteger('OPEN_AGENT_MAX_RETRIES', nonEmpty(env.OPEN_AGENT_MAX_RETRIES)) ??
    file.maxRetries;
  const system = nonEmpty(flags.system) ?? nonEmpty(file.system);
  return {
    ...serverOf(flags, env, file, provider),
    ...(provider !== undefined && { provider }),
    ...(api !== undefined && { api }),
    ...(flags.apiKey !== undefined && { apiKey: flags.apiKey }),
    ...(system !== undefined && { system }),
    ...(maxTokens !== undefined && { maxTokens }),
    ...(temperature !== undefined && { temperature }),
    ...(maxTurns !== undefined && { maxTurns }),
    ...(timeouts !== undefined && { timeouts }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(file.maxConcurrentRequests !== undefined &&
      nonEmpty(env.OPEN_AGENT_MAX_CONCURRENT_REQUESTS) === undefined && {
        maxConcurrentRequests: file.maxConcurrentRequests,
      }),
    ...(file.contextWindow !== undefined && { contextWindow: file.contextWindow }),
    ...(file.tools !== undefined && { tools: file.tools }),
    ...((nonEmpty(flags.gguf) ?? file.modelPath) !== undefined && {
      gguf: nonEmpty(flags.gguf) ?? file.modelPath,
    }),
    ...(file.agents !== undefined && { agents: file.agents }),
    ...(file.mcpServers !== undefined && { mcpServers: file.mcpServers }),
    ...(file.sessionsDir !== undefined && { sessionsDir: file.sessionsDir }),
    files,
  };
}
