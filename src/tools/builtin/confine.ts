import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SdkError, type SdkErrorOptions } from '../../errors/sdk-error.js';

/**
 * Why a built-in file tool refused a path:
 * - `outside`: it leaves the root (`..`, an absolute path elsewhere, a symlink pointing out, a final
 *   symlink, or a path that changed between the check and the open);
 * - `invalid`: empty, or contains a NUL byte;
 * - `missing`: it does not exist (reads and edits);
 * - `not-regular`: it is a FIFO, socket, device or other non-regular file;
 * - `directory`: a directory where a file is needed (or the reverse);
 * - `hard-link`: a write to an existing file that has more than one hard link (it may live outside).
 */
export type PathRefusedReason = 'outside' | 'invalid' | 'missing' | 'not-regular' | 'directory' | 'hard-link';

/** Fields of a {@link PathRefusedError}. */
export interface PathRefusedErrorOptions extends SdkErrorOptions {
  /** Why the path was refused. @default 'outside' */
  reason?: PathRefusedReason;
}

/**
 * A path a built-in tool refused (it leaves the tool's root directory, is malformed, or names something
 * the tool may not open). The message is written for the model: it says what was refused and what to send
 * instead. Tools surface it as an error result; `reason` tells programs which rule fired.
 */
export class PathRefusedError extends SdkError {
  static override readonly errorName: string = 'PathRefusedError';
  override readonly name: string = 'PathRefusedError';
  /** Which rule refused the path. */
  readonly reason: PathRefusedReason;

  constructor(message: string, options: PathRefusedErrorOptions = {}) {
    super(message, options);
    this.reason = options.reason ?? 'outside';
  }
}

/** True when `child` is `root` or lies under it (both absolute and normalized). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  // `relative` yields '..' or '../x' for anything outside, and an absolute path across drives (Windows).
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of the root directory (symlinks resolved), memoized per call site by the tools. */
export async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(resolve(root));
  } catch {
    throw new PathRefusedError(`The tool root ${JSON.stringify(root)} does not exist.`, {
      reason: 'missing',
    });
  }
}

/** The real path of the deepest existing ancestor of `path` (itself included), plus the missing rest. */
async function realAncestor(path: string): Promise<{ real: string; rest: string[] }> {
  const rest: string[] = [];
  let current = path;
  for (let depth = 0; depth < 4096; depth++) {
    try {
      return { real: await realpath(current), rest };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(current);
      if (parent === current) break;
      rest.unshift(current.slice(parent.length).replace(/^[\\/]+/, ''));
      current = parent;
    }
  }
  throw new PathRefusedError(`Cannot resolve ${JSON.stringify(path)}.`);
}

/** The refusal for a path that leaves `root` (also used when a path changed while it was being opened). */
export function outside(requested: string, root: string): PathRefusedError {
  return new PathRefusedError(
    `Access denied: ${JSON.stringify(requested)} is outside the allowed directory ${root}. ` +
      'Use a path relative to that directory (for example "src/index.ts"); ".." that leaves it, absolute paths elsewhere and symlinks pointing out are refused.',
  );
}

/** Options of {@link confinePath}. */
export interface ConfinePathOptions {
  /** The path must exist (reads). When false, missing trailing parts are allowed (writes). @default true */
  mustExist?: boolean;
}

/**
 * Resolves `requested` (relative to `root`, or absolute) to a real path inside `root`, or throws
 * {@link PathRefusedError}. Defeats `..`, absolute paths elsewhere, symlinks (anywhere on the path) that
 * point out of the root, sibling-prefix tricks (`/root-evil` for root `/root`: the check compares path
 * segments, not string prefixes) and NUL bytes.
 *
 * The check runs on real paths (`realpath`) both before and after resolving symlinks. It is a check of
 * names only: the tools then open through {@link openInsideRoot}, which verifies what was actually opened,
 * so a path swapped for a symlink between this check and the open is refused.
 *
 * @param root - The tool's root directory (its real path, see {@link realRoot}).
 * @returns The absolute real path (for a missing target: the real parent joined with the missing parts).
 */
export async function confinePath(
  root: string,
  requested: string,
  options: ConfinePathOptions = {},
): Promise<string> {
  if (typeof requested !== 'string' || requested.length === 0) {
    throw new PathRefusedError('The path is empty. Pass a file or directory path such as "." or "src".', {
      reason: 'invalid',
    });
  }
  if (requested.includes('\0')) {
    throw new PathRefusedError(`The path ${JSON.stringify(requested)} contains a NUL byte; it is refused.`, {
      reason: 'invalid',
    });
  }
  const candidate = resolve(root, requested);
  if (!isInside(root, candidate)) throw outside(requested, root);
  const { real, rest } = await realAncestor(candidate);
  if (!isInside(root, real)) throw outside(requested, root);
  if (rest.length === 0) return real;
  // The first missing part may still exist as a dangling symlink (realpath fails on it); writing through
  // it would create its target, wherever that is.
  if (await existsAsLink(join(real, rest[0] ?? ''))) throw outside(requested, root);
  if (options.mustExist !== false) {
    throw new PathRefusedError(
      `${JSON.stringify(requested)} does not exist. Use list_directory to see which files exist.`,
      { reason: 'missing' },
    );
  }
  const target = join(real, ...rest);
  if (!isInside(root, target)) throw outside(requested, root);
  return target;
}

async function existsAsLink(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
