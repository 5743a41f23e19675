import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../http/limits.js';
import { boundServerData, measureJson, TRUNCATED_KEY } from './server-data.js';

/** A value nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('measureJson', () => {
  it.each([
    ['a string', 'abc', 1, 100, { ok: true }],
    ['depth exactly at the limit', nested(3), 3, 1000, { ok: true }],
    ['one level too deep', nested(4), 3, 1000, { ok: false, limit: 'maxJsonDepth' }],
    ['100,000 levels (no recursion)', nested(100_000), 128, 1 << 24, { ok: false, limit: 'maxJsonDepth' }],
    ['a long string', 'x'.repeat(101), 8, 100, { ok: false, limit: 'maxArgumentBytes' }],
    [
      'many small keys',
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
      8,
      100,
      {
        ok: false,
        limit: 'maxArgumentBytes',
      },
    ],
  ])('%s', (_name, value, depth, bytes, expected) => {
    expect(measureJson(value, depth, bytes)).toEqual(expected);
  });
});

describe('boundServerData', () => {
  const limits = { ...DEFAULT_LIMITS, maxJsonDepth: 4, maxArgumentBytes: 200 };

  it('keeps data within the limits untouched', () => {
    const data = { signature: 'abc', citations: [{ url: 'https://example.test' }] };
    expect(boundServerData(data, limits)).toEqual({
      signature: 'abc',
      citations: [{ url: 'https://example.test' }],
    });
  });

  it('drops over-limit entries, keeps the rest, and marks what it dropped', () => {
    const data = { itemId: 'msg_1', citations: nested(10), responsesItem: { text: 'y'.repeat(500) } };
    const bounded = boundServerData(data, limits);
    expect(bounded.itemId).toBe('msg_1');
    expect(bounded.citations).toBeUndefined();
    expect(bounded.responsesItem).toBeUndefined();
    expect(bounded[TRUNCATED_KEY]).toEqual({
      keys: ['citations', 'responsesItem'],
      reason:
        'server data nested deeper than limits.maxJsonDepth = 4 and larger than limits.maxArgumentBytes = 200',
    });
    expect(() => JSON.stringify(bounded)).not.toThrow();
  });
});
