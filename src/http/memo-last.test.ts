import { describe, expect, it } from 'vitest';
import { memoLast } from './memo-last.js';

describe('memoLast', () => {
  it('runs the function again only when the argument changes, and keeps one entry', () => {
    const seen: string[] = [];
    const upper = memoLast((s: string) => {
      seen.push(s);
      return s.toUpperCase();
    });
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(seen).toEqual(['a', 'b', 'a']);
  });

  it('remembers an undefined result too', () => {
    let calls = 0;
    const nothing = memoLast((_: number) => {
      calls++;
      return undefined;
    });
    nothing(1);
    nothing(1);
    expect(calls).toBe(1);
  });
});
