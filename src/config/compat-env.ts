import type { ModelCompat } from '../types/compat.js';
import { COMPAT_FLAGS, compatVariable, parseCompatText } from './compat-flags.js';
import { ConfigError } from './config-error.js';

/**
 * The seed project's `VLLM_*` toggles, kept as aliases of our own compat overrides: each variable and the
 * compat flag it sets. A boolean alias is on for `1`/`true`/`yes`/`on`; `invert` sets the flag to the
 * opposite. `OPEN_AGENT_COMPAT_*` of the same flag wins over the alias.
 */
export const VLLM_ALIASES: Readonly<Record<string, { flag: string; invert?: boolean }>> = Object.freeze({
  VLLM_MIN_PAYLOAD: { flag: 'minimalPayload' },
  VLLM_FORCE_FUNCTIONS: { flag: 'legacyFunctions' },
  VLLM_DISABLE_PARALLEL_TOOL_CALLS: { flag: 'disableParallelToolCalls' },
  VLLM_TOOL_CHOICE: { flag: 'defaultToolChoice' },
  VLLM_DISABLE_TOOLS_IN_LLM: { flag: 'sendTools', invert: true },
});

/**
 * `VLLM_DEBUG_PAYLOAD=1` has no compat flag: it turns on the `open-agent:payload` debug lines (the redacted
 * request body on stderr), like `DEBUG=open-agent:payload` (see `src/debug/`).
 */
export const VLLM_DEBUG_PAYLOAD = 'VLLM_DEBUG_PAYLOAD';

/** Compat overrides from the environment and the variable behind each flag. */
export interface EnvCompat {
  compat: ModelCompat;
  /** Flag → `env:NAME`. */
  origins: Record<string, string>;
}

function set(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * Reads compat overrides from the environment: `OPEN_AGENT_COMPAT_<FLAG_IN_SCREAMING_SNAKE>` for every
 * flag of {@link COMPAT_FLAGS} (e.g. `OPEN_AGENT_COMPAT_USAGE_IN_STREAM=false`), then the `VLLM_*`
 * aliases ({@link VLLM_ALIASES}) for flags not set that way. Empty variables are ignored.
 *
 * @throws {ConfigError} naming the variable, for a value of the wrong type (a boolean, a number, one of an
 *   enum's values) or an unknown `OPEN_AGENT_COMPAT_*` flag.
 */
export function compatFromEnv(env: Readonly<Record<string, string | undefined>>): EnvCompat {
  const compat: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const byVariable = new Map(Object.keys(COMPAT_FLAGS).map((flag) => [compatVariable(flag), flag]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('OPEN_AGENT_COMPAT_') || !set(value)) continue;
    const flag = byVariable.get(name);
    if (flag === undefined)
      throw new ConfigError(
        `${name}: no such compat flag; known: ${[...byVariable.keys()].join(', ')} (docs/configuration.md)`,
      );
    compat[flag] = parseCompatText(name, flag, value);
    origins[flag] = `env:${name}`;
  }
  for (const [name, alias] of Object.entries(VLLM_ALIASES)) {
    const value = env[name];
    if (!set(value) || compat[alias.flag] !== undefined) continue;
    const parsed = parseCompatText(name, alias.flag, value);
    compat[alias.flag] = alias.invert === true ? !parsed : parsed;
    origins[alias.flag] = `env:${name}`;
  }
  return { compat: compat as ModelCompat, origins };
}
