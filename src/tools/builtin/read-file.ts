import type { FileHandle } from 'node:fs/promises';
import { type Tool, tool } from '../tool.js';
import { realRoot } from './confine.js';
import { displayPath } from './display-name.js';
import { readCappedLines } from './line-reader.js';
import { openInsideRoot } from './open-inside-root.js';
import { type FileToolOptions, rootOf } from './options.js';
import { looksBinary, showLine } from './text-file.js';

/** Default number of lines `read_file` returns. */
export const READ_FILE_DEFAULT_LIMIT = 2000;
/** Longest line `read_file` shows, in characters. */
const MAX_LINE_CHARS = 2000;
/** Bytes of a line held in memory (enough for 2000 characters of any script); the rest is skipped. */
const MAX_LINE_BYTES = 4 * MAX_LINE_CHARS;
/** Most text `read_file` returns per call, in characters (the rest is reachable with `offset`). */
const MAX_READ_CHARS = 100_000;

/** Arguments of `read_file`. */
export interface ReadFileArgs {
  path: string;
  offset?: number;
  limit?: number;
}

/**
 * Reads lines `[offset, offset + limit)` (1-based) of an open text file by bytes, so memory stays bounded
 * on any file size and any line length. Output lines are numbered like `cat -n` (`     7\ttext`).
 */
async function readLines(
  handle: FileHandle,
  offset: number,
  limit: number,
  signal: AbortSignal,
): Promise<string> {
  const out: string[] = [];
  let number = 0;
  let chars = 0;
  let more = false;
  await readCappedLines(handle, { maxLineBytes: MAX_LINE_BYTES, signal }, (line) => {
    number++;
    if (number < offset) return true;
    if (out.length >= limit || chars >= MAX_READ_CHARS) {
      more = true;
      return false;
    }
    const shown = `${String(number).padStart(6)}\t${showLine(line, MAX_LINE_CHARS, MAX_LINE_BYTES)}`;
    out.push(shown);
    chars += shown.length + 1;
    return true;
  });
  if (out.length === 0) {
    return number < offset
      ? `The file has ${number} lines; offset ${offset} is past the end.`
      : '(empty file)';
  }
  const last = offset + out.length - 1;
  const tail = more
    ? `\n(lines ${offset}-${last} shown; more follow: call again with offset ${last + 1})`
    : '';
  return out.join('\n') + tail;
}

/**
 * The `read_file` tool: `{ path, offset?, limit? }`. `offset` is the 1-based line to start at (default 1),
 * `limit` the number of lines (default 2000). Output is line-numbered; lines are cut at 2000 characters
 * (only their first 8000 bytes are ever held in memory), NUL bytes are shown as `\0`, and one call returns
 * at most about 100,000 characters. Binary files, FIFOs, devices and paths outside the root are refused
 * with an error result (opened through `openInsideRoot`).
 */
export function readFileTool(options: FileToolOptions = {}): Tool<ReadFileArgs> {
  return tool<ReadFileArgs>({
    name: 'read_file',
    description:
      'Read a text file. Returns numbered lines. Use offset (1-based line number) and limit (number of lines) to page through long files.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working directory.' },
        offset: { type: 'integer', minimum: 1, description: 'First line to return (1-based). Default 1.' },
        limit: {
          type: 'integer',
          minimum: 1,
          description: `Number of lines. Default ${READ_FILE_DEFAULT_LIMIT}.`,
        },
      },
      required: ['path'],
      additionalProperties: false,
    },
    async execute({ args, signal }) {
      const root = await realRoot(rootOf(options));
      const opened = await openInsideRoot(root, args.path, 'read');
      try {
        if (await looksBinary(opened.handle)) {
          throw new Error(
            `${displayPath(args.path)} is a binary file (${opened.stats.size} bytes); it cannot be shown as text.`,
          );
        }
        return await readLines(
          opened.handle,
          args.offset ?? 1,
          args.limit ?? READ_FILE_DEFAULT_LIMIT,
          signal,
        );
      } finally {
        await opened.handle.close();
      }
    },
  });
}
