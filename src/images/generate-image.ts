/**
 * Image generation over `POST {baseUrl}/images/generations` (OpenAI API reference "Create image";
 * LocalAI, stable-diffusion.cpp's server and llama.cpp's mediagen accept the same JSON body).
 *
 * @module
 */

import { type EndpointOptions, endpointHeaders, endpointUrl, sendOptions } from '../audio/endpoint.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { send } from '../http/send.js';
import {
  addUsage,
  fitSize,
  type ImageGenerationResult,
  type ImageServerLimits,
  limitsForModel,
  parseImagesResponse,
} from './generate-image-shared.js';

/** Options of {@link generateImage}. */
export interface GenerateImageOptions extends EndpointOptions {
  /** Model id (`gpt-image-1`, `dall-e-3`, or what the local server loaded). */
  model: string;
  /** What to draw. */
  prompt: string;
  /** Number of images. Above the server's `maxImagesPerCall`, the request is repeated. @default 1 */
  n?: number;
  /** `WxH` (`1024x1024`) or `auto`; fitted to `limits` (rounded, capped) with a warning. */
  size?: string;
  /** `standard | hd` (DALL·E 3), `low | medium | high | auto` (gpt-image). */
  quality?: string;
  /** `vivid | natural` (DALL·E 3). */
  style?: string;
  /** `transparent | opaque | auto` (gpt-image). */
  background?: string;
  /** `low | auto` (gpt-image). */
  moderation?: string;
  /** `png | jpeg | webp` (gpt-image, stable-diffusion.cpp). */
  outputFormat?: 'png' | 'jpeg' | 'webp';
  /** 0..100 for `jpeg` and `webp`. */
  outputCompression?: number;
  /**
   * `url | b64_json`. When not given: `b64_json` is sent except to `gpt-image-*` models (which answer
   * base64 always and reject the field) and to servers whose limits say base64 only.
   */
  responseFormat?: 'url' | 'b64_json';
  /** Extra JSON fields a server documents (llama.cpp: `negative_prompt`, `seed`, `steps`, `cfg_scale`). */
  extraBody?: Record<string, unknown>;
  /** The server's limits (see `IMAGE_SERVER_LIMITS`). @default the model's known limits, else none */
  limits?: ImageServerLimits;
  /** Path under `baseUrl`. @default '/images/generations' */
  path?: string;
}

function responseFormatFor(options: GenerateImageOptions, limits: ImageServerLimits): string | undefined {
  if (options.responseFormat === 'url' && limits.base64Only) return undefined;
  if (options.responseFormat !== undefined) return options.responseFormat;
  if (options.model.startsWith('gpt-image') || limits.base64Only) return undefined;
  return 'b64_json';
}

/** Splits `n` into per-call counts of at most `max`. */
export function splitCount(n: number, max: number | undefined): number[] {
  if (max === undefined || n <= max) return [n];
  const out: number[] = [];
  for (let left = n; left > 0; left -= max) out.push(Math.min(max, left));
  return out;
}

/**
 * Generates images and normalizes the answer to `{ images: [{ mimeType, data | url }], revisedPrompt?,
 * usage?, warnings }`. Returned URLs are never fetched. `n` above the server's per-call limit is made by
 * repeating the request (calls in sequence; usage summed).
 *
 * @throws {InvalidArgumentError} for `n` that is not a positive integer.
 * @throws {ApiError} for a non-2xx answer; `StreamParseError` for an answer without `data[]`;
 *   `ConnectionError`, `TimeoutError`, `AbortError` as `send()` does.
 */
export async function generateImage(options: GenerateImageOptions): Promise<ImageGenerationResult> {
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`n must be a positive integer, got ${String(n)}.`, { argument: 'n' });
  }
  const limits = options.limits ?? limitsForModel(options.model);
  const warnings: string[] = [];
  const size = fitSize(options.size, limits, warnings);
  const counts = splitCount(n, limits.maxImagesPerCall);
  if (counts.length > 1)
    warnings.push(
      `n=${n} made as ${counts.length} requests (the server allows ${limits.maxImagesPerCall} per request)`,
    );
  if (options.responseFormat === 'url' && limits.base64Only)
    warnings.push('the server returns base64 only: response_format not sent');
  const format = responseFormatFor(options, limits);
  const url = endpointUrl(options.baseUrl, options.path ?? '/images/generations');
  const result: ImageGenerationResult = { images: [], warnings };
  for (const count of counts) {
    const body = {
      ...options.extraBody,
      model: options.model,
      prompt: options.prompt,
      ...(n > 1 || options.n !== undefined ? { n: count } : {}),
      ...(size !== undefined && { size }),
      ...(options.quality !== undefined && { quality: options.quality }),
      ...(options.style !== undefined && { style: options.style }),
      ...(options.background !== undefined && { background: options.background }),
      ...(options.moderation !== undefined && { moderation: options.moderation }),
      ...(options.outputFormat !== undefined && { output_format: options.outputFormat }),
      ...(options.outputCompression !== undefined && { output_compression: options.outputCompression }),
      ...(format !== undefined && { response_format: format }),
    };
    const response = await send({
      url,
      headers: endpointHeaders(options, { 'content-type': 'application/json' }),
      body: JSON.stringify(body),
      ...sendOptions(options),
    });
    const parsed = parseImagesResponse(response.body, options.outputFormat, url);
    result.images.push(...parsed.images);
    const usage = addUsage(result.usage, parsed.usage);
    if (usage) result.usage = usage;
  }
  const revised = result.images.find((image) => image.revisedPrompt !== undefined)?.revisedPrompt;
  if (revised !== undefined) result.revisedPrompt = revised;
  return result;
}
