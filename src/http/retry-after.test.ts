import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 10:00:03 GMT' }), now)).toBe(3000);
  });
  it('ignores absent, negative and unparsable values', () => {
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-1' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('parseRetryAfter accepts only RFC 9110 forms', () => {
  const at = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['7', 7000],
    [' 3 ', 3000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['Wednesday, 21-Oct-15 07:28:10 GMT', 10_000],
    ['Wed Oct 21 07:28:10 2015', 10_000],
    ['0x2', undefined],
    ['1e0', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['', undefined],
    ['tomorrow', undefined],
    ['2015-10-21T07:28:10Z', undefined],
  ];
  for (const [value, expected] of cases) {
    it(`Retry-After: ${JSON.stringify(value)} → ${expected}`, () => {
      expect(parseRetryAfter(new Headers({ 'retry-after': value }), at)).toBe(expected);
    });
  }
  it('retry-after-ms takes decimal digits only', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '0x10' }))).toBeUndefined();
  });
});
