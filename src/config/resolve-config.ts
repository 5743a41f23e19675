import { GLOBAL_PRESETS, getPreset } from '../presets/presets.js';
import type { ModelCompat } from '../types/compat.js';
import type { Api } from '../types/message.js';
import { compatFromEnv } from './compat-env.js';
import { ConfigError } from './config-error.js';
import { type LoadedConfig, loadConfig } from './config-file.js';
import {
  APIS,
  type ConfigAgent,
  type ConfigFile,
  type ConfigTimeouts,
  TIMEOUT_KEYS,
} from './config-schema.js';
import { configFromEnv } from './env-overrides.js';
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
  OPEN_AGENT_COMPAT_:
    'compat flag override, OPEN_AGENT_COMPAT_<FLAG_IN_SCREAMING_SNAKE> (docs/configuration.md)',
  OPEN_AGENT__: 'config-file key override, OPEN_AGENT__KEY or OPEN_AGENT__SECTION__KEY',
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
  /** `plugins` of the config file, as written (paths relative to the file's directory, or package names). */
  plugins?: string[];
  /**
   * Compat flag overrides: `OPEN_AGENT_COMPAT_*` (and the `VLLM_*` aliases) over the config file's `compat`.
   * Put them on the model record's `compat` (they win over the probe, the preset and the defaults).
   */
  compat?: ModelCompat;
  /** Config files read, in order. */
  files: string[];
  /**
   * Where each setting came from: `key` (or `timeouts.KEY`, `compat.FLAG`) → `flag`, `env:NAME`,
   * `file:PATH` or `preset:NAME` (see `open-agent config`).
   */
  origins: Record<string, string>;
}

function providerOf(value: string | undefined, label: string): string | undefined {
  if (value === undefined) return undefined;
  const name = value.toLowerCase();
  if (name !== 'custom' && !getPreset(name)) {
    const known = [...GLOBAL_PRESETS.list().map((p) => p.name), 'custom'].join(', ');
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

/** Where each resolved setting came from: `key` or `section.key` → `flag`, `env:NAME`, `file:PATH`, `preset:NAME`. */
type Origins = Record<string, string>;

function timeoutsOf(env: ConfigEnv, file: ConfigFile, fileOrigin: (key: string) => string, origins: Origins) {
  const timeouts: ConfigTimeouts = {};
  for (const key of TIMEOUT_KEYS) {
    const name = TIMEOUT_ENV[key];
    // A config file's `none` (validated by the schema) means no limit, like the environment's.
    const fromFile: unknown = file.timeouts?.[key];
    if (fromFile !== undefined) {
      timeouts[key] = isNoLimit(fromFile) ? Number.POSITIVE_INFINITY : Number(fromFile);
      origins[`timeouts.${key}`] = fileOrigin(`timeouts.${key}`);
    }
    const value = parseTimeoutMs(name, nonEmpty(env[name]));
    if (value !== undefined) {
      timeouts[key] = value;
      origins[`timeouts.${key}`] = `env:${name}`;
    }
  }
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

function first<T>(...candidates: [T | undefined, SettingSource][]): [T, SettingSource] | undefined {
  return candidates.find((c): c is [T, SettingSource] => c[0] !== undefined);
}

function serverOf(
  flags: ConfigFlags,
  env: ConfigEnv,
  file: ConfigFile,
  provider: string | undefined,
  origin: (source: SettingSource, key: string, variable: string) => string,
  origins: Origins,
) {
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
  if (base)
    origins.baseUrl =
      base[1] === 'preset' ? `preset:${provider}` : origin(base[1], 'baseUrl', 'OPENAI_BASE_URL');
  if (model) origins.model = origin(model[1], 'model', 'OPENAI_MODEL');
  return {
    ...(base && { baseUrl: base[0], baseUrlSource: base[1] }),
    ...(model && { model: model[0], modelSource: model[1] }),
  };
}

/** The config files' settings with the `OPEN_AGENT__*` variables over them (sections merged key by key). */
function fileLayer(files: LoadedConfig, env: ConfigEnv): { file: ConfigFile; origins: Origins } {
  const fromEnv = configFromEnv(env);
  const file: Record<string, unknown> = { ...files.config };
  const origins: Origins = { ...files.origins };
  for (const section of ['timeouts', 'compat'] as const) {
    const own = files.config[section];
    if (own !== undefined)
      for (const key of Object.keys(own)) origins[`${section}.${key}`] = origins[section] ?? '';
  }
  for (const [key, value] of Object.entries(fromEnv.config)) {
    const nested = (key === 'timeouts' || key === 'compat') && fromEnv.origins[key] === undefined;
    file[key] = nested ? { ...(files.config[key] as object | undefined), ...(value as object) } : value;
  }
  Object.assign(origins, fromEnv.origins);
  return { file: file as ConfigFile, origins };
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
  const loaded = loadConfig({
    cwd: input.cwd ?? process.cwd(),
    ...(home !== undefined && { home }),
    ...(xdg !== undefined && { xdgConfigHome: xdg }),
    ...(explicit !== undefined && { explicit }),
  });
  const { file, origins: fileOrigins } = fileLayer(loaded, env);
  const origins: Origins = {};
  const fileOrigin = (key: string): string => fileOrigins[key] ?? 'file';
  const origin = (source: SettingSource, key: string, variable: string): string =>
    source === 'flag' ? 'flag' : source === 'env' ? `env:${variable}` : fileOrigin(key);
  /** The flag's value when given, else the file's; records where it came from. */
  const pick = <T>(key: string, fromFlag: T | undefined, fromFile: T | undefined): T | undefined => {
    if (fromFlag !== undefined) origins[key] = 'flag';
    else if (fromFile !== undefined) origins[key] = fileOrigin(key);
    return fromFlag ?? fromFile;
  };
  const maxTokens = pick('maxTokens', parsePositiveInteger('--max-tokens', flags.maxTokens), file.maxTokens);
  const temperature = pick(
    'temperature',
    parseTemperature('--temperature', flags.temperature),
    file.temperature,
  );
  const maxTurns = pick('maxTurns', parsePositiveInteger('--max-turns', flags.maxTurns), file.maxTurns);
  const provider = pick(
    'provider',
    providerOf(flags.provider, '--provider'),
    providerOf(file.provider, 'provider in the config file'),
  );
  const api = pick('api', apiOf(flags.api), file.api);
  const timeouts = timeoutsOf(env, file, fileOrigin, origins);
  const envRetries = parseNonNegativeInteger('OPEN_AGENT_MAX_RETRIES', nonEmpty(env.OPEN_AGENT_MAX_RETRIES));
  const maxRetries = pick('maxRetries', undefined, envRetries ?? file.maxRetries);
  if (envRetries !== undefined) origins.maxRetries = 'env:OPEN_AGENT_MAX_RETRIES';
  const system = pick('system', nonEmpty(flags.system), nonEmpty(file.system));
  const gguf = nonEmpty(flags.gguf) ?? file.modelPath;
  if (gguf !== undefined) origins.gguf = flags.gguf !== undefined ? 'flag' : fileOrigin('modelPath');
  for (const key of ['contextWindow', 'tools', 'agents', 'mcpServers', 'sessionsDir', 'plugins'] as const)
    pick(key, undefined, file[key]);
  if (flags.apiKey !== undefined) origins.apiKey = 'flag';
  const compat = compatOf(env, file, fileOrigin, origins);
  return {
    ...serverOf(flags, env, file, provider, origin, origins),
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
    ...(gguf !== undefined && { gguf }),
    ...(file.agents !== undefined && { agents: file.agents }),
    ...(file.mcpServers !== undefined && { mcpServers: file.mcpServers }),
    ...(file.sessionsDir !== undefined && { sessionsDir: file.sessionsDir }),
    ...(file.plugins !== undefined && { plugins: file.plugins }),
    ...(compat !== undefined && { compat }),
    files: loaded.files,
    origins,
  };
}

/** Compat overrides: `OPEN_AGENT_COMPAT_*` (and the `VLLM_*` aliases) over the file layer's `compat`. */
function compatOf(
  env: ConfigEnv,
  file: ConfigFile,
  fileOrigin: (key: string) => string,
  origins: Origins,
): ModelCompat | undefined {
  const fromEnv = compatFromEnv(env);
  const compat: Record<string, unknown> = { ...file.compat };
  for (const key of Object.keys(compat)) origins[`compat.${key}`] = fileOrigin(`compat.${key}`);
  Object.assign(compat, fromEnv.compat);
  for (const [key, where] of Object.entries(fromEnv.origins)) origins[`compat.${key}`] = where;
  return Object.keys(compat).length > 0 ? (compat as ModelCompat) : undefined;
}
