import { parse as parsePartial } from 'partial-json';

/** Result of parsing a finished tool call's argument text. */
export interface ParsedArguments {
  /** The arguments object (best partial parse, or `{}`, when the text was not a complete JSON object). */
  arguments: Record<string, unknown>;
  /** Set when the text did not parse as a complete JSON object. */
  rawArguments?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Leniently parses argument text received so far: closes open strings, arrays and objects. Returns `{}`
 * when nothing usable has arrived. Never throws.
 */
export function parsePartialArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = parsePartial(text);
    if (!isPlainObject(value)) return {};
    // The partial parser assigns keys, so `"__proto__"` would set the object's prototype: rebuild such a
    // value through JSON, which keeps only own data (a final parse with JSON.parse is safe by itself).
    return text.includes('__proto__')
      ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>)
      : value;
  } catch {
    return {};
  }
}

/**
 * Parses a finished call's argument text. Empty (or whitespace-only) text means `{}` (servers send `""`
 * for calls without arguments). Anything that is not one complete JSON object keeps its raw text.
 */
export function parseFinalArguments(text: string): ParsedArguments {
  if (text.trim() === '') return { arguments: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (isPlainObject(value)) return { arguments: value };
  } catch {
    // incomplete or invalid: fall back to the partial parse below
  }
  return { arguments: parsePartialArguments(text), rawArguments: text };
}
