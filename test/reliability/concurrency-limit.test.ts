/**
 * `maxConcurrentRequests`: a process-wide per-origin limit, counted at a real loopback server. Every test
 * uses its own server (its own origin), since the limiter is shared by the whole process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { originKey, originSlots } from '../../src/http/origin-limiter.js';
import { send } from '../../src/http/send.js';
import {
  type AgentEvent,
  type AssistantEvent,
  applyProfile,
  defineAgent,
  probe,
  run,
  stream,
} from '../../src/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody } from '../helpers/sse.js';

type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void | Promise<void>;

interface CountingServer {
  baseUrl: string;
  origin: string;
  /** Chat requests received. */
  chats: number;
  /** Most chat requests open at once (from request to the response's close). */
  maxOpen: number;
  open: number;
}

const servers: Server[] = [];
afterEach(async () => {
  delete process.env.OPEN_AGENT_MAX_CONCURRENT_REQUESTS;
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A streamed answer `text` in two chunks, `holdMs` apart. */
async function streamAnswer(res: ServerResponse, text: string, holdMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(sseBody([chunk({ role: 'assistant', content: text.slice(0, 2) })], { done: false }));
  await delay(holdMs);
  res.end(sseBody([chunk({ content: text.slice(2) }), chunk({}, 'stop')]));
}

async function serve(chat: Handler, extra?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const state: CountingServer = { baseUrl: '', origin: '', chats: 0, maxOpen: 0, open: 0 };
  const server = createServer((req, res) => {
    if (extra?.(req, res)) return;
    const index = state.chats++;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    res.once('close', () => state.open--);
    req.resume();
    req.once('end', () => void chat(req, res, index));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.origin = originKey(state.baseUrl);
  return state;
}

const context = { messages: [{ role: 'user' as const, content: 'hi', timestamp: 0 }] };

describe('maxConcurrentRequests', () => {
  it('10 concurrent runs with a limit of 2: never more than 2 open at the server, all finish, queued events', async () => {
    const server = await serve((_req, res) => streamAnswer(res, 'hello', 60));
    const agent = defineAgent({ name: 'limited', model: loopbackModel(server.baseUrl) });
    const queued: Extract<AgentEvent, { type: 'queued' }>[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        run(agent, 'hi', {
          streamOptions: { maxConcurrentRequests: 2 },
          observers: [(e) => e.type === 'queued' && queued.push(e)],
        }),
      ),
    );
    expect(outcomes.map((o) => o.finalOutput)).toEqual(Array(10).fill('hello'));
    expect(server.chats).toBe(10);
    expect(server.maxOpen).toBe(2);
    expect(queued.length).toBe(8);
    expect(queued[0]).toMatchObject({ type: 'queued', limit: 2, origin: server.origin, turn: 1 });
    expect(queued.map((q) => q.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('an abort while queued ends that call as aborted before it is sent; the slot holder is untouched', async () => {
    let releaseFirst!: () => void;
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const server = await serve(async (_req, res) => {
      await gate;
      await streamAnswer(res, 'first', 0);
    });
    const model = loopbackModel(server.baseUrl);
    const first = stream(model, context, { maxConcurrentRequests: 1 });
    const firstDone = first.result();
    // The first call holds the slot (its request is at the server) before the second starts.
    for (let i = 0; i < 200 && server.chats < 1; i++) await delay(10);
    expect(server.chats).toBe(1);
    const controller = new AbortController();
    const second = stream(model, context, { maxConcurrentRequests: 1, signal: controller.signal });
    const events: AssistantEvent[] = [];
    for await (const event of second) {
      events.push(event);
      if (event.type === 'queued') {
        expect(event).toEqual({ type: 'queued', position: 1, limit: 1, origin: server.origin });
        expect(originSlots(server.origin)).toEqual({ active: 1, waiting: 1 });
        controller.abort();
      }
    }
    expect(events.map((e) => e.type)).toEqual(['start', 'queued', 'error']);
    expect((await second.result()).stopReason).toBe('aborted');
    expect(originSlots(server.origin)).toEqual({ active: 1, waiting: 0 });
    releaseFirst();
    const message = await firstDone;
    expect(message.stopReason).toBe('stop');
    expect(server.chats).toBe(1);
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('the total time limit ends a wait in line with a TimeoutError (phase total)', async () => {
    let releaseFirst!: () => void;
    const gate = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const server = await serve(async (_req, res) => {
      await gate;
      await streamAnswer(res, 'first', 0);
    });
    const model = loopbackModel(server.baseUrl);
    const first = stream(model, context, { maxConcurrentRequests: 1 }).result();
    for (let i = 0; i < 200 && server.chats < 1; i++) await delay(10);
    const types: string[] = [];
    const second = stream(model, context, { maxConcurrentRequests: 1, timeouts: { totalMs: 1_000 } });
    for await (const event of second) types.push(event.type);
    const message = await second.result();
    expect(types).toEqual(['start', 'queued', 'error']);
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toMatch(/total/i);
    expect(originSlots(server.origin)).toEqual({ active: 1, waiting: 0 });
    releaseFirst();
    expect((await first).stopReason).toBe('stop');
    expect(server.chats).toBe(1);
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot on an error answer, on a consumer that stops early, and after a retry (which queues again)', async () => {
    const server = await serve(async (_req, res, index) => {
      if (index === 0 || index === 2) {
        res.writeHead(index === 0 ? 400 : 503, { 'content-type': 'application/json', 'retry-after-ms': '0' });
        res.end('{"error":{"message":"no"}}');
        return;
      }
      await streamAnswer(res, 'answer', 30);
    });
    const model = loopbackModel(server.baseUrl);
    const options = { maxConcurrentRequests: 1 };
    // 400: not retried; the call ends in error and the slot is free.
    expect((await stream(model, context, options).result()).stopReason).toBe('error');
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
    // A consumer that leaves after the first text delta.
    for await (const event of stream(model, context, options)) if (event.type === 'text_delta') break;
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
    // 503 then 200: the retry re-takes the slot; a concurrent call gets in line meanwhile.
    const retried = stream(model, context, options);
    const other = stream(model, context, options);
    const [a, b] = await Promise.all([retried.result(), other.result()]);
    expect([a.stopReason, b.stopReason]).toEqual(['stop', 'stop']);
    expect(server.maxOpen).toBe(1);
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
  });

  it('the environment variable sets the limit; a bad option is an error event naming it', async () => {
    const server = await serve((_req, res) => streamAnswer(res, 'hello', 30));
    const model = loopbackModel(server.baseUrl);
    process.env.OPEN_AGENT_MAX_CONCURRENT_REQUESTS = '1';
    const types = await Promise.all(
      [1, 2, 3].map(async () => {
        const seen: string[] = [];
        for await (const event of stream(model, context)) seen.push(event.type);
        return seen;
      }),
    );
    expect(types.filter((t) => t.includes('queued')).length).toBe(2);
    expect(server.maxOpen).toBe(1);
    const bad = await stream(model, context, { maxConcurrentRequests: 0 }).result();
    expect(bad.stopReason).toBe('error');
    expect(bad.errorMessage).toMatch(/maxConcurrentRequests/);
    expect(server.chats).toBe(3);
  });

  it("a probe of llama.cpp reads /props total_slots and applyProfile makes it the model's limit", async () => {
    const server = await serve(
      (_req, res) => streamAnswer(res, 'hello', 30),
      (req, res) => {
        if (req.url === '/props') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              default_generation_settings: { n_ctx: 8192 },
              total_slots: 1,
              chat_template: '{{ messages }} tools',
            }),
          );
          return true;
        }
        if (req.url === '/v1/models') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"object":"list","data":[{"id":"test-model","object":"model"}]}');
          return true;
        }
        if (req.method === 'GET') {
          res.writeHead(404).end();
          return true;
        }
        return false;
      },
    );
    const profile = await probe(server.baseUrl, { cache: false });
    expect(profile.server).toBe('llamacpp');
    expect(profile.parallelSlots).toBe(1);
    const model = applyProfile(loopbackModel(server.baseUrl), profile);
    expect(model.maxConcurrentRequests).toBe(1);
    expect(
      applyProfile(loopbackModel(server.baseUrl, { maxConcurrentRequests: 4 }), profile)
        .maxConcurrentRequests,
    ).toBe(4);
    const results = await Promise.all([1, 2, 3].map(() => stream(model, context).result()));
    expect(results.map((r) => r.stopReason)).toEqual(['stop', 'stop', 'stop']);
    expect(server.chats).toBe(3);
    expect(server.maxOpen).toBe(1);
  });

  it("send(): a 'stream' body holds its slot until it ends; the next request waits (onQueued) and then runs", async () => {
    const server = await serve((_req, res) => streamAnswer(res, 'bytes', 30));
    const url = `${server.baseUrl}/chat/completions`;
    const first = await send({ url, body: '{}', responseAs: 'stream', maxConcurrentRequests: 1 });
    const queued: unknown[] = [];
    const second = send({
      url,
      body: '{}',
      responseAs: 'text',
      maxConcurrentRequests: 1,
      onQueued: (q) => queued.push(q),
    });
    await delay(50);
    expect(queued).toEqual([{ position: 1, limit: 1, origin: server.origin }]);
    expect(server.chats).toBe(1);
    let text = '';
    for await (const piece of first.body) text += new TextDecoder().decode(piece);
    expect(text).toContain('[DONE]');
    expect((await second).body).toContain('[DONE]');
    expect(server.maxOpen).toBe(1);
    expect(originSlots(server.origin)).toEqual({ active: 0, waiting: 0 });
  });
});
