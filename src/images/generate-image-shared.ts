/**
 * What image generation and editing share: the normalized result, per-server limits, and decoding of the
 * `data[]` entries (`b64_json`, `url`, `data:` URLs) of the OpenAI images API.
 *
 * @module
 */

import { StreamParseError } from '../errors/stream-parse-error.js';

/** One generated image: bytes, or the URL the server returned (never fetched by the SDK). */
export interface GeneratedImage {
  /** MIME type (`image/png` ...): from `output_format`, the bytes' signature, or the `data:` URL. */
  mimeType: string;
  /** The image bytes, when the server returned them (`b64_json` or a `data:` URL). */
  data?: Uint8Array;
  /** The URL the server returned (`response_format: 'url'`); fetch it yourself if you want the bytes. */
  url?: string;
  /** The prompt the server actually used (DALL·E 3). */
  revisedPrompt?: string;
}

/** Token usage of `gpt-image-*` models. */
export interface ImageUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  [key: string]: unknown;
}

/** The normalized answer of `generateImage`, `editImage` and `generateImageViaChat`. */
export interface ImageGenerationResult {
  images: GeneratedImage[];
  /** The first image's revised prompt, when the server returned one. */
  revisedPrompt?: string;
  /** Usage summed over the calls made, when the server reported it. */
  usage?: ImageUsage;
  /** Settings changed to fit the server's limits (size rounded, `n` split into calls). */
  warnings: string[];
  /** Text the model returned beside the images (chat-modalities family only). */
  text?: string;
}

/** What a server allows; see {@link IMAGE_SERVER_LIMITS}. */
export interface ImageServerLimits {
  /** Largest `n` per request; more images are made by repeating the request. */
  maxImagesPerCall?: number;
  /** Width and height are rounded down to a multiple of this. */
  sizeMultiple?: number;
  /** Largest width and height, in pixels. */
  maxSide?: number;
  /** The server returns `b64_json` only (so `response_format: 'url'` is not sent). */
  base64Only?: boolean;
}

/**
 * Known limits (round2 anchors §7): llama.cpp's mediagen (`n` must be 1, `b64_json` only, sides ≤ 4096
 * rounded to 32), stable-diffusion.cpp's server (`b64_json` only), DALL·E 3 (`n` 1), DALL·E 2 and
 * `gpt-image-*` (`n` ≤ 10). LocalAI: no documented limit.
 */
export const IMAGE_SERVER_LIMITS: Readonly<Record<string, ImageServerLimits>> = Object.freeze({
  'llama.cpp': { maxImagesPerCall: 1, sizeMultiple: 32, maxSide: 4096, base64Only: true },
  'stable-diffusion.cpp': { base64Only: true },
  localai: {},
  'dall-e-3': { maxImagesPerCall: 1 },
  'dall-e-2': { maxImagesPerCall: 10 },
  'gpt-image': { maxImagesPerCall: 10 },
});

/** The limits for a model id when none were given (`dall-e-3`, `dall-e-2`, `gpt-image-*`). */
export function limitsForModel(model: string): ImageServerLimits {
  if (model.startsWith('gpt-image')) return IMAGE_SERVER_LIMITS['gpt-image'] ?? {};
  return IMAGE_SERVER_LIMITS[model] ?? {};
}

/** A `WxH` size fitted to the limits; a warning when it changed. */
export function fitSize(
  size: string | undefined,
  limits: ImageServerLimits,
  warnings: string[],
): string | undefined {
  const match = size === undefined ? null : /^(\d+)x(\d+)$/.exec(size);
  if (!match || (limits.sizeMultiple === undefined && limits.maxSide === undefined)) return size;
  const fitSide = (side: number): number => {
    let value = Math.min(side, limits.maxSide ?? side);
    if (limits.sizeMultiple) value = Math.max(limits.sizeMultiple, value - (value % limits.sizeMultiple));
    return value;
  };
  const out = `${fitSide(Number(match[1]))}x${fitSide(Number(match[2]))}`;
  if (out !== size) warnings.push(`size ${size} changed to ${out} to fit the server's limits`);
  return out;
}

/** The MIME type from an image's first bytes (PNG, JPEG, WebP, GIF); `undefined` when unknown. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  return undefined;
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** An image from a URL string: a `data:` URL is decoded, any other URL kept as is. */
export function imageFromUrl(url: string, fallbackType: string): GeneratedImage {
  const data = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (!data) return { url, mimeType: fallbackType };
  const bytes = data[2]
    ? base64Bytes(data[3] ?? '')
    : new TextEncoder().encode(decodeURIComponent(data[3] ?? ''));
  return { data: bytes, mimeType: data[1] ?? sniffImageType(bytes) ?? fallbackType };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Reads one images-API answer (`{ data: [{ b64_json | url, revised_prompt }], output_format, usage }`). */
export function parseImagesResponse(
  body: unknown,
  requestedFormat: string | undefined,
  url: string,
): { images: GeneratedImage[]; usage?: ImageUsage } {
  const object = record(body);
  if (!object || !Array.isArray(object.data)) {
    throw new StreamParseError(`The images answer from ${url} has no "data" array.`, {
      kind: 'invalid_json',
      url,
    });
  }
  const format = typeof object.output_format === 'string' ? object.output_format : requestedFormat;
  const declared = format ? `image/${format === 'jpg' ? 'jpeg' : format}` : undefined;
  const images = object.data.map((entry: unknown): GeneratedImage => {
    const item = record(entry) ?? {};
    const revised = typeof item.revised_prompt === 'string' ? { revisedPrompt: item.revised_prompt } : {};
    if (typeof item.b64_json === 'string') {
      const data = base64Bytes(item.b64_json);
      return { data, mimeType: declared ?? sniffImageType(data) ?? 'image/png', ...revised };
    }
    if (typeof item.url === 'string')
      return { ...imageFromUrl(item.url, declared ?? 'image/png'), ...revised };
    throw new StreamParseError(`An image in the answer from ${url} has neither b64_json nor url.`, {
      kind: 'invalid_json',
      url,
    });
  });
  const usage = record(object.usage);
  return { images, ...(usage && { usage: normalizeUsage(usage) }) };
}

function normalizeUsage(usage: Record<string, unknown>): ImageUsage {
  const out: ImageUsage = { ...usage };
  if (typeof usage.input_tokens === 'number') out.inputTokens = usage.input_tokens;
  if (typeof usage.output_tokens === 'number') out.outputTokens = usage.output_tokens;
  if (typeof usage.total_tokens === 'number') out.totalTokens = usage.total_tokens;
  return out;
}

/** Sums the numeric token counts of several calls. */
export function addUsage(a: ImageUsage | undefined, b: ImageUsage | undefined): ImageUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum = (x: number | undefined, y: number | undefined): number | undefined =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const out: ImageUsage = {};
  const input = sum(a.inputTokens, b.inputTokens);
  const output = sum(a.outputTokens, b.outputTokens);
  const total = sum(a.totalTokens, b.totalTokens);
  if (input !== undefined) out.inputTokens = input;
  if (output !== undefined) out.outputTokens = output;
  if (total !== undefined) out.totalTokens = total;
  return out;
}
