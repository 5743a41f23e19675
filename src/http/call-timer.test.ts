import { describe, expect, it } from 'vitest';
import type { TimeoutError } from '../errors/timeout-error.js';
import { CallTimer } from './call-timer.js';
import { DEFAULT_TIMEOUTS } from './timeouts.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

function recorder() {
  const fired: TimeoutError[] = [];
  return { fired, target: { onTimeout: (e: TimeoutError) => fired.push(e) } };
}

describe('CallTimer', () => {
  it('the first-byte limit fires when no chunk came, naming its phase', async () => {
    const { fired, target } = recorder();
    const timer = new CallTimer(target, 'http://x', { ...DEFAULT_TIMEOUTS, firstByteMs: 30 });
    timer.start();
    timer.phase('firstByte');
    await sleep(80);
    expect(fired.map((e) => e.phase)).toEqual(['firstByte']);
    timer.clear();
  });

  it('chunks keep the idle limit from firing; it fires once they stop', async () => {
    const { fired, target } = recorder();
    const timer = new CallTimer(target, 'http://x', { ...DEFAULT_TIMEOUTS, idleMs: 300 });
    timer.start();
    for (let i = 0; i < 20; i++) {
      timer.phase('idle');
      await sleep(20);
    }
    expect(fired).toEqual([]);
    await sleep(600);
    expect(fired.map((e) => e.phase)).toEqual(['idle']);
    timer.clear();
  });

  it('the total limit fires even while chunks keep coming, and wins over the phase', async () => {
    const { fired, target } = recorder();
    const timer = new CallTimer(target, 'http://x', { ...DEFAULT_TIMEOUTS, idleMs: 300, totalMs: 150 });
    timer.start();
    for (let i = 0; i < 100 && fired.length === 0; i++) {
      timer.phase('idle');
      await sleep(20);
    }
    expect(fired.map((e) => e.phase)).toEqual(['total']);
    expect(fired[0]?.message).toContain('timeouts.totalMs');
    timer.clear();
  });

  it('a phase deadline earlier than the scheduled timer moves it', async () => {
    const { fired, target } = recorder();
    // The first timer is set at the shortest limit (idle, 1 s); a 30 ms first-byte limit must still fire.
    const timer = new CallTimer(target, 'http://x', {
      ...DEFAULT_TIMEOUTS,
      idleMs: 1_000,
      firstByteMs: 5_000,
    });
    timer.start();
    const fast = new CallTimer(target, 'http://y', { ...DEFAULT_TIMEOUTS, idleMs: 1_000, firstByteMs: 30 });
    fast.start();
    fast.phase('idle');
    fast.phase('firstByte');
    await sleep(100);
    expect(fired.map((e) => `${e.phase} ${e.url}`)).toEqual(['firstByte http://y']);
    timer.clear();
    fast.clear();
  });

  it('clear() leaves no timer; infinite limits set none', async () => {
    const before = timers();
    const { fired, target } = recorder();
    const timer = new CallTimer(target, 'http://x', { ...DEFAULT_TIMEOUTS, firstByteMs: 20 });
    timer.start();
    timer.phase('firstByte');
    expect(timers()).toBe(before + 1);
    timer.clear();
    expect(timers()).toBe(before);
    const none = new CallTimer(target, 'http://x', {
      connectMs: 10_000,
      firstByteMs: Number.POSITIVE_INFINITY,
      idleMs: Number.POSITIVE_INFINITY,
      totalMs: Number.POSITIVE_INFINITY,
    });
    none.start();
    none.phase('idle');
    expect(timers()).toBe(before);
    await sleep(40);
    expect(fired).toEqual([]);
  });
});
