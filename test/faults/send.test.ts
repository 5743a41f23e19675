import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { send } from '../../src/http/send.js';
import {
  AbortError,
  ApiError,
  type AssistantEvent,
  ConnectionError,
  StreamParseError,
  stream,
  TimeoutError,
} from '../../src/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody } from '../helpers/sse.js';
import { type RawHandler, type RawServer, sendChunks, sendWhole, startRawServer } from './raw-server.js';

// The request layer on both transports (this folder also runs in vitest's `fetch` project).
const TRANSPORT = process.env.OPEN_AGENT_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};
const TOKEN = 'tok-CANARY-3c9a71e0b4d2';

let servers: RawServer[] = [];
afterEach(async () => {
  // As in harness.ts: undici's own pool may keep an aborted fetch's socket a while; the SDK's transport may not.
  if (TRANSPORT.fetch === undefined) for (const server of servers) await server.waitNoSockets();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: RawHandler): Promise<RawServer> {
  const server = await startRawServer(handler);
  servers.push(server);
  return server;
}

describe('send(): one request layer for every HTTP caller', () => {
  it('retries a 503 after its Retry-After, then reads JSON; the next call on the same layer works', async () => {
    const server = await serve((_req, res, index) =>
      index === 0
        ? sendWhole(res, 503, '{"error":{"message":"busy"}}', { 'retry-after': '0' })
        : sendWhole(res, 200, `{"ok":${index}}`),
    );
    const retries: number[] = [];
    const first = await send({
      url: `${server.baseUrl}/models`,
      ...TRANSPORT,
      onRetry: (info) => retries.push(info.attempt),
    });
    expect(first.body).toEqual({ ok: 1 });
    expect(retries).toEqual([2]);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect((await send({ url: `${server.baseUrl}/models`, ...TRANSPORT })).body).toEqual({ ok: 2 });
  });

  it('sends FormData as multipart (serialized once for every attempt) and reads bytes', async () => {
    const server = await serve((_req, res, index) =>
      index === 0 ? sendWhole(res, 500, '{}') : sendWhole(res, 200, 'RIFF', { 'content-type': 'audio/wav' }),
    );
    const form = new FormData();
    form.set('model', 'whisper-1');
    form.set('file', new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/wav' }), 'a.wav');
    const answer = await send({
      url: `${server.baseUrl}/audio/transcriptions`,
      body: form,
      responseAs: 'bytes',
      retry: { baseMs: 1 },
      ...TRANSPORT,
    });
    expect(new TextDecoder().decode(answer.body)).toBe('RIFF');
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(request.body).toContain('name="model"');
      expect(request.body).toContain('whisper-1');
    }
    expect(server.requests[0]?.body).toBe(server.requests[1]?.body);
  });

  it('asks for credentials per attempt and refreshes once after a 401; a second 401 is an ApiError without the token', async () => {
    const server = await serve((req, res) =>
      req.headers.authorization === `Bearer ${TOKEN}-fresh`
        ? sendWhole(res, 200, '{"ok":true}')
        : sendWhole(res, 401, `{"error":{"message":"bad token ${req.headers.authorization}"}}`),
    );
    const asked: { attempt: number; refresh: boolean }[] = [];
    const ok = await send({
      url: `${server.baseUrl}/models`,
      ...TRANSPORT,
      credentials: (a) => {
        asked.push({ ...a });
        return { authorization: `Bearer ${TOKEN}${a.refresh ? '-fresh' : ''}` };
      },
    });
    expect(ok.body).toEqual({ ok: true });
    expect(asked).toEqual([
      { attempt: 0, refresh: false },
      { attempt: 1, refresh: true },
    ]);
    const failed = await send({
      url: `${server.baseUrl}/models`,
      ...TRANSPORT,
      credentials: () => ({ authorization: `Bearer ${TOKEN}` }),
    }).catch((e: unknown) => e);
    expect(ApiError.isInstance(failed) && failed.status).toBe(401);
    expect(
      JSON.stringify({ m: (failed as Error).message, b: (failed as ApiError).bodyExcerpt }),
    ).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(4);
  });

  it('never retries once a body byte arrived', async () => {
    const server = await serve(async (_req, res) => {
      await res.head(200, { 'content-type': 'application/json' });
      await res.chunk('{"partial":');
      res.reset();
    });
    const error = await send({ url: `${server.baseUrl}/models`, ...TRANSPORT }).catch((e: unknown) => e);
    // node:http reports the reset; undici's fetch may end the body early instead (then it is not JSON)
    expect(ConnectionError.isInstance(error) || StreamParseError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('firstByteMs ends a silent server with a TimeoutError (not retried); abort ends with AbortError', async () => {
    const server = await serve(async (_req, res) => {
      await res.closed;
    });
    const timedOut = await send({
      url: `${server.baseUrl}/x`,
      timeouts: { firstByteMs: 60 },
      ...TRANSPORT,
    }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(timedOut) && timedOut.phase).toBe('firstByte');
    const controller = new AbortController();
    const waitForSecond = async () => {
      for (let i = 0; i < 200 && server.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
    };
    void waitForSecond();
    const aborted = await send({ url: `${server.baseUrl}/x`, signal: controller.signal, ...TRANSPORT }).catch(
      (e: unknown) => e,
    );
    expect(AbortError.isInstance(aborted)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(server.requests).toHaveLength(2);
  });

  it('model streams use the same credential hook: a 401 refreshes once and the stream goes on', async () => {
    const body = sseBody([chunk({ content: 'hello' }), chunk({}, 'stop')]);
    const server = await serve((req, res) =>
      req.headers.authorization === `Bearer ${TOKEN}-fresh`
        ? sendChunks(res, [body])
        : sendWhole(res, 401, `{"error":{"message":"expired ${req.headers.authorization}"}}`),
    );
    const asked: boolean[] = [];
    const events: AssistantEvent[] = [];
    const s = stream(
      loopbackModel(server.baseUrl),
      { messages: [] },
      {
        ...TRANSPORT,
        credentials: ({ refresh }) => {
          asked.push(refresh);
          return { authorization: `Bearer ${TOKEN}${refresh ? '-fresh' : ''}` };
        },
      },
    );
    for await (const event of s) events.push(event);
    expect(asked).toEqual([false, true]);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry?.type === 'retry' && retry.reason).toBe('HTTP 401, credentials refreshed');
    expect(JSON.stringify(retry?.type === 'retry' && retry.error.message)).not.toContain(TOKEN);
    expect((await s.result()).content).toEqual([{ type: 'text', text: 'hello' }]);
  });
});
