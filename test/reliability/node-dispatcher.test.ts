/**
 * Node's fetch stops waiting for response headers after 300 s (undici `headersTimeout`), whatever the
 * caller's limits. The SDK's Node dispatcher lifts that cap so `timeouts.firstByteMs` governs. Proven with
 * a short, configured cap standing in for the 300 s default: the same slow-header response fails under
 * the cap and succeeds through the lifted dispatcher.
 */
import * as undici from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTransport } from '../../src/http/node-fetch.js';
import { connectionFailure } from '../../src/http/post.js';
import { resolveTimeouts } from '../../src/http/timeouts.js';
import { stream, TimeoutError } from '../../src/index.js';
import { createNodeFetch } from '../../src/node/fetch.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { textStream } from '../helpers/sse.js';

// Stands in for undici's 300,000 ms default. undici arms its header timer on a coarse clock (about 1 s
// resolution), so the cap is 1 s and the headers come 2.5 s after the request.
const CAP_MS = 1_000;
const HEADERS_AFTER_MS = 2_500;

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ctx = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('the Node dispatcher lifts the header wait cap', () => {
  it('under a capped dispatcher, headers after the cap fail with a TimeoutError that explains the cap', async () => {
    server = await startFixtureServer({
      responses: [{ body: textStream(['late']), headersDelayMs: HEADERS_AFTER_MS }],
    });
    const agent = new undici.Agent({ headersTimeout: CAP_MS });
    const capped = ((input: unknown, init?: unknown) =>
      undici.fetch(input as undici.RequestInfo, {
        ...(init as undici.RequestInit),
        dispatcher: agent,
      })) as unknown as typeof fetch;
    try {
      const message = await stream(loopbackModel(server.baseUrl), ctx, {
        fetch: capped,
        retry: { maxRetries: 0 },
      }).result();
      expect(message.stopReason).toBe('error');
      expect(message.errorMessage).toContain("Node's fetch stops at 300 s");
      expect(message.errorMessage).toContain('createNodeFetch');
    } finally {
      await agent.close();
    }
  });

  it('through createNodeFetch (cap lifted) the same response succeeds; firstByteMs governs instead', async () => {
    server = await startFixtureServer({
      responses: [{ body: textStream(['late']), headersDelayMs: HEADERS_AFTER_MS }],
    });
    const message = await stream(loopbackModel(server.baseUrl), ctx, {
      fetch: createNodeFetch(),
      timeouts: { firstByteMs: 5_000 },
    }).result();
    expect(message).toMatchObject({ stopReason: 'stop', content: [{ type: 'text', text: 'late' }] });
  });

  it('the SDK picks its own node:http transport on Node when no fetch is given (one per connect limit)', async () => {
    const connectMs = resolveTimeouts(undefined).connectMs;
    // A fetch-based transport is a new wrapper on every call; the Node transport is built once and kept.
    expect(defaultTransport(connectMs)).toBe(defaultTransport(connectMs));
    expect(defaultTransport(connectMs)).not.toBe(defaultTransport(connectMs + 1));
    server = await startFixtureServer({ responses: [{ body: textStream(['late']), headersDelayMs: 50 }] });
    const message = await stream(loopbackModel(server.baseUrl), ctx).result();
    expect(message).toMatchObject({ stopReason: 'stop', content: [{ type: 'text', text: 'late' }] });
  });

  it("maps undici's connect timeout to a TimeoutError (connect)", () => {
    const error = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    const mapped = connectionFailure(error, {
      url: 'http://10.255.255.1/v1/x',
    });
    expect(TimeoutError.isInstance(mapped) && mapped.phase).toBe('connect');
  });
});

describe('timeouts resolve from options, then OPEN_AGENT_* variables, then defaults', () => {
  it('defaults in ms', () => {
    expect(resolveTimeouts(undefined)).toEqual({
      connectMs: 10_000,
      firstByteMs: 600_000,
      idleMs: 120_000,
      totalMs: 1_800_000,
    });
  });
  it('environment and options', () => {
    const saved = { ...process.env };
    process.env.OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS = '900000';
    process.env.OPEN_AGENT_IDLE_TIMEOUT_MS = 'none';
    process.env.OPEN_AGENT_CONNECT_TIMEOUT_MS = '2500';
    process.env.OPEN_AGENT_TOTAL_TIMEOUT_MS = 'garbage';
    try {
      expect(resolveTimeouts({ connectMs: 1000 })).toEqual({
        connectMs: 1000,
        firstByteMs: 900_000,
        idleMs: Number.POSITIVE_INFINITY,
        totalMs: 1_800_000,
      });
    } finally {
      process.env = saved;
    }
  });
  it('totalMs ends a slow stream with a TimeoutError (total), the text so far kept', async () => {
    server = await startFixtureServer({
      responses: [{ body: textStream(['a', 'b', 'c', 'd']), splits: [10, 60, 120], chunkDelayMs: 60 }],
    });
    const message = await stream(loopbackModel(server.baseUrl), ctx, { timeouts: { totalMs: 100 } }).result();
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toContain('timeouts.totalMs');
  });
});
