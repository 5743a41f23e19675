/**
 * Fault injection, HTTP status and connection faults: one test per fault, each checking the three
 * outcomes (typed error, nothing lost, the next call works), no leaked sockets/timers/listeners and no
 * canary leak (see harness.ts). Retry delays are made small (`baseMs` 1) so nothing waits long.
 */

import { describe, expect, it } from 'vitest';
import {
  AbortError,
  type AgentMessage,
  ApiError,
  agentLoop,
  ConnectionError,
  ContextOverflowError,
} from '../../src/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { closedPort } from '../helpers/ports.js';
import { textStream } from '../helpers/sse.js';
import { CANARY, echoedKey, expectThreeOutcomes, faultError, retries, runFault } from './harness.js';
import { sendChunks, sendWhole } from './raw-server.js';

const jsonError = (message: string, type = 'server_error') => JSON.stringify({ error: { message, type } });

describe('HTTP faults', () => {
  it('429 with retry-after-ms on every attempt: 2 retries at the server delay, then a typed ApiError', async () => {
    const outcome = await runFault({
      fault: (res, _attempt, req) =>
        sendWhole(res, 429, jsonError(`Rate limit reached for key ${echoedKey(req)}`, 'rate_limit'), {
          'retry-after-ms': '7',
        }),
    });
    const error = faultError(outcome);
    expect(ApiError.isInstance(error) && error.status).toBe(429);
    expect(error.message).toMatch(
      /^HTTP 429 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: Rate limit/,
    );
    expect(error.message).toContain('[redacted]');
    expect(retries(outcome).map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [2, 7, 'HTTP 429'],
      [3, 7, 'HTTP 429'],
    ]);
    expect(outcome.faultRequests).toHaveLength(3);
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: '' });
  });

  it('429 once, then success: the retry is invisible except for its event', async () => {
    const outcome = await runFault({
      fault: (res, attempt) =>
        attempt === 0
          ? sendWhole(res, 429, jsonError('slow down'), { 'retry-after-ms': '3' })
          : sendChunks(res, [textStream(['recovered'])]),
    });
    expect(outcome.fault.result.stopReason).toBe('stop');
    expect(retries(outcome)).toHaveLength(1);
    const text = outcome.fault.result.lastMessage?.content[0];
    expect(text?.type === 'text' && text.text).toBe('recovered');
  });

  it('a 5xx sequence (500, 502, 503) exhausts the retries and reports the last status', async () => {
    const statuses = [500, 502, 503];
    const outcome = await runFault({
      fault: (res, attempt) => sendWhole(res, statuses[attempt] ?? 500, jsonError(`boom ${attempt}`)),
    });
    const error = faultError(outcome);
    expect(ApiError.isInstance(error) && error.status).toBe(503);
    expect(error.message).toContain('boom 2');
    expect(retries(outcome).map((r) => r.reason)).toEqual(['HTTP 500', 'HTTP 502']);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('a 5xx then 200 succeeds on the retry', async () => {
    const outcome = await runFault({
      fault: (res, attempt) =>
        attempt < 2
          ? sendWhole(res, 500 + attempt, jsonError('busy'))
          : sendChunks(res, [textStream(['ok'])]),
    });
    expect(outcome.fault.result.stopReason).toBe('stop');
    expect(outcome.faultRequests).toHaveLength(3);
  });

  it('a 4xx is not retried (400 once, with the server message and a typed error)', async () => {
    const outcome = await runFault({
      fault: (res) =>
        sendWhole(res, 400, jsonError("Invalid value for 'temperature'", 'invalid_request_error')),
    });
    const error = faultError(outcome);
    expect(ApiError.isInstance(error) && [error.status, error.serverMessage]).toEqual([
      400,
      "Invalid value for 'temperature'",
    ]);
    expect(outcome.faultRequests).toHaveLength(1);
    expect(retries(outcome)).toHaveLength(0);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('a 401 says to check the key and never shows it', async () => {
    const outcome = await runFault({
      fault: (res, _a, req) =>
        sendWhole(res, 401, jsonError(`Incorrect API key provided: ${echoedKey(req)}`)),
    });
    const error = faultError(outcome);
    expect(error.message).toContain('check the API key');
    expect(outcome.faultRequests).toHaveLength(1);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('x-should-retry: true makes a 400 retried', async () => {
    const outcome = await runFault({
      fault: (res) => sendWhole(res, 400, jsonError('try again'), { 'x-should-retry': 'true' }),
    });
    expect(retries(outcome).map((r) => r.reason)).toEqual(['x-should-retry: true', 'x-should-retry: true']);
    expect(outcome.faultRequests).toHaveLength(3);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('x-should-retry: false stops a 503 from being retried', async () => {
    const outcome = await runFault({
      fault: (res) => sendWhole(res, 503, jsonError('down for good'), { 'x-should-retry': 'false' }),
    });
    expect(outcome.faultRequests).toHaveLength(1);
    expect(ApiError.isInstance(faultError(outcome))).toBe(true);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('an HTML 502 page from a proxy: ApiError 502 with the status text, retried, the page not dumped', async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center>${'x'.repeat(5000)}</body></html>`;
    const outcome = await runFault({
      fault: (res) => sendWhole(res, 502, page, { 'content-type': 'text/html' }),
    });
    const error = faultError(outcome);
    expect(ApiError.isInstance(error) && error.status).toBe(502);
    expect(ApiError.isInstance(error) && error.bodyExcerpt.length).toBeLessThanOrEqual(2048);
    expect(error.message.length).toBeLessThan(300);
    expect(outcome.faultRequests).toHaveLength(3);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it("a context-overflow 400 (llama.cpp's message) is a ContextOverflowError and is not retried", async () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'request (4476 tokens) exceeds the available context size (4096 tokens), try increasing it',
        type: 'exceed_context_size_error',
      },
    });
    const outcome = await runFault({ fault: (res) => sendWhole(res, 400, body) });
    const error = faultError(outcome);
    expect(ContextOverflowError.isInstance(error) && error.family).toBe('llama.cpp');
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error.message).toContain('context window');
    expect(outcome.faultRequests).toHaveLength(1);
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });
});

describe('connection faults', () => {
  it('port closed: ConnectionError ECONNREFUSED after 2 retries; once the server is up the same agent works', async () => {
    const port = await closedPort();
    const config = {
      model: loopbackModel(`http://127.0.0.1:${port}/v1`),
      streamOptions: { apiKey: CANARY, retry: { baseMs: 1, random: () => 0 } },
    };
    const transcript: AgentMessage[] = [];
    const failed = agentLoop({ prompts: ['two'], messages: [], config });
    const events = [];
    for await (const event of failed) events.push(event);
    const result = await failed.result();
    transcript.push(...result.messages);
    const terminal = events.find((e) => e.type === 'message_update' && e.event.type === 'error');
    const error =
      terminal?.type === 'message_update' && terminal.event.type === 'error'
        ? terminal.event.error
        : undefined;
    expect(ConnectionError.isInstance(error) && error.code).toBe('ECONNREFUSED');
    expect(error?.message).toContain(`127.0.0.1:${port}`);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual([
      'connection ECONNREFUSED',
      'connection ECONNREFUSED',
    ]);
    expect(result.lastMessage).toMatchObject({ stopReason: 'error', content: [] });
    expect(JSON.stringify(events)).not.toContain(CANARY);

    const server = await startFixtureServer({ responses: [{ body: textStream(['up']) }] });
    const up = { ...config, model: loopbackModel(server.baseUrl) };
    try {
      const next = agentLoop({ prompts: ['three'], messages: transcript, config: up });
      const nextResult = await next.result();
      expect(nextResult.stopReason).toBe('stop');
      expect(AbortError.isInstance(nextResult.error)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
