/**
 * Vision input: image files written by the test reach each API in its own shape; a text-only model gets a
 * placeholder and a warning; `inlineImageUrls` downloads only what it may (synthetic images and servers).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type Context, type ImageContent, type Model, stream } from '../../src/index.js';
import { imageFromFile } from '../../src/node/index.js';
import { type FixtureServer, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { anthropicText } from '../anthropic-messages/strict-anthropic.js';
import { textStream } from '../helpers/sse.js';
import { ndjson, textBody } from '../ollama-chat/helpers.js';
import { responsesText } from '../openai-responses/strict-responses.js';

// A 1x1 PNG and a minimal JPEG (SOI, APP0/JFIF, EOI): real file signatures, synthetic content.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

let dir: string;
let server: FixtureServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oas-vision-'));
  writeFileSync(join(dir, 'dot.png'), PNG);
  writeFileSync(join(dir, 'photo.JPG'), JPEG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ANSWERS: Record<Api, { body: string; contentType?: string }> = {
  'openai-chat': { body: textStream(['ok']) },
  'openai-responses': { body: responsesText('ok') },
  'anthropic-messages': { body: anthropicText('ok') },
  'ollama-chat': ndjson(textBody(['ok'])),
};
const model = (api: Api, baseUrl: string, input: ('text' | 'image')[] = ['text', 'image']): Model => ({
  id: 'vision-model',
  api,
  provider: 'custom',
  baseUrl,
  input,
});

/** The image parts of the last request, in the API's own shape. */
function wireImages(api: Api, body: Record<string, unknown>): unknown[] {
  // Ollama's native chat API: base64 strings in each message's `images` (no parts, no detail).
  if (api === 'ollama-chat')
    return ((body.messages ?? []) as { images?: unknown[] }[]).flatMap((m) => m.images ?? []);
  const text = JSON.stringify(api === 'openai-responses' ? body.input : body.messages);
  const parts = JSON.parse(text) as { content?: unknown }[];
  const out: unknown[] = [];
  for (const m of parts)
    for (const p of Array.isArray(m.content) ? (m.content as { type: string }[]) : []) {
      if (p.type === 'image' || p.type === 'image_url' || p.type === 'input_image') out.push(p);
    }
  return out;
}

async function send(api: Api, images: ImageContent[], input?: ('text' | 'image')[], options = {}) {
  server = await startFixtureServer({ responses: () => ANSWERS[api] ?? { body: '' } });
  const context: Context = {
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, ...images] }],
  };
  const s = stream(model(api, server.baseUrl, input), context, options);
  const events = [];
  for await (const e of s) events.push(e);
  const start = events[0];
  return {
    message: await s.result(),
    warnings: start?.type === 'start' ? start.warnings : [],
    body: server.requests.at(-1)?.json as Record<string, unknown> | undefined,
    requests: server.requests.length,
  };
}

describe('image files reach each API in its shape', () => {
  it('imageFromFile reads bytes and takes the MIME type from the extension', async () => {
    expect(await imageFromFile(join(dir, 'dot.png'))).toEqual({
      type: 'image',
      data: PNG.toString('base64'),
      mimeType: 'image/png',
    });
    expect(await imageFromFile(join(dir, 'photo.JPG'), { detail: 'high' })).toEqual({
      type: 'image',
      data: JPEG.toString('base64'),
      mimeType: 'image/jpeg',
      detail: 'high',
    });
    await expect(imageFromFile(join(dir, 'notes.txt'))).rejects.toThrow(
      /extensions jpg, jpeg, png, gif, webp, bmp, svg/,
    );
    await expect(imageFromFile(join(dir, 'missing.png'))).rejects.toThrow(/Cannot read the image file/);
  });

  for (const api of ['openai-chat', 'openai-responses', 'anthropic-messages', 'ollama-chat'] as Api[]) {
    it(api, async () => {
      const png = await imageFromFile(join(dir, 'dot.png'));
      const jpeg = await imageFromFile(join(dir, 'photo.JPG'), { detail: 'low' });
      const { message, body } = await send(api, [png, jpeg]);
      expect(message.errorMessage).toBeUndefined();
      const b64png = PNG.toString('base64');
      const b64jpeg = JPEG.toString('base64');
      const expected: Record<Api, unknown[]> = {
        'openai-chat': [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${b64png}` } },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b64jpeg}`, detail: 'low' } },
        ],
        'openai-responses': [
          { type: 'input_image', image_url: `data:image/png;base64,${b64png}`, detail: 'auto' },
          { type: 'input_image', image_url: `data:image/jpeg;base64,${b64jpeg}`, detail: 'low' },
        ],
        'anthropic-messages': [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64png } },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/jpeg', data: b64jpeg },
            cache_control: { type: 'ephemeral' },
          },
        ],
        'ollama-chat': [b64png, b64jpeg],
      };
      expect(wireImages(api, body ?? {})).toEqual(expected[api]);
    });

    it(`${api}: a text-only model gets a placeholder and a warning`, async () => {
      const { message, body, warnings } = await send(
        api,
        [await imageFromFile(join(dir, 'dot.png'))],
        ['text'],
      );
      expect(message.errorMessage).toBeUndefined();
      expect(wireImages(api, body ?? {})).toEqual([]);
      expect(JSON.stringify(body)).toContain('[image omitted: this model does not accept image input]');
      expect(warnings.join('\n')).toMatch(/placeholder/);
    });
  }
});

// The openai-chat provider does not run the asynchronous preparation step yet (its index.ts is outside this
// change); inlineImageUrls is exercised here through the Responses and Anthropic providers.
describe('inlineImageUrls', () => {
  let images: FixtureServer;
  const imageHost = 'images.example.test';
  beforeAll(async () => {
    images = await startFixtureServer({
      responses: (request): ScriptedResponse => {
        if (request.path === '/dot.png') return { contentType: 'image/png', body: new Uint8Array(PNG) };
        return { status: 302, headers: { location: `${images.url}/dot.png` }, body: '' };
      },
    });
  });
  afterAll(() => images.close());

  /** Sends requests for `images.example.test` to the loopback image server (a real HTTP hop, no mock). */
  const forwardingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== imageHost) return globalThis.fetch(input, init);
    return globalThis.fetch(`${images.url}${url.pathname}`, init);
  };

  it('downloads an allowed URL and sends base64 (off by default: the URL is sent as is)', async () => {
    const url = `http://${imageHost}/dot.png`;
    const plain = await send('anthropic-messages', [{ type: 'image', url }], undefined, {
      fetch: forwardingFetch,
    });
    expect(wireImages('anthropic-messages', plain.body ?? {})).toEqual([
      { type: 'image', source: { type: 'url', url }, cache_control: { type: 'ephemeral' } },
    ]);
    await server?.close();
    const inlined = await send('openai-responses', [{ type: 'image', url }], undefined, {
      fetch: forwardingFetch,
      inlineImageUrls: true,
    });
    expect(inlined.message.errorMessage).toBeUndefined();
    expect(wireImages('openai-responses', inlined.body ?? {})).toEqual([
      { type: 'input_image', image_url: `data:image/png;base64,${PNG.toString('base64')}`, detail: 'auto' },
    ]);
  });

  for (const url of [
    'http://127.0.0.1/dot.png',
    'http://[::1]/dot.png',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost:1/x.png',
  ]) {
    it(`refuses ${url}`, async () => {
      const { message, requests } = await send('openai-responses', [{ type: 'image', url }], undefined, {
        inlineImageUrls: true,
      });
      expect(message.stopReason).toBe('error');
      expect(message.errorMessage).toMatch(/inlineImageUrls refused/);
      expect(requests).toBe(0); // nothing was sent to the model either
    });
  }

  it('refuses a redirect to loopback', async () => {
    const { message, requests } = await send(
      'anthropic-messages',
      [{ type: 'image', url: `http://${imageHost}/redirect` }],
      undefined,
      {
        fetch: forwardingFetch,
        inlineImageUrls: true,
      },
    );
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toMatch(
      /inlineImageUrls refused http:\/\/127\.0\.0\.1:\d+\/dot\.png: 127\.0\.0\.1 is a loopback address/,
    );
    expect(requests).toBe(0);
  });

  it('caps the size', async () => {
    const { message } = await send(
      'openai-responses',
      [{ type: 'image', url: `http://${imageHost}/dot.png` }],
      undefined,
      {
        fetch: forwardingFetch,
        inlineImageUrls: { maxBytes: 10 },
      },
    );
    expect(message.errorMessage).toMatch(/over the 10-byte limit/);
  });
});
