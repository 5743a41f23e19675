import type { ConfigEnv, ResolvedConfig } from '../config/resolve-config.js';
import { redactUrl, redactValue } from '../http/redact.js';
import { DEFAULT_MAX_RETRIES } from '../http/retry.js';
import { DEFAULT_TIMEOUTS } from '../http/timeouts.js';
import { getPreset, presetForBaseUrl } from '../presets/presets.js';
import { anthropicMessagesProvider } from '../providers/anthropic-messages/index.js';
import { ollamaChatProvider } from '../providers/ollama-chat/index.js';
import { openAIChatProvider } from '../providers/openai-chat/index.js';
import { openAIResponsesProvider } from '../providers/openai-responses/index.js';
import { READ_ONLY_TOOL_NAMES } from '../tools/builtin/index.js';
import type { ModelCompat } from '../types/compat.js';
import type { Api } from '../types/message.js';
import { dotEnvNames } from './env-file.js';
import { apiKeyFor } from './model-settings.js';
import { DEFAULT_MAX_TURNS } from './run-options.js';
import { sessionsDirectory } from './session-store.js';

/**
 * One effective setting and where it came from: `flag`, `env:NAME` (`env:NAME (.env)` when the CLI read
 * the variable from `.env`), `file:PATH`, `probe`, `preset:NAME` or `default`.
 */
export interface SettingLine {
  /** `model`, `timeouts.firstByteMs`, `compat.usageInStream`, ... */
  key: string;
  /** The value; secrets never appear (the API key is `set (from NAME)`). */
  value: unknown;
  source: string;
}

/** What the report needs besides the resolved config. */
export interface ReportInput {
  config: ResolvedConfig;
  env: ConfigEnv;
  cwd: string;
  /** `--api-key` / `--api-key-file` as given (never printed). */
  apiKeyFlag?: string | undefined;
  apiKeyFile?: string | undefined;
  /** Compat facts of a probe of the server (`config --probe`, `--verbose`). */
  probed?: ModelCompat | undefined;
}

/** The compat profile defaults of each wire protocol. */
const PROFILE_DEFAULTS: Record<string, object> = {
  'openai-chat': openAIChatProvider.definition.defaultCompat,
  'openai-responses': openAIResponsesProvider.definition.defaultCompat,
  'anthropic-messages': anthropicMessagesProvider.definition.defaultCompat,
  'ollama-chat': ollamaChatProvider.definition.defaultCompat,
};

function withDotEnv(source: string): string {
  const name = source.startsWith('env:') ? source.slice(4) : undefined;
  return name !== undefined && dotEnvNames.has(name) ? `${source} (.env)` : source;
}

/** How the API key is given, never its value. */
function apiKeyLine(input: ReportInput): SettingLine {
  const { config, env } = input;
  if (input.apiKeyFlag !== undefined) return { key: 'apiKey', value: 'set (from --api-key)', source: 'flag' };
  if (input.apiKeyFile !== undefined)
    return { key: 'apiKey', value: 'set (from --api-key-file)', source: 'flag' };
  if (config.baseUrl !== undefined && apiKeyFor(config.baseUrl, undefined, env) !== undefined)
    return { key: 'apiKey', value: 'set (from OPENAI_API_KEY)', source: 'env:OPENAI_API_KEY' };
  const preset = presetOf(config);
  const presetVar = preset?.apiKeyEnv;
  if (presetVar !== undefined && (env[presetVar] ?? '') !== '')
    return { key: 'apiKey', value: `set (from ${presetVar})`, source: `env:${presetVar}` };
  return { key: 'apiKey', value: 'not set', source: 'default' };
}

function presetOf(config: ResolvedConfig) {
  if (config.provider !== undefined) return getPreset(config.provider);
  return config.baseUrl !== undefined ? presetForBaseUrl(config.baseUrl) : undefined;
}

/** The compat flags of the protocol in use, each with its layer: override > probe > preset > default. */
function compatLines(input: ReportInput): SettingLine[] {
  const { config } = input;
  const preset = presetOf(config);
  const api: Api = config.api ?? preset?.api ?? 'openai-chat';
  const defaults = PROFILE_DEFAULTS[api] ?? {};
  const fromPreset = (preset?.api === api ? preset.compat : preset?.apiCompat?.[api]) as
    | Record<string, unknown>
    | undefined;
  const overrides = (config.compat ?? {}) as Record<string, unknown>;
  const probed = (input.probed ?? {}) as Record<string, unknown>;
  const lines: SettingLine[] = [];
  for (const [flag, fallback] of Object.entries(defaults)) {
    const key = `compat.${flag}`;
    if (overrides[flag] !== undefined)
      lines.push({ key, value: overrides[flag], source: config.origins[key] ?? 'file' });
    else if (probed[flag] !== undefined) lines.push({ key, value: probed[flag], source: 'probe' });
    else if (fromPreset?.[flag] !== undefined)
      lines.push({ key, value: fromPreset[flag], source: `preset:${preset?.name}` });
    else lines.push({ key, value: fallback, source: 'default' });
  }
  // Overrides of flags of other protocols are shown too (they are ignored by this one).
  for (const [flag, value] of Object.entries(overrides)) {
    if (!(flag in defaults))
      lines.push({ key: `compat.${flag}`, value, source: config.origins[`compat.${flag}`] ?? 'file' });
  }
  return lines;
}

/**
 * The effective settings of a CLI command and where each came from, in a fixed order: server and model,
 * the API key (masked), prompt and limits, time limits, tools, sessions, plugins, then the compat flags of
 * the wire protocol in use. URLs are redacted; no secret value is ever in a line.
 */
export function settingLines(input: ReportInput): SettingLine[] {
  const { config, env, cwd } = input;
  const o = config.origins;
  const lines: SettingLine[] = [];
  const add = (key: string, value: unknown, fallback?: { value: unknown; source: string }) => {
    if (value !== undefined) lines.push({ key, value, source: o[key] ?? 'default' });
    else if (fallback !== undefined) lines.push({ key, ...fallback });
  };
  const preset = presetOf(config);
  add('baseUrl', config.baseUrl !== undefined ? redactUrl(config.baseUrl) : undefined, {
    value: null,
    source: 'probe (the standard local ports, when a command runs)',
  });
  add('model', config.model, { value: null, source: 'probe (the first model listed)' });
  add('provider', config.provider, {
    value: preset?.name ?? 'custom',
    source: preset ? `preset:${preset.name}` : 'default',
  });
  add('api', config.api, {
    value: preset?.api ?? 'openai-chat',
    source: preset ? `preset:${preset.name}` : 'default',
  });
  lines.push(apiKeyLine(input));
  add('system', config.system);
  add('maxTokens', config.maxTokens);
  add('temperature', config.temperature);
  add('maxTurns', config.maxTurns, { value: DEFAULT_MAX_TURNS, source: 'default' });
  add('maxRetries', config.maxRetries, { value: DEFAULT_MAX_RETRIES, source: 'default' });
  for (const [key, ms] of Object.entries(DEFAULT_TIMEOUTS)) {
    const value = config.timeouts?.[key as keyof typeof DEFAULT_TIMEOUTS];
    add(`timeouts.${key}`, value === Number.POSITIVE_INFINITY ? 'none' : value, {
      value: ms,
      source: 'default',
    });
  }
  add('contextWindow', config.contextWindow);
  add('tools', config.tools, { value: [...READ_ONLY_TOOL_NAMES], source: 'default' });
  add('gguf', config.gguf);
  add('sessionsDir', config.sessionsDir, {
    value: sessionsDirectory(env, undefined, cwd),
    source: (env.OPEN_AGENT_SESSIONS_DIR ?? '') !== '' ? 'env:OPEN_AGENT_SESSIONS_DIR' : 'default',
  });
  add('plugins', config.plugins);
  if (config.agents !== undefined) add('agents', Object.keys(config.agents));
  if (config.mcpServers !== undefined) add('mcpServers', Object.keys(config.mcpServers));
  lines.push(...compatLines(input));
  return lines.map((line) => ({ ...line, value: redactValue(line.value), source: withDotEnv(line.source) }));
}

function shown(value: unknown): string {
  if (value === null) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The lines as aligned text: `key  value  (source)`. */
export function formatSettingLines(lines: readonly SettingLine[]): string {
  const keyWidth = Math.max(...lines.map((l) => l.key.length));
  const valueWidth = Math.min(40, Math.max(...lines.map((l) => shown(l.value).length)));
  return lines
    .map((l) => `${l.key.padEnd(keyWidth)}  ${shown(l.value).padEnd(valueWidth)}  (${l.source})\n`)
    .join('');
}
