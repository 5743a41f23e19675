/**
 * Image generation through chat completions with `modalities: ["image", "text"]` (OpenRouter; images
 * come back in `choices[0].message.images[]` as `{ type: 'image_url', image_url: { url: 'data:...' } }`,
 * `image_url` sometimes a plain string). Source: openrouter.ai/docs/features/multimodal/image-generation.
 *
 * @module
 */

import { type EndpointOptions, endpointHeaders, endpointUrl, sendOptions } from '../audio/endpoint.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { send } from '../http/send.js';
import { type GeneratedImage, type ImageGenerationResult, imageFromUrl } from './generate-image-shared.js';

/** Options of {@link generateImageViaChat}. */
export interface ChatImageOptions extends EndpointOptions {
  /** Model id (`google/gemini-2.5-flash-image`, ...). */
  model: string;
  /** What to draw. */
  prompt: string;
  /** Output modalities. @default ['image', 'text'] */
  modalities?: ('image' | 'text')[];
  /** OpenRouter `image_config`: `aspect_ratio` (`16:9`), `image_size` (`1K | 2K | 4K`, Gemini only). */
  imageConfig?: { aspect_ratio?: string; image_size?: string };
  /** Extra JSON fields. */
  extraBody?: Record<string, unknown>;
  /** Path under `baseUrl`. @default '/chat/completions' */
  path?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Generates images with a chat model (one non-streamed chat completion) and normalizes them like
 * `generateImage`; the message's text is in `text`.
 *
 * @throws {ApiError} for a non-2xx answer; `StreamParseError` when the answer has no message;
 *   `ConnectionError`, `TimeoutError`, `AbortError` as `send()` does.
 */
export async function generateImageViaChat(options: ChatImageOptions): Promise<ImageGenerationResult> {
  const url = endpointUrl(options.baseUrl, options.path ?? '/chat/completions');
  const body = {
    ...options.extraBody,
    model: options.model,
    messages: [{ role: 'user', content: options.prompt }],
    modalities: options.modalities ?? ['image', 'text'],
    ...(options.imageConfig !== undefined && { image_config: options.imageConfig }),
    stream: false,
  };
  const response = await send({
    url,
    headers: endpointHeaders(options, { 'content-type': 'application/json' }),
    body: JSON.stringify(body),
    ...sendOptions(options),
  });
  const choices = record(response.body)?.choices;
  const message = record(Array.isArray(choices) ? record(choices[0])?.message : undefined);
  if (!message) {
    throw new StreamParseError(`The chat answer from ${url} has no choices[0].message.`, {
      kind: 'invalid_json',
      url,
    });
  }
  const images: GeneratedImage[] = [];
  for (const entry of Array.isArray(message.images) ? message.images : []) {
    const raw = record(entry)?.image_url;
    const link = typeof raw === 'string' ? raw : record(raw)?.url;
    if (typeof link === 'string') images.push(imageFromUrl(link, 'image/png'));
  }
  const usage = record(record(response.body)?.usage);
  return {
    images,
    warnings: [],
    ...(typeof message.content === 'string' && message.content !== '' && { text: message.content }),
    ...(usage && {
      usage: {
        ...usage,
        ...(typeof usage.prompt_tokens === 'number' && { inputTokens: usage.prompt_tokens }),
        ...(typeof usage.completion_tokens === 'number' && { outputTokens: usage.completion_tokens }),
        ...(typeof usage.total_tokens === 'number' && { totalTokens: usage.total_tokens }),
      },
    }),
  };
}
