import { describe, expect, it } from 'vitest';
import { startFixtureServer } from '../testing/fixture-server.js';
import { AttemptSignal } from './attempt-signal.js';
import { fetchTransport, type HttpBody } from './transport.js';

describe('AttemptSignal', () => {
  it('runs each listener once, in order, with the reason set; later aborts change nothing', () => {
    const signal = new AttemptSignal();
    const seen: string[] = [];
    signal.addEventListener('abort', () => seen.push(`a:${String((signal.reason as Error).message)}`));
    signal.addEventListener('abort', () => seen.push('b'));
    expect(signal.aborted).toBe(false);
    signal.abort(new Error('first'));
    signal.abort(new Error('second'));
    expect(seen).toEqual(['a:first', 'b']);
    expect((signal.reason as Error).message).toBe('first');
  });

  it('a removed listener does not run; a listener added after the abort is not kept', () => {
    const signal = new AttemptSignal();
    let calls = 0;
    const listener = () => calls++;
    signal.addEventListener('abort', listener);
    signal.removeEventListener('abort', listener);
    signal.abort();
    signal.addEventListener('abort', listener);
    expect(calls).toBe(0);
    expect((signal.reason as DOMException).name).toBe('AbortError');
  });

  it('toAbortSignal() gives one real AbortSignal that follows it, also when made after the abort', () => {
    const before = new AttemptSignal();
    const real = before.toAbortSignal();
    expect(before.toAbortSignal()).toBe(real);
    before.abort(new Error('why'));
    expect(real.aborted).toBe(true);
    expect((real.reason as Error).message).toBe('why');
    const after = new AttemptSignal();
    after.abort(new Error('late'));
    expect(after.toAbortSignal().aborted).toBe(true);
  });

  it('fetchTransport gives fetch a real AbortSignal linked to it: aborting closes the request', async () => {
    const server = await startFixtureServer({ responses: [{ body: 'data: {}\n\n', stallAtEnd: true }] });
    try {
      const signal = new AttemptSignal();
      let given: AbortSignal | undefined;
      const transport = fetchTransport(((url: string, init?: RequestInit) => {
        given = init?.signal ?? undefined;
        return fetch(url, init);
      }) as typeof fetch);
      const response = await transport({
        url: `${server.baseUrl}/chat/completions`,
        headers: {},
        body: '{}',
        signal,
      });
      const reader = (response.body as HttpBody).getReader();
      await reader.read();
      expect(given).toBeInstanceOf(AbortSignal);
      const disconnected = server.waitForDisconnect();
      signal.abort(new Error('stop'));
      expect(given?.aborted).toBe(true);
      await expect(reader.read()).rejects.toThrow();
      await disconnected;
    } finally {
      await server.close();
    }
  });
});
