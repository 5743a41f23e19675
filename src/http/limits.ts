/**
 * Limits that keep a hostile or broken server from exhausting memory or CPU. Exceeding one ends the call
 * with a `StreamParseError` of kind `limit`; memory stays bounded by these numbers.
 *
 * Source: openai-node `ChatCompletionStream` bounds (128 choices, 128 tool calls, 16 MiB partial JSON,
 * depth 128), see ../shared/notes/reliability.md §1.
 */

import { StreamParseError } from '../errors/stream-parse-error.js';

/** Hostile-stream limits of one model call (`StreamOptions.limits`). */
export interface StreamLimits {
  /** Largest single Server-Sent Event (its data), in UTF-16 code units. @default 16777216 (16 MiB) */
  maxEventBytes?: number;
  /** Most tool calls in one response. @default 128 */
  maxToolCalls?: number;
  /** Most `choices` in one chunk or response. @default 128 */
  maxChoices?: number;
  /** Longest argument text of one tool call, in UTF-16 code units. @default 16777216 (16 MiB) */
  maxArgumentBytes?: number;
  /** Deepest nesting of objects and arrays in tool-call arguments. @default 128 */
  maxJsonDepth?: number;
  /** Largest response body, in bytes as received (SSE framing included). @default 268435456 (256 MiB) */
  maxResponseBytes?: number;
}

/** Limits with every default applied. */
export type ResolvedLimits = Required<StreamLimits>;

/** The defaults. */
export const DEFAULT_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  maxEventBytes: 16 * 1024 * 1024,
  maxToolCalls: 128,
  maxChoices: 128,
  maxArgumentBytes: 16 * 1024 * 1024,
  maxJsonDepth: 128,
  maxResponseBytes: 256 * 1024 * 1024,
});

/** Applies defaults; values that are not positive integers are ignored. */
export function resolveLimits(limits: StreamLimits | undefined): Readonly<ResolvedLimits> {
  // The shared defaults when nothing is set: one object less per open stream.
  if (!limits) return DEFAULT_LIMITS;
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ResolvedLimits)[]) {
    const value = limits[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) out[key] = value;
  }
  return out;
}

/** The `StreamParseError` (kind `limit`) for an exceeded limit, naming it and how to raise it. */
export function limitError(
  what: string,
  limit: keyof ResolvedLimits,
  value: number,
  url?: string,
): StreamParseError {
  const where = url ? ` from ${url}` : '';
  return new StreamParseError(
    `The response${where} exceeds a safety limit: ${what} (limits.${limit} = ${value}). ` +
      `The server may be broken or hostile; raise limits.${limit} if it is trusted.`,
    { kind: 'limit', ...(url !== undefined && { url }) },
  );
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

/**
 * Tracks the nesting depth of JSON text fed in pieces (brackets outside strings), in linear time and
 * constant memory, so a deeply nested argument is refused before anything parses it.
 */
export class JsonDepthTracker {
  #depth = 0;
  #max = 0;
  #inString = false;
  #escape = false;

  /** Deepest nesting seen so far. */
  get maxDepth(): number {
    return this.#max;
  }

  /** Scans the next piece of text; returns the deepest nesting seen so far. */
  push(text: string): number {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === BACKSLASH) this.#escape = true;
        else if (c === QUOTE) this.#inString = false;
      } else if (c === QUOTE) this.#inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.#depth++;
        if (this.#depth > this.#max) this.#max = this.#depth;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && this.#depth > 0) this.#depth--;
    }
    return this.#max;
  }
}
