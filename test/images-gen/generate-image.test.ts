import { afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../../src/errors/abort-error.js';
import { ApiError } from '../../src/errors/api-error.js';
import {
  editImage,
  generateImage,
  generateImageViaChat,
  IMAGE_SERVER_LIMITS,
  imageGenerationTool,
} from '../../src/images/generate.js';
import { type Loopback, parseForm, startLoopback, until } from '../audio/loopback.js';

/** A 1x1 PNG's first bytes (signature + IHDR start) are enough for type sniffing. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const jsonOf = (body: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('generateImage', () => {
  it('posts the documented fields and decodes b64_json with usage and revised prompt', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          created: 1,
          data: [{ b64_json: b64(PNG), revised_prompt: 'A red fox, watercolor.' }],
          output_format: 'png',
          usage: { input_tokens: 10, output_tokens: 100, total_tokens: 110 },
        }),
      );
    });
    const result = await generateImage({
      baseUrl: server.baseUrl,
      model: 'gpt-image-1',
      prompt: 'A fox',
      size: '1024x1024',
      quality: 'high',
      background: 'transparent',
      outputFormat: 'png',
    });
    expect(result.images).toEqual([
      { data: PNG, mimeType: 'image/png', revisedPrompt: 'A red fox, watercolor.' },
    ]);
    expect(result.revisedPrompt).toBe('A red fox, watercolor.');
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 100, totalTokens: 110 });
    expect(server.requests[0]?.path).toBe('/v1/images/generations');
    // gpt-image answers base64 always and rejects response_format: not sent.
    expect(jsonOf(server.requests[0]?.body)).toEqual({
      model: 'gpt-image-1',
      prompt: 'A fox',
      size: '1024x1024',
      quality: 'high',
      background: 'transparent',
      output_format: 'png',
    });
  });

  it('keeps a returned URL without fetching it, and sends response_format url', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ url: 'http://127.0.0.1:9/never-fetched.png' }] }));
    });
    const result = await generateImage({
      baseUrl: server.baseUrl,
      model: 'dall-e-2',
      prompt: 'x',
      responseFormat: 'url',
    });
    expect(result.images).toEqual([{ url: 'http://127.0.0.1:9/never-fetched.png', mimeType: 'image/png' }]);
    expect(server.requests).toHaveLength(1);
    expect(jsonOf(server.requests[0]?.body).response_format).toBe('url');
  });

  it('emulates n > 1 on a server that allows one per call, and fits the size (llama.cpp limits)', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ b64_json: b64(JPEG) }] }));
    });
    const result = await generateImage({
      baseUrl: server.baseUrl,
      model: 'sd',
      prompt: 'x',
      n: 3,
      size: '1000x5000',
      limits: IMAGE_SERVER_LIMITS['llama.cpp'],
      extraBody: { seed: 7, steps: 20 },
    });
    expect(result.images.map((i) => i.mimeType)).toEqual(['image/jpeg', 'image/jpeg', 'image/jpeg']);
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(jsonOf(request.body)).toEqual({
        model: 'sd',
        prompt: 'x',
        n: 1,
        size: '992x4096',
        seed: 7,
        steps: 20,
      });
    }
    expect(result.warnings).toEqual([
      "size 1000x5000 changed to 992x4096 to fit the server's limits",
      'n=3 made as 3 requests (the server allows 1 per request)',
    ]);
  });

  it('retries a 503, types a 500 as ApiError, and aborts', async () => {
    server = await startLoopback((_req, res, index) => {
      if (index === 0) {
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end('{"error":{"message":"busy"}}');
      } else if (index === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ b64_json: b64(PNG) }] }));
      } else if (index === 2) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"prompt rejected"}}');
      }
      // index 3: never answers (aborted by the client).
    });
    const base = { baseUrl: server.baseUrl, model: 'dall-e-2', prompt: 'x', retry: { baseMs: 1 } };
    expect((await generateImage(base)).images).toHaveLength(1);
    const error = await generateImage(base).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error.status).toBe(400);
    const controller = new AbortController();
    const pending = generateImage({ ...base, signal: controller.signal }).catch((e: unknown) => e);
    await until(() => server?.requests.length === 4);
    controller.abort();
    expect(AbortError.isInstance(await pending)).toBe(true);
    await until(() => server?.openSockets() === 0);
  });
});

describe('editImage', () => {
  it('sends image[], mask and fields as multipart', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ b64_json: b64(PNG) }] }));
    });
    const result = await editImage({
      baseUrl: server.baseUrl,
      model: 'gpt-image-1',
      image: [PNG, JPEG],
      mask: PNG,
      prompt: 'Add a hat',
      size: '512x512',
      n: 1,
    });
    expect(result.images[0]?.data).toEqual(PNG);
    const form = await parseForm(server.requests[0] as NonNullable<(typeof server.requests)[0]>);
    const images = form.getAll('image[]') as File[];
    expect(images.map((f) => [f.name, f.type])).toEqual([
      ['image-0.png', 'image/png'],
      ['image-1.jpeg', 'image/jpeg'],
    ]);
    expect(new Uint8Array(await (images[1] as File).arrayBuffer())).toEqual(JPEG);
    expect(new Uint8Array(await (form.get('mask') as File).arrayBuffer())).toEqual(PNG);
    expect([form.get('prompt'), form.get('model'), form.get('size'), form.get('n')]).toEqual([
      'Add a hat',
      'gpt-image-1',
      '512x512',
      '1',
    ]);
  });
});

describe('generateImageViaChat', () => {
  it('sends modalities and reads message.images data URLs (object and string forms)', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [
            {
              message: {
                role: 'assistant',
                content: 'Here it is.',
                images: [
                  { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(PNG)}` } },
                  { type: 'image_url', image_url: `data:image/jpeg;base64,${b64(JPEG)}` },
                ],
              },
            },
          ],
        }),
      );
    });
    const result = await generateImageViaChat({
      baseUrl: server.baseUrl,
      model: 'google/gemini-2.5-flash-image',
      prompt: 'A cat',
      imageConfig: { aspect_ratio: '16:9' },
    });
    expect(result.text).toBe('Here it is.');
    expect(result.images).toEqual([
      { data: PNG, mimeType: 'image/png' },
      { data: JPEG, mimeType: 'image/jpeg' },
    ]);
    expect(jsonOf(server.requests[0]?.body)).toEqual({
      model: 'google/gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'A cat' }],
      modalities: ['image', 'text'],
      image_config: { aspect_ratio: '16:9' },
      stream: false,
    });
  });
});

describe('imageGenerationTool', () => {
  it('returns image parts to the model', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ b64_json: b64(PNG) }] }));
    });
    const saved: number[] = [];
    const t = imageGenerationTool({
      endpoint: { baseUrl: server.baseUrl, model: 'sd' },
      onImages: (r) => {
        saved.push(r.images.length);
      },
    });
    const output = await t.execute({
      args: { prompt: 'a boat' },
      signal: new AbortController().signal,
      toolCallId: 'c1',
      idempotencyKey: 'c1',
      context: undefined,
      update: () => {},
    });
    expect(output).toEqual({
      content: [
        { type: 'text', text: 'Generated 1 image(s).' },
        { type: 'image', data: b64(PNG), mimeType: 'image/png' },
      ],
    });
    expect(saved).toEqual([1]);
  });
});
