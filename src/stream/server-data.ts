/**
 * Bounds server data kept in a message (`providerData`: Anthropic citations and server-tool blocks,
 * Responses annotations and opaque items, signatures, ids) by the same limits as tool-call arguments
 * (`limits.maxJsonDepth`, `limits.maxArgumentBytes`), so a hostile server cannot make the message
 * unserializable (`JSON.stringify` overflows its stack on deep nesting) or poison later turns that
 * replay it. Over-limit entries are dropped and marked (see {@link TRUNCATED_KEY}); nothing else is lost.
 */

import type { ResolvedLimits } from '../http/limits.js';
import type { ProviderData } from '../types/content.js';

/**
 * The `providerData` key that marks dropped server data: `{ keys: string[], reason: string }` naming the
 * entries removed and the limit they exceeded.
 */
export const TRUNCATED_KEY = 'truncated';

/** What {@link measureJson} found: within bounds, or the first limit exceeded. */
export type JsonMeasure = { ok: true } | { ok: false; limit: 'maxJsonDepth' | 'maxArgumentBytes' };

/**
 * Measures a JSON-like value without recursion (so any depth is safe) and stops at the first limit
 * exceeded. Size is the approximate length of its JSON text, in UTF-16 code units. Linear time.
 */
export function measureJson(value: unknown, maxDepth: number, maxBytes: number): JsonMeasure {
  const stack: [unknown, number][] = [[value, 0]];
  let size = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'string') size += item.length + 2;
    else if (typeof item === 'object' && item !== null) {
      if (depth + 1 > maxDepth) return { ok: false, limit: 'maxJsonDepth' };
      size += 2;
      if (Array.isArray(item)) for (const v of item) stack.push([v, depth + 1]);
      else
        for (const [k, v] of Object.entries(item)) {
          size += k.length + 4;
          stack.push([v, depth + 1]);
        }
    } else size += 8;
    if (size > maxBytes) return { ok: false, limit: 'maxArgumentBytes' };
  }
  return { ok: true };
}

/**
 * Drops each `providerData` entry deeper than `limits.maxJsonDepth` (the entry's own value counts as
 * depth 1, like a tool call's arguments object) or larger than `limits.maxArgumentBytes`, and records them
 * under {@link TRUNCATED_KEY}. Mutates and returns `data`; within-limit data is returned untouched.
 */
export function boundServerData(data: ProviderData, limits: Readonly<ResolvedLimits>): ProviderData {
  const dropped: string[] = [];
  const reasons = new Set<string>();
  for (const [key, value] of Object.entries(data)) {
    if (key === TRUNCATED_KEY) continue;
    const measure = measureJson(value, limits.maxJsonDepth, limits.maxArgumentBytes);
    if (measure.ok) continue;
    dropped.push(key);
    reasons.add(
      measure.limit === 'maxJsonDepth'
        ? `nested deeper than limits.maxJsonDepth = ${limits.maxJsonDepth}`
        : `larger than limits.maxArgumentBytes = ${limits.maxArgumentBytes}`,
    );
    delete data[key];
  }
  if (dropped.length > 0) {
    data[TRUNCATED_KEY] = { keys: dropped, reason: `server data ${[...reasons].join(' and ')}` };
  }
  return data;
}
