import { ConfigError } from './config-error.js';

/** Parses a positive integer given as text (a flag or variable); `label` names it in the error. */
export function parsePositiveInteger(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\+?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ConfigError(`${label} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** True for the words that mean "no time limit": `none` and `infinity` (any case). */
export function isNoLimit(value: unknown): boolean {
  return typeof value === 'string' && /^\s*(none|infinity)\s*$/i.test(value);
}

/**
 * Parses a time limit in ms given as text: a positive integer, or `none` / `infinity` for no limit
 * (`Infinity`), as documented for `OPEN_AGENT_*_TIMEOUT_MS` and the config file's `timeouts`.
 * @throws {ConfigError} for anything else, naming `label`.
 */
export function parseTimeoutMs(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (isNoLimit(value)) return Number.POSITIVE_INFINITY;
  const n = /^\+?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ConfigError(
      `${label} must be a positive integer (ms) or "none" for no limit, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Parses an integer of 0 or more given as text. */
export function parseNonNegativeInteger(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\+?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new ConfigError(`${label} must be an integer of 0 or more, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses a temperature (0 to 2) given as text. */
export function parseTemperature(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 2))
    throw new ConfigError(`${label} must be a number from 0 to 2, got ${JSON.stringify(value)}`);
  return n;
}

/** Checks an http(s) URL given as text. */
export function parseHttpUrl(label: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(
      `${label} must be an http(s) URL such as http://localhost:11434/v1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `value` unless it is undefined or empty. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 ? value : undefined;
}
