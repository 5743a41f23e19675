import { describe, expect, it } from 'vitest';
import { ConnectionError, complete, TimeoutError } from '../../src/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody } from '../helpers/sse.js';
import { expectNoCanary, expectThreeOutcomes, faultError, runFault } from './harness.js';

// Issue 11 items 1 and 13: every call settles, and the end marker ends the call at once.
// Both transports (this folder also runs in vitest's `fetch` project).

const doneThenOpen = sseBody([chunk({ content: 'all' }), chunk({}, 'stop')]);

describe('every call settles', () => {
  it('101 Switching Protocols: a typed error at once, not a hang; the next call works', async () => {
    const outcome = await runFault({
      streamOptions: { timeouts: { firstByteMs: 5_000, totalMs: 10_000 }, retry: { maxRetries: 0 } },
      fault: async (res) => {
        await res.raw(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        );
        await res.closed;
      },
    });
    const error = faultError(outcome);
    // The SDK's transport reports the 101 at once (a ConnectionError naming it); a fetch may not, and then
    // the first-byte limit ends it: either way a typed error, never a hang.
    if (process.env.OPEN_AGENT_TEST_TRANSPORT !== 'fetch') {
      expect(ConnectionError.isInstance(error) && error.message).toMatch(/101 Switching Protocols/);
    } else expect(ConnectionError.isInstance(error) || TimeoutError.isInstance(error)).toBe(true);
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: '' });
    expectNoCanary(outcome);
  });

  it('data: [DONE] ends the call at once although the socket stays open and comments keep coming', async () => {
    const outcome = await runFault({
      streamOptions: { timeouts: { idleMs: 5_000 } },
      fault: async (res) => {
        await res.head(200, { 'content-type': 'text/event-stream' });
        await res.chunk(`${doneThenOpen}: keep-alive\n\n`);
        for (let i = 0; i < 3; i++) await res.chunk(': still here\n\n');
        await res.closed;
      },
    });
    expect(outcome.fault.result.stopReason).toBe('stop');
    expect(outcome.fault.result.lastMessage?.content).toEqual([{ type: 'text', text: 'all' }]);
    expect(outcome.after.result.stopReason).toBe('stop');
  });
});

describe('a custom fetch that ignores its signal still ends', () => {
  const never: typeof fetch = () => new Promise<Response>(() => {});
  const silentBody: typeof fetch = async () =>
    new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(': hi\n\n')) }), {
      headers: { 'content-type': 'text/event-stream' },
    });
  const cases = [
    { name: 'never resolves, firstByteMs', fetch: never, timeouts: { firstByteMs: 50 }, phase: 'firstByte' },
    { name: 'never resolves, totalMs', fetch: never, timeouts: { totalMs: 60 }, phase: 'total' },
    { name: 'body never ends, idleMs', fetch: silentBody, timeouts: { idleMs: 50 }, phase: 'idle' },
  ] as const;
  for (const c of cases) {
    it(`${c.name}: TimeoutError (${c.phase}) and nothing left behind`, async () => {
      const model = loopbackModel('http://127.0.0.1:9/v1');
      const message = await complete(
        model,
        { messages: [] },
        { fetch: c.fetch, timeouts: c.timeouts, retry: { maxRetries: 0 } },
      );
      expect(message.stopReason === 'error' || message.stopReason === 'aborted').toBe(true);
      expect(message.errorMessage).toMatch(new RegExp(`timeouts\\.${c.phase}Ms`));
    });
  }

  it('abort ends a never-resolving fetch with AbortError', async () => {
    const controller = new AbortController();
    const model = loopbackModel('http://127.0.0.1:9/v1');
    const pending = complete(model, { messages: [] }, { fetch: never, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const message = await pending;
    expect(message.stopReason).toBe('aborted');
    expect(message.errorMessage).toMatch(/abort/i);
  });
});
