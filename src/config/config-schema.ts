import type { ModelCompat } from '../types/compat.js';
import { type Api, BUILTIN_APIS } from '../types/message.js';
import { checkCompatMapping } from './compat-flags.js';
import { ConfigError } from './config-error.js';
import { isNoLimit } from './parse-values.js';

/** The wire protocols accepted by `api` / `--api`. */
export const APIS: readonly Api[] = BUILTIN_APIS;

/**
 * Settings a config file may hold (`open-agent.config.yaml`). Every key is optional. API keys are not
 * accepted in files (they end up in repositories): use the environment.
 */
export interface ConfigFile {
  /** Server base URL including the version path, e.g. `http://localhost:11434/v1`. */
  baseUrl?: string;
  /** Model id. */
  model?: string;
  /** Preset name (`ollama`, `lmstudio`, ...). */
  provider?: string;
  /** Wire protocol. */
  api?: Api;
  /** System prompt. */
  system?: string;
  /** Output token limit per model call. */
  maxTokens?: number;
  /** Sampling temperature, 0 to 2. */
  temperature?: number;
  /** Model calls per run. */
  maxTurns?: number;
  /** Time limits of model requests, in ms (see `StreamOptions.timeouts`). */
  timeouts?: ConfigTimeouts;
  /** Retries of a failed request (see `StreamOptions.retry`). */
  maxRetries?: number;
  /**
   * Most requests open at once per server origin (see `StreamOptions.maxConcurrentRequests`); the env
   * `OPEN_AGENT_MAX_CONCURRENT_REQUESTS` wins over it.
   */
  maxConcurrentRequests?: number;
  /** The model's context window in tokens (when the server does not report it). */
  contextWindow?: number;
  /** Built-in tools enabled by default (CLI). */
  tools?: string[];
  /** A GGUF file or model URI for the embedded engine (like `--gguf`); no server is used. */
  modelPath?: string;
  /** Agents by name (see docs/multi-agent.md; built by `agentsFromConfig`). */
  agents?: Record<string, ConfigAgent>;
  /**
   * MCP servers whose tools `open-agent run` offers, in the Claude Desktop shape: a mapping of name to
   * `{ command, args?, env?, cwd? }` (stdio) or `{ url, headers?, type? }` (HTTP); parsed by
   * `mcpServersFromConfig`.
   */
  mcpServers?: Record<string, Record<string, unknown>>;
  /** Where `run --session` and `chat` keep sessions. @default $XDG_DATA_HOME/open-agent/sessions */
  sessionsDir?: string;
  /**
   * Compat flag overrides (flag name → value, e.g. `usageInStream: false`), over the probe, the preset
   * and the defaults; the environment's `OPEN_AGENT_COMPAT_*` wins over them (docs/configuration.md).
   */
  compat?: ModelCompat;
  /**
   * Plugins: ES module paths (relative to the config file's directory) or package names. Validated and
   * shown by `open-agent config`; not loaded yet (plugin loading is not implemented in this version).
   */
  plugins?: string[];
}

/** One agent of a config file's `agents` mapping. */
export interface ConfigAgent {
  /** Its system prompt. */
  instructions?: string;
  /** Model id (on the configured server). @default the config's model */
  model?: string;
  /** Built-in tool names it may use. */
  tools?: string[];
  /** Names of agents (of the same mapping) it can hand off to. */
  handoffs?: string[];
  /** What other agents' transfer tools say about it. */
  handoffDescription?: string;
}

const AGENT_KEYS = ['instructions', 'model', 'tools', 'handoffs', 'handoffDescription'] as const;

function checkAgents(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'a mapping of agent name to settings';
  for (const [name, agent] of Object.entries(v)) {
    if (typeof agent !== 'object' || agent === null || Array.isArray(agent))
      return `a mapping of agent settings; "${name}" is not`;
    for (const [key, value] of Object.entries(agent)) {
      if (!(AGENT_KEYS as readonly string[]).includes(key))
        return `agent settings with ${AGENT_KEYS.join(', ')} (agent "${name}" has unknown key "${key}")`;
      const list = key === 'tools' || key === 'handoffs';
      const ok = list
        ? Array.isArray(value) && value.every((x) => typeof x === 'string')
        : typeof value === 'string';
      if (!ok)
        return `agent settings where ${key} is ${list ? 'a list of names' : 'a string'} (agent "${name}")`;
    }
  }
  return undefined;
}

/** The `timeouts` mapping of a config file, in ms; the file may write `none` for no limit (read as `Infinity`). */
export interface ConfigTimeouts {
  connectMs?: number;
  firstByteMs?: number;
  idleMs?: number;
  totalMs?: number;
}

/** The keys of `timeouts`. */
export const TIMEOUT_KEYS = ['connectMs', 'firstByteMs', 'idleMs', 'totalMs'] as const;

type Check = (value: unknown) => string | undefined;

const positiveInteger: Check = (v) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? undefined : 'a positive integer';
const nonNegativeInteger: Check = (v) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'an integer of 0 or more';
const text: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string');
const httpUrl: Check = (v) => {
  if (typeof v !== 'string') return 'an http(s) URL';
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'an http(s) URL';
  } catch {
    return 'an http(s) URL such as http://localhost:11434/v1';
  }
};

/** The checks per key; a key not listed here is unknown. */
const CHECKS: Record<keyof ConfigFile, Check> = {
  baseUrl: httpUrl,
  model: text,
  provider: text,
  api: (v) => (APIS.includes(v as Api) ? undefined : `one of ${APIS.join(', ')}`),
  system: (v) => (typeof v === 'string' ? undefined : 'a string'),
  maxTokens: positiveInteger,
  temperature: (v) => (typeof v === 'number' && v >= 0 && v <= 2 ? undefined : 'a number from 0 to 2'),
  maxTurns: positiveInteger,
  timeouts: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return `a mapping with ${TIMEOUT_KEYS.join(', ')}`;
    for (const [key, ms] of Object.entries(v)) {
      if (!(TIMEOUT_KEYS as readonly string[]).includes(key))
        return `a mapping with ${TIMEOUT_KEYS.join(', ')} (unknown key "${key}")`;
      if (positiveInteger(ms) !== undefined && !isNoLimit(ms))
        return `a mapping of positive integers (ms) or "none" (no limit); ${key} is not`;
    }
    return undefined;
  },
  maxRetries: nonNegativeInteger,
  maxConcurrentRequests: positiveInteger,
  contextWindow: positiveInteger,
  tools: (v) =>
    Array.isArray(v) && v.every((t) => typeof t === 'string') ? undefined : 'a list of tool names',
  modelPath: text,
  agents: checkAgents,
  mcpServers: (v) => {
    const mapping = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x);
    if (!mapping(v)) return 'a mapping of server names to { command, args } or { url }';
    for (const [name, entry] of Object.entries(v as object)) {
      if (!mapping(entry))
        return `a mapping of server names to { command, args } or { url } ("${name}" is not)`;
    }
    return undefined;
  },
  sessionsDir: text,
  compat: checkCompatMapping,
  plugins: (v) =>
    Array.isArray(v) && v.every((p) => typeof p === 'string' && p.length > 0)
      ? undefined
      : 'a list of plugin paths or package names',
};

/** Keys people write by mistake, with the key they meant or the reason they are refused. */
const REFUSED: Record<string, string> = {
  apiKey:
    'API keys are not read from config files (they end up in repositories); set OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENROUTER_API_KEY, or pass --api-key',
  api_key: 'API keys are not read from config files; use the environment or --api-key',
};

/**
 * Validates a parsed config document.
 *
 * @param where - The file name, for messages.
 * @throws {ConfigError} naming the file and the bad key: an unknown key (with the known ones), a refused
 *   key, or a value of the wrong type.
 */
export function validateConfig(document: unknown, where: string): ConfigFile {
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(
      `${where}: the file must hold a mapping of settings (key: value), not ${Array.isArray(document) ? 'a list' : typeof document}`,
    );
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const refused = REFUSED[key];
    if (refused !== undefined) throw new ConfigError(`${where}: key "${key}" is not allowed: ${refused}`);
    if (!Object.hasOwn(CHECKS, key)) {
      throw new ConfigError(`${where}: unknown key "${key}"; known keys: ${Object.keys(CHECKS).join(', ')}`);
    }
    const problem = CHECKS[key as keyof ConfigFile](value);
    if (problem !== undefined) {
      throw new ConfigError(`${where}: key "${key}" must be ${problem}, got ${JSON.stringify(value)}`);
    }
    config[key] = value;
  }
  return config as ConfigFile;
}
