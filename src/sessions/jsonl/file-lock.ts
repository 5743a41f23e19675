/**
 * A cross-process lock file: created with `O_EXCL` (mode 0600) holding `{ pid, host, at, nonce }`, removed on
 * release. A lock whose process is gone (same host) or that is older than `staleMs` is taken over.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Options of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Give up after this long, in ms. */
  timeoutMs: number;
  /** A lock older than this, in ms, is stale whoever holds it. */
  staleMs: number;
}

/** Why a lock could not be taken. */
export class LockTimeoutError extends Error {
  readonly code = 'ELOCKED';
  constructor(
    readonly lockPath: string,
    readonly holderPid: number | undefined,
  ) {
    super(`the lock ${lockPath} is held${holderPid === undefined ? '' : ` by process ${holderPid}`}`);
  }
}

interface LockContent {
  pid?: unknown;
  host?: unknown;
  at?: unknown;
  nonce?: unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseContent(text: string): LockContent | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

/** A writer fills its lock file within microseconds: an empty or unparsable lock older than this is dead. */
const UNWRITTEN_GRACE_MS = 1000;

/** True when the lock holding `text` may be taken over. */
async function isStale(lockPath: string, text: string, staleMs: number): Promise<boolean> {
  const content = parseContent(text);
  const now = Date.now();
  if (!content || typeof content.at !== 'number') {
    // Its writer died between create and write, or is writing right now.
    const modified = await stat(lockPath).then(
      (stats) => stats.mtimeMs,
      () => now,
    );
    return now - modified > UNWRITTEN_GRACE_MS;
  }
  if (now - content.at > staleMs) return true;
  return content.host === hostname() && typeof content.pid === 'number' && !isProcessAlive(content.pid);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Moves a stale lock aside; if someone else's fresh lock was moved instead, puts it back. */
async function breakStaleLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readText(aside);
  if (moved !== staleText) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}

/** Creates the lock file with `O_EXCL` (mode 0600) and writes its content; false when it exists. */
async function tryCreate(lockPath: string, text: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
  } catch (error) {
    await unlink(lockPath).catch(() => {});
    throw error;
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Takes the lock at `lockPath`, waiting (2 to 50 ms polls) while another live holder has it.
 * @returns a function that releases it (it removes the file only while it still holds this lock's nonce).
 * @throws LockTimeoutError after `timeoutMs`; the file system's error when the lock cannot be created.
 */
export async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions,
): Promise<() => Promise<void>> {
  const nonce = randomUUID();
  const text = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), nonce });
  const deadline = Date.now() + options.timeoutMs;
  let wait = 2;
  for (;;) {
    if (await tryCreate(lockPath, text)) {
      return async () => {
        if ((await readText(lockPath)) === text) await unlink(lockPath).catch(() => {});
      };
    }
    const held = await readText(lockPath);
    if (held !== undefined && (await isStale(lockPath, held, options.staleMs))) {
      await breakStaleLock(lockPath, held);
      continue;
    }
    if (Date.now() >= deadline) {
      const pid = held === undefined ? undefined : parseContent(held)?.pid;
      throw new LockTimeoutError(lockPath, typeof pid === 'number' ? pid : undefined);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}
