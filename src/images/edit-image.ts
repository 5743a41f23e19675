/**
 * Image editing over `POST {baseUrl}/images/edits` (OpenAI API reference "Create image edit"; the
 * stable-diffusion.cpp server takes the same multipart form with `image[]` and `mask`).
 *
 * @module
 */

import { type EndpointOptions, endpointHeaders, endpointUrl, sendOptions } from '../audio/endpoint.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { send } from '../http/send.js';
import { type ImageGenerationResult, parseImagesResponse, sniffImageType } from './generate-image-shared.js';

/** An image file for an upload: bytes, a `Blob`/`File`, or bytes with a name and type. */
export type ImageFileInput = Uint8Array | Blob | { data: Uint8Array; filename: string; mimeType: string };

/** Options of {@link editImage}. */
export interface EditImageOptions extends EndpointOptions {
  /** Model id (`gpt-image-1`, `dall-e-2`, or the local server's). */
  model: string;
  /** The image(s) to edit. One is sent as the `image` part; several as `image[]` parts. */
  image: ImageFileInput | ImageFileInput[];
  /** What to change. */
  prompt: string;
  /** PNG whose transparent areas mark where to edit. Sent as the `mask` part. */
  mask?: ImageFileInput;
  /** Number of images. @default the server's (1) */
  n?: number;
  /** `WxH` or `auto`. */
  size?: string;
  /** `low | medium | high | auto` (gpt-image), `standard` (dall-e-2). */
  quality?: string;
  /** `transparent | opaque | auto` (gpt-image). */
  background?: string;
  /** `png | jpeg | webp`. */
  outputFormat?: 'png' | 'jpeg' | 'webp';
  /** `url | b64_json` (not for gpt-image). Not sent unless given. */
  responseFormat?: 'url' | 'b64_json';
  /** Field name for one image. @default 'image' (`image[]` for several) */
  imageField?: string;
  /** Extra form fields a server documents; strings as sent. */
  extraFields?: Record<string, string>;
  /** Path under `baseUrl`. @default '/images/edits' */
  path?: string;
}

async function part(input: ImageFileInput, fallbackName: string): Promise<{ blob: Blob; name: string }> {
  if (input instanceof Blob) {
    const own = typeof (input as { name?: unknown }).name === 'string' ? (input as File).name : undefined;
    return { blob: input, name: own ?? `${fallbackName}.png` };
  }
  if (input instanceof Uint8Array) {
    const type = sniffImageType(input) ?? 'image/png';
    return { blob: new Blob([input.slice()], { type }), name: `${fallbackName}.${type.split('/')[1]}` };
  }
  return { blob: new Blob([input.data.slice()], { type: input.mimeType }), name: input.filename };
}

/**
 * Edits images (multipart: `image` or `image[]`, `mask`, `prompt`, `model`, `n`, `size`, `quality`,
 * `background`, `output_format`, `response_format`, only those given). The form is serialized once, so a
 * retry sends the same bytes. The answer is normalized like `generateImage`'s.
 *
 * @throws {InvalidArgumentError} for an empty image list.
 * @throws {ApiError}, `StreamParseError`, `ConnectionError`, `TimeoutError`, `AbortError` as `generateImage`.
 */
export async function editImage(options: EditImageOptions): Promise<ImageGenerationResult> {
  const images = Array.isArray(options.image) ? options.image : [options.image];
  if (images.length === 0)
    throw new InvalidArgumentError('editImage needs at least one image.', { argument: 'image' });
  const form = new FormData();
  const field = options.imageField ?? (images.length > 1 ? 'image[]' : 'image');
  for (const [index, image] of images.entries()) {
    const { blob, name } = await part(image, `image-${index}`);
    form.append(field, blob, name);
  }
  if (options.mask !== undefined) {
    const { blob, name } = await part(options.mask, 'mask');
    form.append('mask', blob, name);
  }
  form.append('prompt', options.prompt);
  form.append('model', options.model);
  if (options.n !== undefined) form.append('n', String(options.n));
  if (options.size !== undefined) form.append('size', options.size);
  if (options.quality !== undefined) form.append('quality', options.quality);
  if (options.background !== undefined) form.append('background', options.background);
  if (options.outputFormat !== undefined) form.append('output_format', options.outputFormat);
  if (options.responseFormat !== undefined) form.append('response_format', options.responseFormat);
  for (const [name, value] of Object.entries(options.extraFields ?? {})) form.append(name, value);
  const url = endpointUrl(options.baseUrl, options.path ?? '/images/edits');
  const response = await send({
    url,
    headers: endpointHeaders(options),
    body: form,
    ...sendOptions(options),
  });
  const parsed = parseImagesResponse(response.body, options.outputFormat, url);
  const revised = parsed.images.find((image) => image.revisedPrompt !== undefined)?.revisedPrompt;
  return {
    images: parsed.images,
    warnings: [],
    ...(parsed.usage && { usage: parsed.usage }),
    ...(revised !== undefined && { revisedPrompt: revised }),
  };
}
