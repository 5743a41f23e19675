import { afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../errors/abort-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import {
  MAX_CONCURRENT_ENV,
  originKey,
  originSlots,
  resolveMaxConcurrent,
  takeSlot,
} from './origin-limiter.js';

let n = 0;
/** A fresh origin per test: the limiter is process-wide. */
const fresh = (): string => `http://limiter-${++n}.test:80`;

afterEach(() => {
  delete process.env[MAX_CONCURRENT_ENV];
});

describe('takeSlot: a FIFO semaphore per origin', () => {
  it('grants up to the limit at once, queues the rest in order, and hands freed slots to the head', async () => {
    const origin = fresh();
    const a = takeSlot(origin, 2);
    const b = takeSlot(origin, 2);
    const c = takeSlot(origin, 2);
    const d = takeSlot(origin, 2);
    expect([a.granted, b.granted, c.granted, d.granted]).toEqual([true, true, false, false]);
    expect([c.position, d.position]).toEqual([1, 2]);
    expect(originSlots(origin)).toEqual({ active: 2, waiting: 2 });
    const order: string[] = [];
    void c.ready.then(() => order.push('c'));
    void d.ready.then(() => order.push('d'));
    b.release();
    await c.ready;
    expect(order).toEqual(['c']);
    expect(originSlots(origin)).toEqual({ active: 2, waiting: 1 });
    // A newcomer does not overtake the line even when a slot frees later.
    const e = takeSlot(origin, 2);
    expect(e.granted).toBe(false);
    a.release();
    await d.ready;
    expect(order).toEqual(['c', 'd']);
    c.release();
    await e.ready;
    d.release();
    e.release();
    expect(originSlots(origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('releases a slot exactly once, however often release() is called', () => {
    const origin = fresh();
    const a = takeSlot(origin, 2);
    const b = takeSlot(origin, 2);
    a.release();
    a.release();
    a.release();
    expect(originSlots(origin)).toEqual({ active: 1, waiting: 0 });
    b.release();
    expect(originSlots(origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('an abort while waiting rejects with AbortError, leaves the line and frees nothing it did not take', async () => {
    const origin = fresh();
    const holder = takeSlot(origin, 1);
    const controller = new AbortController();
    const waiting = takeSlot(origin, 1, controller.signal);
    const behind = takeSlot(origin, 1);
    controller.abort();
    await expect(waiting.ready).rejects.toBeInstanceOf(AbortError);
    expect(originSlots(origin)).toEqual({ active: 1, waiting: 1 });
    waiting.release();
    expect(originSlots(origin)).toEqual({ active: 1, waiting: 1 });
    holder.release();
    await behind.ready;
    expect(originSlots(origin)).toEqual({ active: 1, waiting: 0 });
    behind.release();
    expect(originSlots(origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('an already aborted signal never queues; a release while waiting rejects with the given reason', async () => {
    const origin = fresh();
    const holder = takeSlot(origin, 1);
    const aborted = takeSlot(origin, 1, AbortSignal.abort());
    await expect(aborted.ready).rejects.toBeInstanceOf(AbortError);
    expect(originSlots(origin).waiting).toBe(0);
    const waiting = takeSlot(origin, 1);
    const reason = new TimeoutError('total limit', { phase: 'total', timeoutMs: 5, url: 'u' });
    waiting.release(reason);
    await expect(waiting.ready).rejects.toBe(reason);
    holder.release();
    expect(originSlots(origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('a raised limit admits waiting requests at once', async () => {
    const origin = fresh();
    const a = takeSlot(origin, 1);
    const b = takeSlot(origin, 1);
    expect(b.granted).toBe(false);
    const c = takeSlot(origin, 3);
    // The new limit (3) admits b first, then c, with a slot to spare.
    await b.ready;
    expect(c.granted).toBe(true);
    expect(originSlots(origin)).toEqual({ active: 3, waiting: 0 });
    for (const t of [a, b, c]) t.release();
  });
});

describe('originKey and resolveMaxConcurrent', () => {
  it('keys by scheme://host:port with the default port written, no path or credentials', () => {
    expect(originKey('http://user:pw@127.0.0.1:8080/v1/chat?x=1')).toBe('http://127.0.0.1:8080');
    expect(originKey('https://api.example.com/v1')).toBe('https://api.example.com:443');
    expect(originKey('http://localhost/v1')).toBe('http://localhost:80');
    expect(originKey('http://[::1]:11434/v1')).toBe('http://[::1]:11434');
  });

  it('option over env over the model default; Infinity, none and 0 mean no limit', () => {
    expect(resolveMaxConcurrent(undefined, undefined)).toBeUndefined();
    expect(resolveMaxConcurrent(undefined, 4)).toBe(4);
    process.env[MAX_CONCURRENT_ENV] = '2';
    expect(resolveMaxConcurrent(undefined, 4)).toBe(2);
    expect(resolveMaxConcurrent(3, 4)).toBe(3);
    expect(resolveMaxConcurrent(Number.POSITIVE_INFINITY, 4)).toBeUndefined();
    process.env[MAX_CONCURRENT_ENV] = 'none';
    expect(resolveMaxConcurrent(undefined, 4)).toBeUndefined();
    process.env[MAX_CONCURRENT_ENV] = '0';
    expect(resolveMaxConcurrent(undefined, 4)).toBeUndefined();
    process.env[MAX_CONCURRENT_ENV] = 'lots';
    expect(resolveMaxConcurrent(undefined, 4)).toBe(4);
  });

  it('rejects an option that is not an integer ≥ 1 with a typed error naming it', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => resolveMaxConcurrent(bad, undefined)).toThrow(InvalidArgumentError);
      expect(() => resolveMaxConcurrent(bad, undefined)).toThrow(/maxConcurrentRequests/);
    }
  });
});
