import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { UsageError } from './usage-error.js';

/** The API key flags: `--api-key KEY`, `--api-key -` (first line of stdin) and `--api-key-file PATH`. */
export interface ApiKeyFlags {
  apiKey?: string;
  apiKeyFile?: string;
}

/** Largest key file or stdin key line read, in bytes. */
export const API_KEY_MAX_BYTES = 16 * 1024;

/** The title the CLI takes when a key was given in argv, so `/proc/PID/cmdline` stops showing it. */
const SCRUBBED_TITLE = 'open-agent';

/** Reads up to `max` bytes of `fd` one at a time until a newline; waits out EAGAIN on a non-blocking pipe. */
function readLineSync(fd: number, max: number): string {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (bytes.length < max) {
    let n: number;
    try {
      n = readSync(fd, one, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 10);
      continue;
    }
    if (n === 0 || one[0] === 0x0a) break;
    bytes.push(one[0] as number);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Reads a key file: a regular file (no FIFO or device), at most {@link API_KEY_MAX_BYTES}. */
function readKeyFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`--api-key-file: cannot open ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`--api-key-file: ${path} is not a regular file`);
    if (stat.size > API_KEY_MAX_BYTES)
      throw new UsageError(`--api-key-file: ${path} is larger than ${API_KEY_MAX_BYTES} bytes`);
    const buffer = Buffer.alloc(stat.size);
    const n = readSync(fd, buffer, 0, stat.size, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Trims the key and checks it can go in an HTTP header (visible ASCII). Never quotes the key. */
function checkedKey(raw: string, source: string): string {
  const key = raw.trim();
  if (key === '') throw new UsageError(`${source}: the key is empty`);
  if (!/^[\x21-\x7e]+$/.test(key))
    throw new UsageError(`${source}: the key holds spaces, control or non-ASCII characters`);
  return key;
}

let stdinKey: string | undefined;

/**
 * The key the flags give, or undefined when none does.
 * - `--api-key KEY`: the key itself. It is visible to every local user in the process list while the CLI
 *   starts; the CLI then overwrites its command line (`process.title`) so `/proc/PID/cmdline` no longer
 *   shows it.
 * - `--api-key -`: the first line of stdin (read once, cached). The rest of stdin stays unread, so a
 *   piped prompt (`run -`, or `chat` lines) follows the key line. Refused when stdin is a terminal (the
 *   key would be echoed): use `--api-key-file` there.
 * - `--api-key-file PATH`: the file's content, trimmed; a regular file of at most 16 KiB.
 *
 * @throws {UsageError} when both flags are given, the file cannot be read, is not a regular file or is too
 *   large, stdin is a terminal, or the key is empty or not visible ASCII. The message never holds the key.
 */
export function apiKeyFromFlags(flags: ApiKeyFlags): string | undefined {
  if (flags.apiKey !== undefined && flags.apiKeyFile !== undefined)
    throw new UsageError('give either --api-key or --api-key-file, not both');
  if (flags.apiKeyFile !== undefined) return checkedKey(readKeyFile(flags.apiKeyFile), '--api-key-file');
  if (flags.apiKey === '-') {
    if (stdinKey === undefined) {
      if (isatty(0))
        throw new UsageError('--api-key -: stdin is a terminal; pipe the key in or use --api-key-file');
      stdinKey = checkedKey(readLineSync(0, API_KEY_MAX_BYTES), '--api-key - (stdin)');
    }
    return stdinKey;
  }
  if (flags.apiKey !== undefined) {
    process.title = SCRUBBED_TITLE;
    return checkedKey(flags.apiKey, '--api-key');
  }
  return undefined;
}
