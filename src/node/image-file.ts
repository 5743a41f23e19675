import { readFile, stat } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { type ImageDetail, imageDetailOf, imageFromBase64 } from '../images/image-content.js';
import { imageMimeType } from '../images/mime.js';
import type { ImageContent } from '../types/content.js';

/** Largest image file read by {@link imageFromFile} unless `maxBytes` says otherwise (20 MiB). */
export const IMAGE_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Options of {@link imageFromFile}. */
export interface ImageFromFileOptions {
  /** Resolution hint where the API has one. */
  detail?: ImageDetail;
  /** Largest file accepted, in bytes. @default 20971520 (20 MiB) */
  maxBytes?: number;
}

/**
 * Reads a local image file into an image content part (base64 `data` and a `mimeType` from the extension:
 * jpg, jpeg, png, gif, webp, bmp, svg). Node-only: exported from `open-agent-sdk/node`.
 *
 * @param input - options, or just the `detail` hint (`'low'`), as `imageFromUrl` takes it.
 * @throws {InvalidArgumentError} for an unknown extension, a missing file, one over `maxBytes`, or an
 *   unknown `detail`.
 */
export async function imageFromFile(
  path: string,
  input: ImageFromFileOptions | ImageDetail = {},
): Promise<ImageContent> {
  const options: ImageFromFileOptions = typeof input === 'string' ? { detail: input } : input;
  imageDetailOf(options);
  const mimeType = imageMimeType(path);
  const limit = options.maxBytes ?? IMAGE_FILE_MAX_BYTES;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InvalidArgumentError(
      `Cannot read the image file ${JSON.stringify(path)}: ${(error as Error).message}`,
      {
        argument: 'image.path',
        cause: error,
      },
    );
  }
  if (size > limit) {
    throw new InvalidArgumentError(
      `The image file ${JSON.stringify(path)} is ${size} bytes, over the ${limit}-byte limit.`,
      {
        argument: 'image.path',
      },
    );
  }
  const bytes = await readFile(path);
  return imageFromBase64(bytes.toString('base64'), mimeType, options.detail);
}
