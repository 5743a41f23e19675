import { parse } from 'yaml';
import { COMPAT_FLAGS, parseCompatText } from './compat-flags.js';
import { ConfigError } from './config-error.js';
import { type ConfigFile, TIMEOUT_KEYS, validateConfig } from './config-schema.js';

/** The prefix of variables that override config-file keys: `OPEN_AGENT__MAX_TURNS=3`. */
export const CONFIG_ENV_PREFIX = 'OPEN_AGENT__';

/** Config keys whose value is text (taken as written, never parsed as YAML). */
const TEXT_KEYS = new Set(['baseUrl', 'model', 'provider', 'api', 'system', 'modelPath', 'sessionsDir']);
/** Config keys whose value is a list (a comma-separated value is split). */
const LIST_KEYS = new Set(['tools', 'plugins']);
/** The config keys, for matching (a copy of the schema's; validateConfig checks the result). */
const CONFIG_KEYS = [
  'baseUrl',
  'model',
  'provider',
  'api',
  'system',
  'maxTokens',
  'temperature',
  'maxTurns',
  'timeouts',
  'maxRetries',
  'contextWindow',
  'tools',
  'modelPath',
  'agents',
  'mcpServers',
  'sessionsDir',
  'compat',
  'plugins',
] as const;

/** Config-file keys set by `OPEN_AGENT__*` variables, and the variable behind each key. */
export interface EnvConfigOverrides {
  /** Validated like a config file (top-level keys; `timeouts` and `compat` hold only the keys set). */
  config: ConfigFile;
  /** `key` or `section.key` → `env:OPEN_AGENT__…`. */
  origins: Record<string, string>;
}

/** `MAX_TURNS` / `max_turns` / `maxturns` → the key of `keys` it names (case and underscores ignored). */
function match(part: string, keys: readonly string[], suffix?: string): string | undefined {
  const wanted = part.replace(/_/g, '').toLowerCase();
  return keys.find((key) => {
    const k = key.toLowerCase();
    return k === wanted || (suffix !== undefined && k === `${wanted}${suffix}`);
  });
}

/** A YAML scalar or flow value (`3`, `false`, `[a, b]`, `{ a: 1 }`); invalid YAML stays text. */
function typed(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return text;
  }
}

function settingValue(key: string, text: string): unknown {
  if (TEXT_KEYS.has(key)) return text;
  if (LIST_KEYS.has(key)) {
    const value = typed(text);
    return typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  }
  return typed(text);
}

/**
 * Reads `OPEN_AGENT__KEY` and `OPEN_AGENT__SECTION__KEY` variables: a double underscore separates the
 * levels, and each part matches a config key case-insensitively without its underscores
 * (`OPEN_AGENT__MAX_TURNS` → `maxTurns`, `OPEN_AGENT__TIMEOUTS__FIRST_BYTE` → `timeouts.firstByteMs`,
 * `OPEN_AGENT__COMPAT__USAGE_IN_STREAM` → `compat.usageInStream`). Values are typed by the schema (text
 * keys as written, lists comma-separated, everything else read as a YAML value) and validated by the same
 * checks as a config file.
 *
 * @throws {ConfigError} naming the variable, for an unknown key or a bad value.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): EnvConfigOverrides {
  const document: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const names = Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith(CONFIG_ENV_PREFIX) && env[name] !== undefined)
    .sort();
  for (const name of names) {
    const text = env[name] as string;
    const parts = name.slice(CONFIG_ENV_PREFIX.length).split('__');
    const key = match(parts[0] ?? '', CONFIG_KEYS);
    if (
      key === undefined ||
      parts.length > 2 ||
      (parts.length === 2 && !['timeouts', 'compat'].includes(key))
    )
      throw new ConfigError(
        `${name}: no such config key; use OPEN_AGENT__KEY (${CONFIG_KEYS.join(', ')}) or OPEN_AGENT__TIMEOUTS__KEY / OPEN_AGENT__COMPAT__FLAG`,
      );
    if (parts.length === 1) {
      const value = settingValue(key, text);
      validateConfig({ [key]: value }, name);
      document[key] = value;
      origins[key] = `env:${name}`;
      continue;
    }
    const section = (document[key] ?? {}) as Record<string, unknown>;
    const part = parts[1] ?? '';
    if (key === 'timeouts') {
      const sub = match(part, TIMEOUT_KEYS, 'ms');
      if (sub === undefined)
        throw new ConfigError(`${name}: no such timeout; known: ${TIMEOUT_KEYS.join(', ')}`);
      const value = typed(text);
      validateConfig({ timeouts: { [sub]: value } }, name);
      section[sub] = value;
      origins[`timeouts.${sub}`] = `env:${name}`;
    } else {
      const flag = match(part, Object.keys(COMPAT_FLAGS));
      if (flag === undefined)
        throw new ConfigError(`${name}: no such compat flag; known: ${Object.keys(COMPAT_FLAGS).join(', ')}`);
      section[flag] = parseCompatText(name, flag, text);
      origins[`compat.${flag}`] = `env:${name}`;
    }
    document[key] = section;
  }
  return { config: document as ConfigFile, origins };
}
