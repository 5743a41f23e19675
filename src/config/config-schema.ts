import { type Api, BUILTIN_APIS } from '../types/message.js';
import { ConfigError } from './config-error.js';

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
  /** The model's context window in tokens (when the server does not report it). */
  contextWindow?: number;
  /** Built-in tools enabled by default (CLI). */
  tools?: string[];
  /** A GGUF file or model URI for the embedded engine (like `--gguf`); no server is used. */
  modelPath?: string;
}

/** The `timeouts` mapping of a config file, in ms. */
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
      if (positiveInteger(ms) !== undefined) return `a mapping of positive integers (ms); ${key} is not`;
    }
    return undefined;
  },
  maxRetries: nonNegativeInteger,
  contextWindow: positiveInteger,
  tools: (v) =>
    Array.isArray(v) && v.every((t) => typeof t === 'string') ? undefined : 'a list of tool names',
  modelPath: text,
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
