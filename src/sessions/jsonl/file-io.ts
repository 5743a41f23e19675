/**
 * Small file helpers for the JSONL store: ranged reads, complete writes, directory fsync, and mapping
 * failures to `SessionStoreError`.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { SessionStoreError, type SessionStoreErrorOptions } from '../../errors/session-store-error.js';
import { LockTimeoutError } from './file-lock.js';
import { LogFormatError } from './log-format.js';

/** Reads bytes `[start, end)` of an open file. */
export async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Writes all of `bytes` at the handle's position (the end, for an `O_APPEND` handle): one `write` normally. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, null);
    written += result.bytesWritten;
  }
}

/** `fsync`s a directory so a created, renamed or removed entry is durable. No-op where unsupported. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `text` to a fresh temp file beside `path`, `fsync`s it and renames it over `path`. */
export async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${randomUUID()}`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await writeAll(handle, bytes);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

const HINTS: Record<string, string> = {
  EACCES: 'check the permissions of the sessions directory',
  EPERM: 'check the permissions of the sessions directory',
  ENOSPC: 'the disk is full; free space and retry with the same operationId',
  EDQUOT: 'the disk quota is exceeded; free space and retry with the same operationId',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files; retry later',
};

/** Maps a failure inside the JSONL store to a `SessionStoreError` (paths only, never file contents). */
export function storeError(
  error: unknown,
  operation: SessionStoreErrorOptions['operation'],
  sessionId: string,
  file: string,
): SessionStoreError {
  if (SessionStoreError.isInstance(error)) return error;
  const where = `session ${JSON.stringify(sessionId)} (${file})`;
  if (error instanceof LogFormatError) {
    return new SessionStoreError(`Cannot ${operation} ${where}: ${error.message}.`, {
      operation,
      sessionId,
      code: error.code,
    });
  }
  if (error instanceof LockTimeoutError) {
    return new SessionStoreError(
      `Cannot ${operation} ${where}: ${error.message} and was not released in time. If no process is ` +
        `writing this session, delete ${error.lockPath}.`,
      { operation, sessionId, code: error.code, cause: error },
    );
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint = code === undefined ? undefined : HINTS[code];
  const reason = error instanceof Error ? error.message : String(error);
  return new SessionStoreError(`Cannot ${operation} ${where}: ${reason}${hint ? ` (${hint})` : ''}.`, {
    operation,
    sessionId,
    ...(code === undefined ? {} : { code }),
    cause: error,
  });
}
