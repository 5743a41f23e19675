import { ALL_RUNGS } from '../output/rungs.js';
import { ConfigError } from './config-error.js';

/**
 * The type of one compat flag, for parsing it from text (`OPEN_AGENT_COMPAT_*`, `OPEN_AGENT__COMPAT__*`)
 * and checking it in a config file's `compat:` mapping.
 */
export type CompatFlagKind =
  | { type: 'boolean' }
  | { type: 'integer' }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'list'; values?: readonly string[] };

const BOOLEAN: CompatFlagKind = { type: 'boolean' };

/**
 * Every compat flag that can be overridden from the environment or a config file, by name, with its type:
 * the flags of `OpenAIChatCompat`, `OpenAIResponsesCompat`, `AnthropicMessagesCompat` and
 * `OllamaChatCompat` (each provider reads the flags of its own profile; shared names mean the same thing).
 * `legacyFunctions` (the legacy `functions` / `function_call` request shape of Chat Completions) is read by
 * the openai-chat provider.
 */
export const COMPAT_FLAGS: Readonly<Record<string, CompatFlagKind>> = Object.freeze({
  // OpenAI Chat Completions
  systemRole: { type: 'enum', values: ['system', 'developer'] },
  maxTokensField: { type: 'enum', values: ['max_tokens', 'max_completion_tokens'] },
  usageInStream: BOOLEAN,
  strictTools: BOOLEAN,
  toolChoice: BOOLEAN,
  parallelToolCalls: BOOLEAN,
  responseFormat: { type: 'enum', values: ['json_schema', 'json_object', 'none'] },
  reasoningEffort: BOOLEAN,
  reasoningField: { type: 'enum', values: ['reasoning_content', 'reasoning'] },
  replayReasoning: BOOLEAN,
  thinkTags: BOOLEAN,
  structuredRungs: { type: 'list', values: ALL_RUNGS },
  nativeSchemaField: { type: 'enum', values: ['json_schema', 'structured_outputs', 'format', 'none'] },
  grammarWithTools: BOOLEAN,
  minimalPayload: BOOLEAN,
  defaultToolChoice: { type: 'enum', values: ['unset', 'auto', 'none', 'required'] },
  disableParallelToolCalls: BOOLEAN,
  sendTools: BOOLEAN,
  legacyFunctions: BOOLEAN,
  // OpenAI Responses
  reasoningSummary: { type: 'enum', values: ['auto', 'concise', 'detailed', 'none'] },
  statelessStore: BOOLEAN,
  encryptedReasoning: BOOLEAN,
  // Anthropic Messages
  authHeader: { type: 'enum', values: ['x-api-key', 'bearer'] },
  anthropicVersion: { type: 'string' },
  betas: { type: 'list' },
  extendedThinking: BOOLEAN,
  promptCaching: BOOLEAN,
  defaultMaxTokens: { type: 'integer' },
  // Ollama native chat
  thinkLevels: BOOLEAN,
  sendContextWindow: BOOLEAN,
});

/** `usageInStream` → `USAGE_IN_STREAM` (the suffix of its `OPEN_AGENT_COMPAT_*` variable). */
export function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The variable that overrides compat flag `name`: `OPEN_AGENT_COMPAT_USAGE_IN_STREAM`. */
export function compatVariable(name: string): string {
  return `OPEN_AGENT_COMPAT_${screamingSnake(name)}`;
}

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

function describe(kind: CompatFlagKind): string {
  switch (kind.type) {
    case 'boolean':
      return 'a boolean (true/false, 1/0, yes/no, on/off)';
    case 'integer':
      return 'a positive integer';
    case 'string':
      return 'a non-empty string';
    case 'enum':
      return `one of ${kind.values.join(', ')}`;
    case 'list':
      return kind.values ? `a comma-separated list of ${kind.values.join(', ')}` : 'a comma-separated list';
  }
}

/**
 * Parses the text of a compat override (an environment variable) by the flag's type.
 *
 * @param label - What to name in the error (the variable).
 * @throws {ConfigError} for an unknown flag or a value of the wrong type, naming `label` and the accepted values.
 */
export function parseCompatText(label: string, name: string, text: string): unknown {
  const kind = COMPAT_FLAGS[name];
  if (kind === undefined) throw new ConfigError(`${label}: unknown compat flag "${name}"`);
  const value = text.trim();
  let parsed: unknown;
  if (kind.type === 'boolean') parsed = TRUE.test(value) ? true : FALSE.test(value) ? false : undefined;
  else if (kind.type === 'integer') parsed = /^\+?\d+$/.test(value) ? Number(value) : undefined;
  else if (kind.type === 'list') parsed = value === '' ? [] : value.split(',').map((item) => item.trim());
  else parsed = value;
  if (parsed === undefined || checkCompatValue(name, parsed) !== undefined) {
    throw new ConfigError(`${label} must be ${describe(kind)}, got ${JSON.stringify(text)}`);
  }
  return parsed;
}

/**
 * Checks an already typed value (from YAML) for compat flag `name`.
 * @returns a description of what the value must be, or undefined when it is valid.
 */
export function checkCompatValue(name: string, value: unknown): string | undefined {
  const kind = COMPAT_FLAGS[name];
  if (kind === undefined) return `a known compat flag (${Object.keys(COMPAT_FLAGS).join(', ')})`;
  let ok: boolean;
  switch (kind.type) {
    case 'boolean':
      ok = typeof value === 'boolean';
      break;
    case 'integer':
      ok = typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
      break;
    case 'string':
      ok = typeof value === 'string' && value.length > 0;
      break;
    case 'enum':
      ok = typeof value === 'string' && kind.values.includes(value);
      break;
    case 'list':
      ok =
        Array.isArray(value) &&
        value.every((v) => typeof v === 'string' && v !== '' && (!kind.values || kind.values.includes(v)));
      break;
  }
  return ok ? undefined : describe(kind);
}

/**
 * Checks a config file's `compat:` mapping (flag name → typed value).
 * @returns what is wrong, or undefined when it is valid.
 */
export function checkCompatMapping(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'a mapping of compat flag names to values (e.g. usageInStream: false)';
  for (const [name, flag] of Object.entries(value)) {
    if (COMPAT_FLAGS[name] === undefined)
      return `a mapping of compat flags; "${name}" is unknown (known: ${Object.keys(COMPAT_FLAGS).join(', ')})`;
    const problem = checkCompatValue(name, flag);
    if (problem !== undefined) return `a mapping of compat flags where ${name} is ${problem}`;
  }
  return undefined;
}
