/**
 * The transport layer: the Node `node:http` transport behind the default path, its `fetch` wrapper
 * (`createNodeHttpFetch`), event batches (`AssistantStream.batches()`), and the per-model cache of the base
 * URL checks (a changed `baseUrl` is honoured on the next call).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, InvalidArgumentError, stream } from '../../src/index.js';
import { createNodeHttpFetch } from '../../src/node/index.js';
import { type FixtureServer, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { checkGrammar, collect } from '../helpers/events.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(responses: ScriptedResponse[]): Promise<FixtureServer> {
  const server = await startFixtureServer({ responses });
  servers.push(server);
  return server;
}

/** The value as JSON with every `timestamp` zeroed (two calls are made at different times). */
function untimed(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'timestamp' ? 0 : v)));
}

const ctx = { messages: [{ role: 'user' as const, content: 'hi' }] };
const PIECES = ['Hel', 'lo, ', 'wor', 'ld', '!'];

describe('AssistantStream.batches()', () => {
  it('hands out the same events as iterating one by one, in non-empty batches, with the same result', async () => {
    const body = textStream(PIECES);
    const cut = Math.floor(body.length / 2);
    const server = await serve([
      { body, splits: [cut], chunkDelayMs: 20 },
      { body, splits: [cut], chunkDelayMs: 20 },
    ]);
    const one = stream(loopbackModel(server.baseUrl), ctx);
    const single = await collect(one);
    const two = stream(loopbackModel(server.baseUrl), ctx);
    const batches: unknown[][] = [];
    for await (const batch of two.batches()) batches.push([...batch]);
    expect(batches.length).toBeGreaterThanOrEqual(2); // the body came in two pieces
    for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
    expect(untimed(batches.flat())).toEqual(untimed(single));
    const message = await two.result();
    expect(untimed(message)).toEqual(untimed(await one.result()));
    checkGrammar(single, message);
  });

  it('breaking out of batches() closes the request (the server sees it) and marks the message aborted', async () => {
    const server = await serve([
      {
        body: sseBody([chunk({ content: 'Hel' }), chunk({ content: 'lo' })], { done: false }),
        stallAtEnd: true,
      },
    ]);
    const s = stream(loopbackModel(server.baseUrl), ctx);
    const disconnected = server.waitForDisconnect();
    for await (const batch of s.batches()) {
      if (batch.some((e) => e.type === 'text_delta')) break;
    }
    await disconnected;
    expect((await s.result()).stopReason).toBe('aborted');
  });

  it('a stream is consumed once: batches() after iterating throws InvalidArgumentError', async () => {
    const server = await serve([{ body: textStream(['x']) }]);
    const s = stream(loopbackModel(server.baseUrl), ctx);
    await collect(s);
    expect(() => s.batches().next()).toThrow(InvalidArgumentError);
  });
});

describe('createNodeHttpFetch(): a standard fetch over the node:http transport', () => {
  it('answers with a real Response: status, headers, body text, any method', async () => {
    const server = await serve([
      { status: 201, contentType: 'application/json', headers: { 'x-a': '1' }, body: '{"ok":true}' },
    ]);
    const nodeFetch = createNodeHttpFetch();
    const response = await nodeFetch(`${server.url}/anything`, {
      method: 'PUT',
      headers: { 'X-Test': 'yes' },
      body: 'hi',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('X-A')).toBe('1');
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests[0]).toMatchObject({ method: 'PUT', body: 'hi' });
    expect(server.requests[0]?.headers['x-test']).toBe('yes');
  });

  it('an abort rejects with an AbortError and closes the socket (the server sees it)', async () => {
    const server = await serve([{ body: 'data: {}\n\n', stallAtEnd: true }]);
    const controller = new AbortController();
    const response = await createNodeHttpFetch()(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const disconnected = server.waitForDisconnect();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await disconnected;
  });

  it('an already aborted signal rejects before anything is sent', async () => {
    const server = await serve([{ body: 'x' }]);
    const controller = new AbortController();
    controller.abort(new AbortError('stop'));
    await expect(createNodeHttpFetch()(server.url, { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('per-model request parts', () => {
  it('a model whose baseUrl changed between calls is sent to the new URL', async () => {
    const first = await serve([{ body: textStream(['one']) }]);
    const second = await serve([{ body: textStream(['two']) }]);
    const model = loopbackModel(first.baseUrl);
    const a = await stream(model, ctx).result();
    model.baseUrl = second.baseUrl;
    const b = await stream(model, ctx).result();
    expect([a.content, b.content]).toEqual([
      [{ type: 'text', text: 'one' }],
      [{ type: 'text', text: 'two' }],
    ]);
    expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
  });

  it('an invalid baseUrl is an error event on every call, not only the first', async () => {
    const model = loopbackModel('not a url');
    for (let i = 0; i < 2; i++) {
      const message = await stream(model, ctx).result();
      expect(message.stopReason).toBe('error');
      expect(message.errorMessage).toContain('model.baseUrl is not a valid URL');
    }
  });
});
