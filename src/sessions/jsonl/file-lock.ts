/**
 * A cross-process lock file: created atomically (a private `O_EXCL` file, mode 0600, then `link`) holding `{ pid, host, at, nonce }`, removed on
 * release. A lock whose process is gone (same host) or that is older than `staleMs` is taken over.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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

/** True when the lock holding `text` may be taken over. */
function isStale(text: string, staleMs: number, now: number): boolean {
  const content = parseContent(text);
  // Locks appear with their whole content (see tryCreate): an unparsable one is not ours to respect.
  if (!content || typeof content.at !== 'number') return true;
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

/** Creates the lock with its whole content at once: write a private file, then `link` it (atomic, `EEXIST`). */
async function tryCreate(lockPath: string, text: string, nonce: string): Promise<boolean> {
  const own = `${lockPath}.${nonce}`;
  await writeFile(own, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(own, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(own).catch(() => {});
  }
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
    if (await tryCreate(lockPath, text, nonce)) {
      return async () => {
        if ((await readText(lockPath)) === text) await unlink(lockPath).catch(() => {});
      };
    }
    const held = await readText(lockPath);
    if (held !== undefined && isStale(held, options.staleMs, Date.now())) {
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
