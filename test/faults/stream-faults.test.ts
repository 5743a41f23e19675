/**
 * Fault injection, faults after the request was accepted: missing headers, stalls, resets, truncation and
 * bodies that are not what was asked for. Each test checks the three outcomes and leaks (harness.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError, ConnectionError, StreamParseError, TimeoutError } from '../../src/index.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { echoedKey, expectThreeOutcomes, faultError, retries, runFault } from './harness.js';
import { sendChunks, sendWhole } from './raw-server.js';

const PIECES = ['Once ', 'upon ', 'a ', 'time'];
const piecesSse = PIECES.map((p) => `data: ${JSON.stringify(chunk({ content: p }))}\n\n`);

describe('stream faults', () => {
  // The limits also apply to the healthy calls before and after the fault (the same client): 1 s leaves
  // room for a loaded CI machine (80 ms failed under a load average of 15 on 2 cores).
  it('headers never sent: TimeoutError (firstByte) naming the limit, not retried', async () => {
    const outcome = await runFault({
      streamOptions: { timeouts: { firstByteMs: 1000 } },
      fault: async (res) => {
        await res.closed; // never answers; the client must give up and close the socket
      },
    });
    const error = faultError(outcome);
    expect(TimeoutError.isInstance(error) && [error.phase, error.timeoutMs]).toEqual(['firstByte', 1000]);
    expect(error.message).toContain('timeouts.firstByteMs');
    expect(error.message).toMatch(/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
    expect(outcome.faultRequests).toHaveLength(1);
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: '' });
  });

  it('body stalls after headers and two chunks: TimeoutError (idle), the two chunks kept', async () => {
    const outcome = await runFault({
      streamOptions: { timeouts: { idleMs: 1000 } },
      fault: async (res) => {
        await res.head(200, { 'content-type': 'text/event-stream' });
        await res.chunk((piecesSse[0] ?? '') + (piecesSse[1] ?? ''));
        await res.closed;
      },
    });
    const error = faultError(outcome);
    expect(TimeoutError.isInstance(error) && error.phase).toBe('idle');
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: 'Once upon ' });
  });

  it('headers then nothing: the first-byte limit covers the body too', async () => {
    const outcome = await runFault({
      streamOptions: { timeouts: { firstByteMs: 1000 } },
      fault: async (res) => {
        await res.head(200, { 'content-type': 'text/event-stream' });
        await res.closed;
      },
    });
    expect(TimeoutError.isInstance(faultError(outcome)) && (faultError(outcome) as TimeoutError).phase).toBe(
      'firstByte',
    );
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: '' });
  });

  it('socket closed or reset after k chunks (k by fast-check): ConnectionError, received text kept, no retry after a byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: PIECES.length }), fc.boolean(), async (k, rst) => {
        const outcome = await runFault({
          fault: async (res) => {
            await res.head(200, { 'content-type': 'text/event-stream' });
            for (const piece of piecesSse.slice(0, k)) await res.chunk(piece);
            if (rst) res.reset();
            else res.cut();
          },
        });
        const error = faultError(outcome);
        expect(ConnectionError.isInstance(error) || StreamParseError.isInstance(error)).toBe(true);
        const full = PIECES.slice(0, k).join('');
        const partial = outcome.fault.result.lastMessage;
        const text = partial?.content.map((b) => (b.type === 'text' ? b.text : '')).join('') ?? '';
        // A FIN delivers every byte; an RST may discard bytes the client had not read yet.
        if (rst) expect(full.startsWith(text)).toBe(true);
        else expect(text).toBe(full);
        if (text.length > 0) expect(outcome.faultRequests).toHaveLength(1);
        expectThreeOutcomes(outcome, { stopReason: 'error' });
      }),
      { numRuns: 12, seed: 20260901 },
    );
  });

  it('stream ends without [DONE] and without finish_reason: StreamParseError (truncated), text kept', async () => {
    const outcome = await runFault({ fault: (res) => sendChunks(res, piecesSse) });
    const error = faultError(outcome);
    expect(StreamParseError.isInstance(error) && error.kind).toBe('truncated');
    expect(error.message).toContain('no finish_reason and no [DONE]');
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: 'Once upon a time' });
  });

  it('a non-JSON, non-SSE body where SSE was asked: StreamParseError (unexpected_body) with a redacted excerpt', async () => {
    const outcome = await runFault({
      fault: (res, _a, req) =>
        sendWhole(res, 200, `Welcome! Your key ${echoedKey(req)} is not needed here.`, {
          'content-type': 'text/plain',
        }),
    });
    const error = faultError(outcome);
    expect(StreamParseError.isInstance(error) && error.kind).toBe('unexpected_body');
    expect(error.message).toContain('Welcome!');
    expectThreeOutcomes(outcome, { stopReason: 'error' });
  });

  it('a well-formed complete JSON response where SSE was asked is accepted as the whole answer', async () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'whole answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const outcome = await runFault({ fault: (res) => sendWhole(res, 200, JSON.stringify(completion)) });
    expect(outcome.fault.result.stopReason).toBe('stop');
    const block = outcome.fault.result.lastMessage?.content[0];
    expect(block?.type === 'text' && block.text).toBe('whole answer');
  });

  it('invalid JSON in an event: StreamParseError (invalid_json), earlier text kept, the key not quoted', async () => {
    const outcome = await runFault({
      fault: (res, _a, req) =>
        sendChunks(res, [
          piecesSse[0] ?? '',
          `data: {"choices": [oops ${echoedKey(req)}\n\n`,
          piecesSse[1] ?? '',
        ]),
    });
    const error = faultError(outcome);
    expect(StreamParseError.isInstance(error) && error.kind).toBe('invalid_json');
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: 'Once ' });
  });

  it('event: error mid-stream: ApiError with the server message, earlier text kept', async () => {
    const outcome = await runFault({
      fault: (res, _a, req) =>
        sendChunks(res, [
          piecesSse[0] ?? '',
          `event: error\ndata: ${JSON.stringify({ error: { message: `upstream overloaded (key ${echoedKey(req)})`, type: 'overloaded_error' } })}\n\n`,
        ]),
    });
    const error = faultError(outcome);
    expect(ApiError.isInstance(error) && error.serverMessage).toMatch(/^upstream overloaded/);
    expect(error.message).toContain('inside the response stream');
    expect(retries(outcome)).toHaveLength(0);
    expectThreeOutcomes(outcome, { stopReason: 'error', partialText: 'Once ' });
  });

  it('a well-formed stream after a reset on the first attempt (no byte received) is retried and succeeds', async () => {
    const outcome = await runFault({
      fault: async (res, attempt) => {
        if (attempt === 0) return res.reset();
        return sendChunks(res, [textStream(['second try'])]);
      },
    });
    expect(outcome.fault.result.stopReason).toBe('stop');
    expect(retries(outcome)[0]?.reason).toMatch(/^connection/);
  });

  it('a body of sseBody with done but no finish_reason is a normal stop', async () => {
    const outcome = await runFault({
      fault: (res) => sendChunks(res, [sseBody([chunk({ content: 'ok' })])]),
    });
    expect(outcome.fault.result.stopReason).toBe('stop');
  });
});
