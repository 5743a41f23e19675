import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ImageContent } from '../types/content.js';

/** Resolution hint for an image where the API has one (OpenAI `detail`). */
export type ImageDetail = 'low' | 'high' | 'auto';

/** Options of {@link imageFromUrl} and {@link imageFromBase64}, as `imageFromFile` takes them. */
export interface ImageOptions {
  /** Resolution hint where the API has one. */
  detail?: ImageDetail;
}

/**
 * The `detail` of a `detail` argument given as a string or as `{ detail }`.
 * @throws {InvalidArgumentError} for a value other than `low`, `high` or `auto`.
 */
export function imageDetailOf(value: ImageDetail | ImageOptions | undefined): ImageDetail | undefined {
  const detail = typeof value === 'object' && value !== null ? value.detail : value;
  if (detail === undefined) return undefined;
  if (detail !== 'low' && detail !== 'high' && detail !== 'auto') {
    throw new InvalidArgumentError(
      `Image detail must be 'low', 'high' or 'auto', got ${JSON.stringify(detail)}.`,
      {
        argument: 'image.detail',
      },
    );
  }
  return detail;
}

/**
 * An image part from a URL (`http:`, `https:` or `data:`). The SDK never downloads it unless the call sets
 * `inlineImageUrls`; the provider sends the URL as is.
 * @param options - the `detail` hint, as `'low'` or as `{ detail: 'low' }` (like `imageFromFile`).
 * @throws {InvalidArgumentError} for another scheme, a malformed URL or an unknown `detail`.
 */
export function imageFromUrl(url: string, options?: ImageDetail | ImageOptions): ImageContent {
  const detail = imageDetailOf(options);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`Not a valid image URL: ${JSON.stringify(url.slice(0, 100))}.`, {
      argument: 'image.url',
    });
  }
  if (!['http:', 'https:', 'data:'].includes(parsed.protocol)) {
    throw new InvalidArgumentError(`Image URLs must be http, https or data URLs, got ${parsed.protocol}`, {
      argument: 'image.url',
    });
  }
  return { type: 'image', url, ...(detail !== undefined && { detail }) };
}

/**
 * An image part from base64 bytes and a MIME type (`image/png`). A `data:` URL prefix is accepted and removed.
 * @param options - the `detail` hint, as `'low'` or as `{ detail: 'low' }`.
 * @throws {InvalidArgumentError} when `mimeType` is not an `image/*` type, the data is empty, or `detail`
 *   is unknown.
 */
export function imageFromBase64(
  data: string,
  mimeType: string,
  options?: ImageDetail | ImageOptions,
): ImageContent {
  const detail = imageDetailOf(options);
  if (!/^image\/[a-z0-9.+-]+$/i.test(mimeType)) {
    throw new InvalidArgumentError(`Not an image MIME type: ${JSON.stringify(mimeType)}.`, {
      argument: 'image.mimeType',
    });
  }
  const bare = data.replace(/^data:[^,]*,/, '');
  if (bare.length === 0) throw new InvalidArgumentError('Image data is empty.', { argument: 'image.data' });
  return { type: 'image', data: bare, mimeType, ...(detail !== undefined && { detail }) };
}

/** Base64 of some bytes (web-standard: no Buffer). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}
