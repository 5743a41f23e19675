import { afterEach, describe, expect, it } from 'vitest';
import { encodeWav, sineTone, streamTranscription, transcribe } from '../../src/audio/index.js';
import { AbortError } from '../../src/errors/abort-error.js';
import { ApiError } from '../../src/errors/api-error.js';
import { type Loopback, parseForm, startLoopback, until, writeSse } from './loopback.js';

const wav = encodeWav(sineTone(440, 200), 16_000);
let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('transcribe', () => {
  it('sends the documented multipart fields and the file bytes; reads verbose_json', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          task: 'transcribe',
          language: 'english',
          duration: 0.2,
          text: 'Hello there.',
          segments: [{ id: 0, start: 0, end: 0.2, text: 'Hello there.' }],
          words: [{ word: 'Hello', start: 0, end: 0.1 }],
        }),
      );
    });
    const result = await transcribe({
      baseUrl: server.baseUrl,
      apiKey: 'sk-secret-key-123',
      model: 'whisper-1',
      audio: wav,
      language: 'en',
      prompt: 'A greeting.',
      responseFormat: 'verbose_json',
      temperature: 0,
      timestampGranularities: ['word', 'segment'],
    });
    expect(result).toEqual({
      text: 'Hello there.',
      language: 'english',
      duration: 0.2,
      segments: [{ id: 0, start: 0, end: 0.2, text: 'Hello there.' }],
      words: [{ word: 'Hello', start: 0, end: 0.1 }],
    });
    const request = server.requests[0];
    expect(request?.path).toBe('/v1/audio/transcriptions');
    expect(request?.headers.authorization).toBe('Bearer sk-secret-key-123');
    expect(String(request?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await parseForm(request as NonNullable<typeof request>);
    const file = form.get('file') as File;
    expect(file.name).toBe('audio.wav');
    expect(file.type).toBe('audio/wav');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(wav);
    expect(form.get('model')).toBe('whisper-1');
    expect(form.get('language')).toBe('en');
    expect(form.get('prompt')).toBe('A greeting.');
    expect(form.get('response_format')).toBe('verbose_json');
    expect(form.get('temperature')).toBe('0');
    expect(form.getAll('timestamp_granularities[]')).toEqual(['word', 'segment']);
    expect(form.has('stream')).toBe(false);
  });

  it('returns a text/srt/vtt body as the text', async () => {
    const srt = '1\n00:00:00,000 --> 00:00:00,200\nHello\n';
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(srt);
    });
    const result = await transcribe({
      baseUrl: server.baseUrl,
      model: 'm',
      audio: wav,
      responseFormat: 'srt',
    });
    expect(result).toEqual({ text: srt });
  });

  it('retries a 503 and re-sends the same multipart bytes', async () => {
    server = await startLoopback((_req, res, index) => {
      if (index === 0) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ error: { message: 'model loading' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: 'ok' }));
    });
    const result = await transcribe({
      baseUrl: server.baseUrl,
      model: 'm',
      audio: wav,
      retry: { baseMs: 1 },
    });
    expect(result.text).toBe('ok');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).toEqual(server.requests[0]?.body);
    expect(server.requests[1]?.headers['content-type']).toBe(server.requests[0]?.headers['content-type']);
    const file = (await parseForm(server.requests[1] as NonNullable<(typeof server.requests)[1]>)).get(
      'file',
    ) as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(wav);
  });

  it('types a 400 as ApiError without the key, and the next call works', async () => {
    server = await startLoopback((_req, res, index) => {
      if (index === 0) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'bad audio for key sk-secret-key-123' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: 'fine' }));
    });
    const options = { baseUrl: server.baseUrl, apiKey: 'sk-secret-key-123', model: 'm', audio: wav };
    const error = await transcribe(options).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(400);
    expect(JSON.stringify({ m: (error as Error).message, e: error })).not.toContain('sk-secret-key-123');
    expect((await transcribe(options)).text).toBe('fine');
  });
});

describe('streamTranscription', () => {
  it('yields transcript.text.delta events then done, with stream=true in the form', async () => {
    server = await startLoopback(async (_req, res) => {
      await writeSse(res, [
        { type: 'transcript.text.delta', delta: 'Hel' },
        { type: 'transcript.text.delta', delta: 'lo.' },
        { type: 'transcript.text.done', text: 'Hello.', usage: { type: 'tokens', total_tokens: 7 } },
      ]);
    });
    const events = [];
    const stream = streamTranscription({
      baseUrl: server.baseUrl,
      model: 'gpt-4o-mini-transcribe',
      audio: wav,
    });
    for await (const event of stream) events.push(event);
    expect(events).toEqual([
      { type: 'transcript.text.delta', delta: 'Hel' },
      { type: 'transcript.text.delta', delta: 'lo.' },
      { type: 'transcript.text.done', text: 'Hello.', usage: { type: 'tokens', total_tokens: 7 } },
    ]);
    const form = await parseForm(server.requests[0] as NonNullable<(typeof server.requests)[0]>);
    expect(form.get('stream')).toBe('true');
  });

  it('falls back to a JSON answer from a server without streaming', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: 'whole' }));
    });
    const events = [];
    for await (const e of streamTranscription({ baseUrl: server.baseUrl, model: 'm', audio: wav }))
      events.push(e);
    expect(events).toEqual([{ type: 'transcript.text.done', text: 'whole' }]);
  });

  it('aborts mid-stream: AbortError, the server sees the disconnect, no socket left', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ type: 'transcript.text.delta', delta: 'Hi' })}\n\n`);
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const e of streamTranscription({
        baseUrl: server.baseUrl,
        model: 'm',
        audio: wav,
        signal: controller.signal,
      })) {
        seen.push(e.type);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['transcript.text.delta']);
    expect(AbortError.isInstance(error)).toBe(true);
    await until(() => server?.disconnects() === 1);
    await until(() => server?.openSockets() === 0);
  });
});
