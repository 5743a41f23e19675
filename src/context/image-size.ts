/**
 * Pixel size of a base64 image, read from its header (PNG, GIF, WebP, JPEG) without decoding the image.
 * Only the first bytes are decoded (up to 96 KiB for a JPEG whose size marker follows EXIF data).
 *
 * Sources: PNG IHDR (https://www.w3.org/TR/png/#11IHDR), GIF89a logical screen descriptor, WebP container
 * (https://developers.google.com/speed/webp/docs/riff_container), JPEG SOFn markers (ITU T.81 B.2.2).
 *
 * @module
 */

/** Width and height in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

const MAX_HEADER_BYTES = 96 * 1024;

function decodePrefix(base64: string, bytes: number): Uint8Array | undefined {
  const chars = Math.min(base64.length - (base64.length % 4), Math.ceil(bytes / 3) * 4);
  try {
    const text = atob(base64.slice(0, chars));
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const be16 = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const le16 = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const be32 = (b: Uint8Array, i: number): number => be16(b, i) * 65536 + be16(b, i + 2);
const le24 = (b: Uint8Array, i: number): number => le16(b, i) + (b[i + 2] ?? 0) * 65536;

function webpSize(b: Uint8Array): ImageSize | undefined {
  const kind = String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0);
  if (kind === 'VP8X') return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  if (kind === 'VP8L') {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8 ') return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  return undefined;
}

function jpegSize(b: Uint8Array): ImageSize | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { width: be16(b, i + 7), height: be16(b, i + 5) };
    i += 2 + be16(b, i + 2);
  }
  return undefined;
}

/** The size of a base64-encoded image, or undefined when the format is not recognised or the header is cut. */
export function imageSizeOf(base64: string): ImageSize | undefined {
  const head = decodePrefix(base64, 32);
  if (!head || head.length < 10) return undefined;
  let size: ImageSize | undefined;
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) {
    size = { width: be32(head, 16), height: be32(head, 20) };
  } else if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) {
    size = { width: le16(head, 6), height: le16(head, 8) };
  } else if (head[0] === 0x52 && head[1] === 0x49 && head[8] === 0x57 && head[9] === 0x45) {
    size = webpSize(head);
  } else if (head[0] === 0xff && head[1] === 0xd8) {
    const body = decodePrefix(base64, MAX_HEADER_BYTES);
    size = body ? jpegSize(body) : undefined;
  }
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}
