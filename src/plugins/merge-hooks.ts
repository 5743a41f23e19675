import type { Hooks } from '../agent/hooks.js';

/**
 * Joins hook sets: each event's lists concatenated in argument order (earlier lists run first, and the
 * first decision wins). Undefined sets are skipped; returns undefined when no set has any hook.
 */
export function mergeHooks(...sets: (Hooks | undefined)[]): Hooks | undefined {
  const merged: Record<string, unknown[]> = {};
  for (const set of sets) {
    if (set === undefined) continue;
    for (const [event, list] of Object.entries(set) as [string, unknown[] | undefined][]) {
      if (list === undefined || list.length === 0) continue;
      merged[event] = [...(merged[event] ?? []), ...list];
    }
  }
  return Object.keys(merged).length > 0 ? (merged as Hooks) : undefined;
}
