import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ByteSource } from '../tools/builtin/line-reader.js';

/** Bytes at the start of a log (after decompression) checked for NUL bytes. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** The gzip magic number (RFC 1952, section 2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Whether the file starts with the gzip magic number (whatever its name). */
export async function isGzip(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * The decompressed bytes of a gzip file as a sequential {@link ByteSource}, streamed through
 * `zlib.createGunzip()` (concatenated members too): memory holds one decompressed chunk at a time, whatever
 * the file's size. A corrupt or truncated file rejects `read` with an {@link InvalidArgumentError}
 * (`argument: 'paths'`) naming `path` and zlib's reason.
 */
export function gunzipSource(handle: FileHandle, path: string): ByteSource & { close(): void } {
  const file = handle.createReadStream({ start: 0, autoClose: false });
  const stream = file.pipe(createGunzip());
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  let done = false;
  return {
    /** Stops both streams (before the handle closes); idempotent. */
    close() {
      file.unpipe(stream);
      file.destroy();
      stream.destroy();
    },
    async read(buffer, offset, length) {
      while (!done && (pending === undefined || pending.length === 0)) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new InvalidArgumentError(`${path} is not a valid gzip file (${reason})`, {
            argument: 'paths',
            cause: error,
          });
        }
        if (next.done) done = true;
        else pending = next.value;
      }
      if (pending === undefined || pending.length === 0) return { bytesRead: 0 };
      const n = pending.copy(buffer, offset, 0, Math.min(length, pending.length));
      pending = pending.subarray(n);
      return { bytesRead: n };
    },
  };
}

/**
 * Wraps a source so that a NUL byte in its first {@link BINARY_SNIFF_BYTES} bytes rejects the read with an
 * {@link InvalidArgumentError} (`argument: 'paths'`) naming the file: such a file is binary (an archive, a
 * core dump, a compressed format other than gzip), not a text log.
 */
export function refuseBinary(source: ByteSource, path: string, compressed: boolean): ByteSource {
  let checked = 0;
  return {
    async read(buffer, offset, length, position) {
      const result = await source.read(buffer, offset, length, position);
      if (checked < BINARY_SNIFF_BYTES && result.bytesRead > 0) {
        const end = Math.min(result.bytesRead, BINARY_SNIFF_BYTES - checked);
        if (buffer.subarray(offset, offset + end).includes(0)) {
          const what = compressed ? 'its decompressed content' : 'it';
          throw new InvalidArgumentError(
            `${path} looks binary (${what} has NUL bytes in the first 8 KiB), not a text log: pass text logs, or .gz files (other compressions such as .zst, .bz2 or .zip need decompressing first)`,
            { argument: 'paths' },
          );
        }
        checked += result.bytesRead;
      }
      return result;
    },
  };
}
