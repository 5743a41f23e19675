import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav, sineTone } from '../../src/audio/index.js';
import { startFixtureServer, textResponse } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { type Loopback, parseForm, startLoopback } from './loopback.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
let dir = '';
let server: Loopback | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-agent-audio-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** One loopback server for all three endpoints. */
async function audioServer(): Promise<Loopback> {
  return startLoopback(async (request, res) => {
    if (request.path === '/v1/audio/transcriptions') {
      const form = await parseForm(request);
      const file = form.get('file') as File;
      const text = `heard ${file.name} ${file.size} bytes as ${form.get('response_format') ?? 'json'}`;
      if (form.get('response_format') === 'text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${text}\n`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text }));
      }
    } else if (request.path === '/v1/audio/speech') {
      const body = JSON.parse(new TextDecoder().decode(request.body)) as {
        input: string;
        response_format: string;
      };
      res.writeHead(200, { 'content-type': body.response_format === 'pcm' ? 'audio/pcm' : 'audio/wav' });
      res.end(body.response_format === 'pcm' ? new Uint8Array(480) : encodeWav(sineTone(440, 10), 16_000));
    } else if (request.path === '/v1/images/generations') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ b64_json: Buffer.from(PNG).toString('base64') }] }));
    } else {
      res.writeHead(404).end();
    }
  });
}

describe('open-agent transcribe / speak / image / voice', () => {
  it('transcribes a file and prints the text', async () => {
    server = await audioServer();
    const file = join(dir, 'hello.wav');
    const wav = encodeWav(sineTone(440, 100), 16_000);
    await writeFile(file, wav);
    const result = await runCli(['transcribe', file, '--base-url', server.baseUrl]);
    expect(result.stderr).toContain('done in');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`heard hello.wav ${wav.length} bytes as text\n`);
  });

  it('speaks to a file, the format from the extension', async () => {
    server = await audioServer();
    const out = join(dir, 'out.wav');
    const result = await runCli([
      'speak',
      'Hello there.',
      '-o',
      out,
      '--base-url',
      server.baseUrl,
      '--voice',
      'af_heart',
    ]);
    expect(result.code).toBe(0);
    expect(new TextDecoder().decode((await readFile(out)).subarray(0, 4))).toBe('RIFF');
    const body = JSON.parse(new TextDecoder().decode(server.requests[0]?.body));
    expect(body).toEqual({
      model: 'tts-1',
      input: 'Hello there.',
      voice: 'af_heart',
      response_format: 'wav',
    });
  });

  it('generates an image to a file', async () => {
    server = await audioServer();
    const out = join(dir, 'out.png');
    const result = await runCli([
      'image',
      'a red fox',
      '-o',
      out,
      '--base-url',
      server.baseUrl,
      '--model',
      'sd',
    ]);
    expect(result.code).toBe(0);
    expect(new Uint8Array(await readFile(out))).toEqual(PNG);
  });

  it('runs one voice turn from a file to a WAV reply', async () => {
    server = await audioServer();
    const model = await startFixtureServer({
      responses: [textResponse(['Hello from the agent. ', 'Bye now, friend.'])],
    });
    try {
      const input = join(dir, 'in.wav');
      const out = join(dir, 'reply.wav');
      await writeFile(input, encodeWav(sineTone(300, 200), 16_000));
      const result = await runCli([
        'voice',
        '--in',
        input,
        '--out',
        out,
        '--base-url',
        model.baseUrl,
        '--model',
        'test-model',
        '--audio-base-url',
        server.baseUrl,
      ]);
      expect(result.stderr).toContain('you: heard audio.wav');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Hello from the agent. Bye now, friend.\n');
      const reply = await readFile(out);
      expect(reply.length).toBe(44 + 2 * 480);
    } finally {
      await model.close();
    }
  });

  it('without a server it is a usage error (exit 2)', async () => {
    const result = await runCli(['speak', 'x', '-o', join(dir, 'x.mp3')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no server given');
  });
});
