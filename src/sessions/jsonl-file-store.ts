/**
 * `JsonlFileStore`: the durable session store with no native module. Node-only (`open-agent-sdk/node`).
 * The file format is described in `jsonl/log-format.ts` and docs/sessions.md.
 */
import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionConflictError } from '../errors/session-conflict-error.js';
import { readRange, replaceFile, storeError, syncDirectory, writeAll } from './jsonl/file-io.js';
import { acquireFileLock } from './jsonl/file-lock.js';
import { SESSION_FILE_EXTENSION, sessionFileName, sessionIdFromFileName } from './jsonl/file-name.js';
import {
  appendLine,
  applyBytes,
  emptyLogState,
  headerLine,
  LogFormatError,
  type LogSink,
  type LogState,
  rewriteLines,
} from './jsonl/log-format.js';
import type {
  SessionAppendOptions,
  SessionAppendResult,
  SessionItem,
  SessionLoad,
  SessionRewriteOptions,
  SessionStore,
} from './store.js';
import {
  checkAfterSeq,
  checkAppendOptions,
  checkRewriteOptions,
  checkSessionId,
  checkSessionItems,
  conflictError,
  encodeItems,
} from './validate.js';

/** Options of {@link JsonlFileStore}. */
export interface JsonlFileStoreOptions {
  /** Directory holding one `<encoded id>.jsonl` file per session; created with mode 0700 when missing. */
  directory: string;
  /**
   * How long a write waits for another writer's lock on the same session, in ms.
   * @default 10000
   */
  lockTimeoutMs?: number;
  /**
   * A lock older than this, in ms, is taken over even when its process looks alive (locks are held only for
   * one write). A lock whose process is gone (same host) is taken over at once.
   * @default 30000
   */
  staleLockMs?: number;
}

/** What the store remembers about a file between writes, so an append reads only the bytes added since. */
interface CachedFile {
  ino: number;
  state: LogState;
}

interface FullRead {
  state: LogState;
  sink: LogSink;
}

/**
 * A {@link SessionStore} of JSONL files, one per session, the durable default on Node.
 *
 * Guarantees: an append is one line written with ONE `write` to an `O_APPEND` file followed by ONE `fsync`
 * (the first append of a session also `fsync`s the directory), so once `append` resolves the items survive a
 * crash or power loss, and a crash mid-append leaves at most a torn last line, which readers ignore and the
 * next writer truncates. Writers on one session are serialized by a lock file (`<file>.lock`, created with
 * `O_EXCL`, taken over when its process died), in this process and across processes on the same machine;
 * `expectedSeq` then detects a writer that moved the log. `rewrite` writes a temp file, `fsync`s it, renames it
 * over the log and `fsync`s the directory. Files are created with mode 0600, the directory with 0700. The first
 * line is a version header (`v: 1`); a file from a newer format is refused with a `SessionStoreError`
 * (`code: 'EVERSION'`); unknown fields and line types are kept.
 *
 * Not for network file systems whose `O_APPEND` or `link` are not atomic (some NFS setups).
 *
 * @example
 * ```ts
 * import { JsonlFileStore } from 'open-agent-sdk/node';
 * const store = new JsonlFileStore({ directory: '.sessions' });
 * const { lastSeq } = await store.load('chat-1');
 * await store.append('chat-1', [{ type: 'input', text: 'hi' }], { operationId: 'turn-1', expectedSeq: lastSeq });
 * ```
 */
export class JsonlFileStore implements SessionStore {
  /** The sessions directory. */
  readonly directory: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  readonly #files = new Map<string, CachedFile>();
  readonly #queues = new Map<string, Promise<void>>();
  #directoryReady: Promise<void> | undefined;

  constructor(options: JsonlFileStoreOptions) {
    this.directory = options.directory;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
  }

  /** The path of a session's file (it may not exist). */
  pathOf(sessionId: string): string {
    return join(this.directory, sessionFileName(checkSessionId(sessionId)));
  }

  /** {@inheritDoc SessionStore.load} */
  async load(sessionId: string, options?: { afterSeq?: number }): Promise<SessionLoad> {
    const path = this.pathOf(sessionId);
    const afterSeq = checkAfterSeq(options);
    return this.#serial(path, async () => {
      try {
        const { state, sink } = await this.#readFull(path, sessionId);
        const entries = sink.items
          .slice(afterSeq)
          .map((item, index) => ({ seq: afterSeq + index + 1, item }));
        return { entries, lastSeq: state.lastSeq };
      } catch (error) {
        throw storeError(error, 'load', sessionId, path);
      }
    });
  }

  /** {@inheritDoc SessionStore.append} */
  async append(
    sessionId: string,
    items: SessionItem[],
    options: SessionAppendOptions,
  ): Promise<SessionAppendResult> {
    const path = this.pathOf(sessionId);
    checkSessionItems(items);
    const { operationId, expectedSeq } = checkAppendOptions(options);
    const texts = encodeItems(items);
    return this.#locked(path, sessionId, 'append', async () => {
      const handle = await open(path, 'a+', 0o600);
      try {
        const state = await this.#catchUp(path, handle, await handle.stat());
        const previous = state.operations.get(operationId);
        if (previous !== undefined) return { lastSeq: previous, duplicate: true };
        if (expectedSeq !== undefined && expectedSeq !== state.lastSeq) {
          throw conflictError(sessionId, expectedSeq, state.lastSeq);
        }
        const isNew = state.header === undefined;
        const header = isNew ? headerLine(sessionId) : '';
        const bytes = Buffer.from(header + appendLine(operationId, state.lastSeq + 1, texts));
        await this.#writeDurably(path, handle, state, bytes);
        if (isNew) {
          state.headerText = header.slice(0, -1);
          state.header = JSON.parse(state.headerText) as Record<string, unknown>;
          await syncDirectory(this.directory);
        }
        state.goodBytes += bytes.length;
        state.lastSeq += texts.length;
        state.operations.set(operationId, state.lastSeq);
        return { lastSeq: state.lastSeq, duplicate: false };
      } finally {
        await handle.close();
      }
    });
  }

  /** {@inheritDoc SessionStore.rewrite} */
  async rewrite(sessionId: string, options: SessionRewriteOptions): Promise<{ lastSeq: number }> {
    const path = this.pathOf(sessionId);
    const { expectedSeq, replacement } = checkRewriteOptions(options);
    const texts = encodeItems(replacement);
    return this.#locked(path, sessionId, 'rewrite', async () => {
      const { state, sink } = await this.#readFull(path, sessionId);
      if (expectedSeq !== state.lastSeq) throw conflictError(sessionId, expectedSeq, state.lastSeq);
      const header = state.header
        ? `${JSON.stringify({ ...state.header, fileId: randomUUID() })}\n`
        : headerLine(sessionId);
      const body = rewriteLines(state.operations, sink.unknownLines, texts);
      this.#files.delete(path);
      await replaceFile(path, Buffer.from(header + body));
      await syncDirectory(this.directory);
      return { lastSeq: texts.length };
    });
  }

  /** {@inheritDoc SessionStore.delete} */
  async delete(sessionId: string): Promise<void> {
    const path = this.pathOf(sessionId);
    await this.#locked(path, sessionId, 'delete', async () => {
      this.#files.delete(path);
      try {
        await unlink(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      await syncDirectory(this.directory);
    });
  }

  /**
   * The ids of the sessions in the directory, sorted (reads the header of files named by a hash).
   * @throws SessionStoreError when the directory cannot be read.
   */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw storeError(error, 'load', '*', this.directory);
    }
    const ids: string[] = [];
    for (const name of names.filter((entry) => entry.endsWith(SESSION_FILE_EXTENSION))) {
      const id = sessionIdFromFileName(name) ?? (await this.#headerSessionId(join(this.directory, name)));
      if (id !== undefined) ids.push(id);
    }
    return ids.sort();
  }

  /** Waits for this store's pending calls and forgets its caches. Holds nothing between calls. Idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
    this.#files.clear();
  }

  async #headerSessionId(path: string): Promise<string | undefined> {
    try {
      const handle = await open(path, 'r');
      try {
        const bytes = await readRange(handle, 0, 4096);
        const line = bytes.toString('utf8').split('\n', 1)[0] ?? '';
        const header = JSON.parse(line) as { sessionId?: unknown };
        return typeof header.sessionId === 'string' ? header.sessionId : undefined;
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
  }

  /** Writes `bytes` after the good bytes (truncating a torn tail first) and `fsync`s; undoes a partial write. */
  async #writeDurably(path: string, handle: FileHandle, state: LogState, bytes: Uint8Array): Promise<void> {
    const { size } = await handle.stat();
    if (size > state.goodBytes) await handle.truncate(state.goodBytes);
    try {
      await writeAll(handle, bytes);
      await handle.sync();
    } catch (error) {
      this.#files.delete(path);
      await handle.truncate(state.goodBytes).catch(() => {});
      throw error;
    }
  }

  /** Reads the whole file (an absent file is an empty session) and refreshes the cache. */
  async #readFull(path: string, sessionId: string): Promise<FullRead> {
    const state = emptyLogState();
    const sink: LogSink = { items: [], unknownLines: [] };
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state, sink };
      throw error;
    }
    try {
      const stats = await handle.stat();
      applyBytes(state, await readRange(handle, 0, stats.size), sink);
      if (state.header && state.header.sessionId !== sessionId) {
        throw new LogFormatError('its header names another session', 'ECORRUPT');
      }
      this.#files.set(path, { ino: stats.ino, state });
      return { state, sink };
    } catch (error) {
      this.#files.delete(path);
      throw error;
    } finally {
      await handle.close();
    }
  }

  /** The file's state, reading only the bytes appended since the cached state when the cache is valid. */
  async #catchUp(path: string, handle: FileHandle, stats: Stats): Promise<LogState> {
    const cached = this.#files.get(path);
    let state = emptyLogState();
    if (cached && cached.ino === stats.ino && stats.size >= cached.state.goodBytes) {
      const headerText = cached.state.headerText;
      const headerBytes = headerText === undefined ? 0 : Buffer.byteLength(headerText);
      const onDisk = await readRange(handle, 0, headerBytes);
      if (headerText === undefined || onDisk.toString('utf8') === headerText) state = cached.state;
    }
    try {
      applyBytes(state, await readRange(handle, state.goodBytes, stats.size));
    } catch (error) {
      this.#files.delete(path);
      throw error;
    }
    this.#files.set(path, { ino: stats.ino, state });
    return state;
  }

  /** Runs `task` after this store's earlier calls on the same file, under the file's cross-process lock. */
  async #locked<T>(
    path: string,
    sessionId: string,
    operation: 'append' | 'rewrite' | 'delete',
    task: () => Promise<T>,
  ): Promise<T> {
    return this.#serial(path, async () => {
      try {
        await this.#ensureDirectory();
        const release = await acquireFileLock(`${path}.lock`, {
          timeoutMs: this.#lockTimeoutMs,
          staleMs: this.#staleLockMs,
        });
        try {
          return await task();
        } finally {
          await release();
        }
      } catch (error) {
        if (SessionConflictError.isInstance(error)) throw error;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.#directoryReady = undefined; // removed?
        throw storeError(error, operation, sessionId, path);
      }
    });
  }

  #ensureDirectory(): Promise<void> {
    this.#directoryReady ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(
      () => {},
      (error: unknown) => {
        this.#directoryReady = undefined;
        throw error;
      },
    );
    return this.#directoryReady;
  }

  #serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => {},
      () => {},
    );
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return run;
  }
}
