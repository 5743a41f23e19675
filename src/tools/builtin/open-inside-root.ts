import { constants, existsSync, type Stats } from 'node:fs';
import { type FileHandle, mkdir, open, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { confinePath, isInside, outside, PathRefusedError } from './confine.js';
import { displayPath } from './display-name.js';

/**
 * What the opened descriptor will be used for:
 * - `read`: an existing regular file, read only;
 * - `write`: a regular file created (with missing parent directories) or replaced, write only;
 * - `edit`: an existing regular file, read and written;
 * - `directory`: an existing directory (to list it);
 * - `any`: an existing regular file or directory, read only (`search_files`' starting point).
 */
export type OpenInsideMode = 'read' | 'write' | 'edit' | 'directory' | 'any';

/** A descriptor opened by {@link openInsideRoot}, verified to be inside the root. Close `handle` when done. */
export interface OpenedInside {
  /** The open descriptor. The caller owns it and must close it. */
  handle: FileHandle;
  /** The real path that was checked and opened (absolute). */
  path: string;
  /** `fstat` of the descriptor, taken after opening. */
  stats: Stats;
  /** True when `write` created the file. */
  created: boolean;
  /**
   * A path naming exactly the opened object: `/proc/self/fd/N` on Linux (so `readdir` lists the directory
   * that was verified, not whatever the name points to now), else `path`.
   */
  fdPath: string;
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;

/** Options of {@link openInsideRoot}. */
export interface OpenInsideOptions {
  /**
   * `requested` is an absolute path built from a real path inside the root and names from `readdir`
   * (`search_files`' walk): the name check of step 1 is skipped; steps 2 and 3 (open, verify) still run,
   * so a name swapped meanwhile is still refused. @default false
   */
  resolved?: boolean;
}

/** Linux exposes every descriptor's real path under /proc/self/fd; elsewhere dev+ino are compared. */
const PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

const FLAGS: Record<OpenInsideMode, number> = {
  read: O_RDONLY,
  any: O_RDONLY,
  directory: O_RDONLY | (O_DIRECTORY ?? 0),
  edit: O_RDWR,
  write: O_WRONLY,
};

/**
 * Opens `requested` (relative to `root`, or absolute) so that what is used is provably inside `root`:
 * the one path-safety mechanism of every built-in file tool.
 *
 * 1. {@link confinePath} checks the name (`..`, absolute paths elsewhere, symlinks pointing out, NUL).
 * 2. The file is opened with `O_NOFOLLOW` (a final symlink is never followed) and `O_NONBLOCK` (opening a
 *    FIFO or device never hangs). For `write` on Linux, every directory from the root down is opened
 *    relative to the previous one's descriptor (`/proc/self/fd/N/name`, an `openat` walk), so neither a
 *    missing directory nor the new file can be created outside the root even if a directory is swapped
 *    for a symlink meanwhile.
 * 3. The descriptor is checked with `fstat`: only a regular file (or a directory for `directory`/`any`)
 *    is accepted; a write to an existing file with more than one hard link is refused; and the
 *    descriptor's real path (`/proc/self/fd/N` on Linux; elsewhere `realpath` plus a dev+ino comparison)
 *    must be inside `root`. Only then is the handle returned.
 *
 * Not defended: bind mounts, and (outside Linux) a swap that is undone between the open and the re-check.
 *
 * @param root - The real path of the root directory (see `realRoot`).
 * @throws PathRefusedError with a `reason` and a message for the model; other file system errors as is.
 */
export async function openInsideRoot(
  root: string,
  requested: string,
  mode: OpenInsideMode,
  options: OpenInsideOptions = {},
): Promise<OpenedInside> {
  const path =
    options.resolved === true && isAbsolute(requested) && isInside(root, requested)
      ? requested
      : await confinePath(root, requested, { mustExist: mode !== 'write' });
  if (mode === 'write' && path === root) {
    throw new PathRefusedError(`${displayPath(requested)} is the root directory; pass a file path.`, {
      reason: 'directory',
    });
  }
  let handle: FileHandle;
  let created = false;
  try {
    if (mode === 'write') ({ handle, created } = await openForWrite(root, path));
    else handle = await open(path, FLAGS[mode] | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    throw refusal(error, requested, root, mode);
  }
  try {
    const stats = await verify(root, requested, handle, path, mode, created);
    return { handle, path, stats, created, fdPath: PROC_FD ? `/proc/self/fd/${handle.fd}` : path };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Opens (creating if missing) `path` for writing; see {@link openInsideRoot} step 2. */
async function openForWrite(root: string, path: string): Promise<{ handle: FileHandle; created: boolean }> {
  const flags = O_WRONLY | O_NOFOLLOW | O_NONBLOCK;
  if (!PROC_FD) {
    await mkdir(dirname(path), { recursive: true });
    return openOrCreate(path, flags);
  }
  const parent = await openDirectoryChain(root, relative(root, dirname(path)));
  try {
    return await openOrCreate(`/proc/self/fd/${parent.fd}/${basename(path)}`, flags);
  } finally {
    await parent.close();
  }
}

/** Creates the file exclusively, or opens the existing one (never following a final symlink). */
async function openOrCreate(path: string, flags: number): Promise<{ handle: FileHandle; created: boolean }> {
  try {
    return { handle: await open(path, flags | O_CREAT | O_EXCL, 0o666), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { handle: await open(path, flags), created: false };
  }
}

/**
 * Opens `root/rel` one directory at a time, each relative to the previous descriptor and with
 * `O_NOFOLLOW`, creating missing directories inside the one just opened (Linux only).
 */
async function openDirectoryChain(root: string, rel: string): Promise<FileHandle> {
  const dirFlags = O_RDONLY | (O_DIRECTORY ?? 0) | O_NOFOLLOW | O_NONBLOCK;
  let current = await open(root, dirFlags);
  try {
    for (const part of rel === '' ? [] : rel.split(sep)) {
      const next = `/proc/self/fd/${current.fd}/${part}`;
      await mkdir(next).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      const opened = await open(next, dirFlags);
      await current.close();
      current = opened;
    }
    return current;
  } catch (error) {
    await current.close();
    throw error;
  }
}

/** Step 3 of {@link openInsideRoot}: what was opened is the right kind of object, inside the root. */
async function verify(
  root: string,
  requested: string,
  handle: FileHandle,
  path: string,
  mode: OpenInsideMode,
  created: boolean,
): Promise<Stats> {
  const stats = await handle.stat();
  const shown = displayPath(requested);
  if (stats.isDirectory() && mode !== 'directory' && mode !== 'any') {
    throw new PathRefusedError(
      `${shown} is a directory; use list_directory to see its entries, or pass a file path.`,
      {
        reason: 'directory',
      },
    );
  }
  if (!stats.isDirectory() && mode === 'directory') {
    throw new PathRefusedError(`${shown} is a file, not a directory; use read_file to read it.`, {
      reason: 'directory',
    });
  }
  if (!stats.isDirectory() && !stats.isFile()) throw notRegular(shown);
  if ((mode === 'write' || mode === 'edit') && !created && stats.nlink > 1) {
    throw new PathRefusedError(
      `${shown} has ${stats.nlink} hard links; writing to it could change a file outside the allowed directory, so it is refused.`,
      { reason: 'hard-link' },
    );
  }
  const real = await realpath(PROC_FD ? `/proc/self/fd/${handle.fd}` : path);
  if (!isInside(root, real)) throw outside(requested, root);
  if (!PROC_FD) {
    const again = await stat(real);
    if (again.dev !== stats.dev || again.ino !== stats.ino) throw outside(requested, root);
  }
  return stats;
}

function notRegular(shown: string): PathRefusedError {
  return new PathRefusedError(
    `${shown} is not a regular file (a FIFO, socket or device); only regular files and directories can be used.`,
    { reason: 'not-regular' },
  );
}

/** Maps an error of the open itself to a refusal the model can act on. */
function refusal(error: unknown, requested: string, root: string, mode: OpenInsideMode): unknown {
  if (PathRefusedError.isInstance(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const shown = displayPath(requested);
  // ELOOP: a final symlink (swapped in after the name check); ENOTDIR on the walk: a directory became a file or link.
  if (code === 'ELOOP' || (code === 'ENOTDIR' && mode === 'write')) return outside(requested, root);
  if (code === 'ENXIO' || code === 'ENODEV' || code === 'EOPNOTSUPP') return notRegular(shown);
  if (code === 'EISDIR') {
    return new PathRefusedError(
      `${shown} is a directory; use list_directory to see its entries, or pass a file path.`,
      { reason: 'directory' },
    );
  }
  if (code === 'ENOTDIR' && mode === 'directory') {
    return new PathRefusedError(`${shown} is a file, not a directory; use read_file to read it.`, {
      reason: 'directory',
    });
  }
  if (code === 'ENOENT') {
    return new PathRefusedError(`${shown} does not exist. Use list_directory to see which files exist.`, {
      reason: 'missing',
    });
  }
  return error;
}
