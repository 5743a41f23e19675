import { describe, expect, it } from 'vitest';
import { generateToolCallId, randomUuid } from './ids.js';

describe('randomUuid', () => {
  it('makes RFC 9562 version-4 UUIDs, unique across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = randomUuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(10_000);
  });

  it('uses every hex digit in the random positions (not a constant pattern)', () => {
    const digits = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of randomUuid().replace(/-/g, '').slice(0, 12)) digits.add(c);
    expect(digits.size).toBe(16);
  });
});

describe('generateToolCallId', () => {
  it('is call_ and 24 alphanumerics', () => {
    expect(generateToolCallId()).toMatch(/^call_[A-Za-z0-9]{24}$/);
  });
});
