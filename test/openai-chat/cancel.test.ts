/**
 * Cancellation and cleanup: breaking out, aborting, refused connections; no listeners or sockets left.
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, modelFor, stream } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { collect } from '../helpers/events.js';
import { loopbackModel } from '../helpers/model.js';
import { closedPort } from '../helpers/ports.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ctx = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** A body that sends two deltas and then stalls forever (the connection stays open). */
const stalling = {
  body: sseBody([chunk({ content: 'Hel' }), chunk({ content: 'lo' })], { done: false }),
  stallAtEnd: true,
};

async function waitUntil(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cancellation', () => {
  it('breaking out after the first delta closes the socket and keeps the partial text', async () => {
    server = await startFixtureServer({ responses: [stalling] });
    const controller = new AbortController();
    const s = stream(loopbackModel(server.baseUrl), ctx, { signal: controller.signal });
    const disconnected = server.waitForDisconnect();
    for await (const event of s) {
      if (event.type === 'text_delta') break;
    }
    await disconnected;
    const message = await s.result();
    expect(message.stopReason).toBe('aborted');
    // everything received before the break is kept (both deltas may arrive in one read)
    const block = message.content[0];
    expect(block?.type === 'text' && block.text.startsWith('Hel')).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborting the signal mid-stream ends with an aborted message that keeps the text', async () => {
    server = await startFixtureServer({ responses: [stalling] });
    const controller = new AbortController();
    const s = stream(loopbackModel(server.baseUrl), ctx, { signal: controller.signal });
    const disconnected = server.waitForDisconnect();
    const events = [];
    for await (const event of s) {
      events.push(event);
      if (event.type === 'text_delta' && event.delta === 'lo') controller.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.reason).toBe('aborted');
    expect(last?.type === 'error' && AbortError.isInstance(last.error)).toBe(true);
    const message = await s.result();
    expect(message).toMatchObject({ stopReason: 'aborted', content: [{ type: 'text', text: 'Hello' }] });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await disconnected; // the server saw the socket close
  });

  it('an already aborted signal sends nothing and still starts and ends the stream', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['x']) }] });
    const controller = new AbortController();
    controller.abort();
    const events = await collect(stream(loopbackModel(server.baseUrl), ctx, { signal: controller.signal }));
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    expect(server.requests).toHaveLength(0);
  });

  it('aborting while waiting for headers cancels the request', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['x']), headersDelayMs: 60_000 }] });
    const controller = new AbortController();
    const s = stream(loopbackModel(server.baseUrl), ctx, { signal: controller.signal });
    const pending = s.result(); // starts the request (streams are lazy: nothing is sent until consumed)
    await waitUntil(() => server?.requests.length === 1, 'the request');
    const disconnected = server.waitForDisconnect();
    controller.abort();
    const message = await pending;
    expect(message.stopReason).toBe('aborted');
    await disconnected;
  });

  it('1,000 streams broken off early leave no abort listeners and each closes its socket', async () => {
    server = await startFixtureServer({ responses: () => stalling });
    const controller = new AbortController();
    for (let i = 0; i < 1000; i++) {
      const s = stream(loopbackModel(server.baseUrl), ctx, { signal: controller.signal });
      for await (const event of s) if (event.type === 'text_delta') break;
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Every break closed its connection: the server saw 1,000 clients leave mid-response. (undici keeps
    // fresh idle connections in its pool, so open sockets are not counted here.)
    await waitUntil(() => server?.clientDisconnects === 1000, 'every disconnect');
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timers).toBeLessThan(5); // vitest's own; none per stream
  });
});

describe('connection failures', () => {
  it('a refused connection names the host and port and how to start the server', async () => {
    const port = await closedPort();
    const model = {
      ...modelFor({ provider: 'ollama', id: 'qwen3' }),
      baseUrl: `http://127.0.0.1:${port}/v1`,
    };
    const s = stream(model, ctx);
    const events = await collect(s);
    const last = events.at(-1);
    expect(last?.type === 'error' && ConnectionError.isInstance(last.error) && last.error.code).toBe(
      'ECONNREFUSED',
    );
    const message = await s.result();
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toContain(`127.0.0.1:${port}`);
    expect(message.errorMessage).toContain('ECONNREFUSED');
    expect(message.errorMessage).toContain('ollama serve');
  });

  it('the same model works on the next call after a failure', async () => {
    server = await startFixtureServer({
      responses: [
        { status: 500, contentType: 'application/json', body: '{"error":{"message":"boom"}}' },
        { body: textStream(['ok']) },
      ],
    });
    const model = loopbackModel(server.baseUrl);
    const first = await stream(model, ctx, { retry: { maxRetries: 0 } }).result();
    expect(first).toMatchObject({ stopReason: 'error' });
    expect(first.errorMessage).toContain('HTTP 500');
    expect(first.errorMessage).toContain('boom');
    const second = await stream(model, ctx).result();
    expect(second).toMatchObject({ stopReason: 'stop', content: [{ type: 'text', text: 'ok' }] });
  });
});
