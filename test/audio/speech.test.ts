import { afterEach, describe, expect, it } from 'vitest';
import { collectBytes, encodeWav, generateSpeech, sineTone, streamSpeech } from '../../src/audio/index.js';
import { AbortError } from '../../src/errors/abort-error.js';
import { ApiError } from '../../src/errors/api-error.js';
import { type Loopback, startLoopback, until, writeSse } from './loopback.js';

const wav = encodeWav(sineTone(220, 300), 24_000);
let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('generateSpeech', () => {
  it('posts the documented JSON fields and returns the bytes and mime type', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      res.end(wav);
    });
    const speech = await generateSpeech({
      baseUrl: server.baseUrl,
      model: 'gpt-4o-mini-tts',
      input: 'Hello.',
      voice: 'alloy',
      format: 'wav',
      speed: 1.25,
      instructions: 'Cheerful.',
      extraBody: { sample_rate: 24000 },
    });
    expect(speech.mimeType).toBe('audio/wav');
    expect(speech.audio).toEqual(wav);
    const request = server.requests[0];
    expect(request?.path).toBe('/v1/audio/speech');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(request?.body))).toEqual({
      model: 'gpt-4o-mini-tts',
      input: 'Hello.',
      voice: 'alloy',
      response_format: 'wav',
      speed: 1.25,
      instructions: 'Cheerful.',
      sample_rate: 24000,
    });
  });

  it('uses the format mime type when the server sends application/octet-stream', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(new Uint8Array([1, 2, 3, 4]));
    });
    const speech = await generateSpeech({
      baseUrl: server.baseUrl,
      model: 'm',
      input: 'x',
      voice: 'v',
      format: 'pcm',
    });
    expect(speech).toEqual({ audio: new Uint8Array([1, 2, 3, 4]), mimeType: 'audio/pcm' });
  });

  it('types a 404 as ApiError with the server message; the next call works', async () => {
    server = await startLoopback((_req, res, index) => {
      if (index === 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: 'voice not found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.end(new Uint8Array([0xff, 0xfb]));
    });
    const options = { baseUrl: server.baseUrl, model: 'm', input: 'x', voice: 'nobody' };
    const error = await generateSpeech(options).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error.status).toBe(404);
    expect((error as Error).message).toContain('voice not found');
    expect((await generateSpeech(options)).mimeType).toBe('audio/mpeg');
  });
});

describe('streamSpeech', () => {
  it('streams the raw audio body in chunks', async () => {
    server = await startLoopback(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav' });
      for (let i = 0; i < wav.length; i += 4000) {
        res.write(wav.subarray(i, i + 4000));
        await new Promise((r) => setTimeout(r, 5));
      }
      res.end();
    });
    let count = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of streamSpeech({ baseUrl: server.baseUrl, model: 'm', input: 'x', voice: 'v' })) {
      count++;
      parts.push(chunk);
    }
    expect(count).toBeGreaterThan(1);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(wav));
  });

  it('decodes speech.audio.delta SSE events and sends stream_format sse', async () => {
    server = await startLoopback(async (_req, res) => {
      await writeSse(res, [
        { type: 'speech.audio.delta', audio: Buffer.from(wav.subarray(0, 100)).toString('base64') },
        { type: 'speech.audio.delta', audio: Buffer.from(wav.subarray(100)).toString('base64') },
        { type: 'speech.audio.done', usage: { input_tokens: 2, output_tokens: 10, total_tokens: 12 } },
      ]);
    });
    const bytes = await collectBytes(
      streamSpeech({
        baseUrl: server.baseUrl,
        model: 'm',
        input: 'x',
        voice: 'v',
        format: 'pcm',
        streamFormat: 'sse',
      }),
    );
    expect(bytes).toEqual(wav);
    expect(JSON.parse(new TextDecoder().decode(server.requests[0]?.body)).stream_format).toBe('sse');
  });

  it('aborts mid-stream: AbortError, server sees the disconnect, no socket left', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/pcm' });
      res.write(new Uint8Array(64));
    });
    const controller = new AbortController();
    const error = await (async () => {
      for await (const _chunk of streamSpeech({
        baseUrl: server.baseUrl,
        model: 'm',
        input: 'x',
        voice: 'v',
        signal: controller.signal,
      }))
        controller.abort();
    })().catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    await until(() => server?.disconnects() === 1);
    await until(() => server?.openSockets() === 0);
  });

  it('breaking out of the loop closes the request', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/pcm' });
      res.write(new Uint8Array(64));
    });
    for await (const _chunk of streamSpeech({ baseUrl: server.baseUrl, model: 'm', input: 'x', voice: 'v' }))
      break;
    await until(() => server?.disconnects() === 1);
  });
});
