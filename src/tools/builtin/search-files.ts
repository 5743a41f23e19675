import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Tool, tool } from '../tool.js';
import { realRoot } from './confine.js';
import { displayName } from './display-name.js';
import { globToRegExp } from './glob.js';
import { type CappedLine, readCappedLines } from './line-reader.js';
import { type OpenedInside, openInsideRoot } from './open-inside-root.js';
import { type FileToolOptions, rootOf } from './options.js';
import { RegexMatcher } from './regex-worker.js';
import { looksBinary, showLine } from './text-file.js';

/** Bounds that keep one search cheap on any tree. */
const LIMITS = {
  /** Matching lines returned. */
  matches: 200,
  /** Files opened. */
  files: 5000,
  /** Files larger than this are skipped (bytes). */
  fileBytes: 2 * 1024 * 1024,
  /** Lines are matched and shown up to this many characters (also bounds regex work per line). */
  lineChars: 500,
  /** Bytes of a line held in memory (enough for 500 characters of any script). */
  lineBytes: 2000,
  /** Lines (of several files) sent to the matching worker at once: one round trip per batch, not per file. */
  batchLines: 20_000,
} as const;

/** Directories never searched (at any depth): they are large and rarely what the model wants. */
export const SEARCH_SKIPPED_DIRS: readonly string[] = [
  '.git',
  'node_modules',
  '.hg',
  '.svn',
  'dist',
  '.venv',
  '__pycache__',
];
const SKIPPED_DIRS = new Set(SEARCH_SKIPPED_DIRS);

/** Arguments of `search_files`. */
export interface SearchFilesArgs {
  pattern: string;
  path?: string;
  glob?: string;
}

interface SearchState {
  root: string;
  matcher: RegexMatcher;
  glob: RegExp | undefined;
  matches: string[];
  files: number;
  truncated: boolean;
  signal: AbortSignal;
  /** Files read but not matched yet, in walk order, and their line count. */
  pending: { rel: string; lines: CappedLine[] }[];
  pendingLines: number;
}

/** Matches the pending files' lines in one worker round trip and records the hits in walk order. */
async function flush(state: SearchState): Promise<void> {
  const batch = state.pending;
  if (batch.length === 0) return;
  state.pending = [];
  state.pendingLines = 0;
  // The pattern runs in the worker, on each line's first 500 characters.
  const texts = batch.flatMap((file) => file.lines.map((line) => line.text.slice(0, LIMITS.lineChars)));
  const hits = await state.matcher.match(texts);
  let fileIndex = 0;
  let offset = 0;
  for (const hit of hits) {
    while (hit >= offset + (batch[fileIndex]?.lines.length ?? Number.POSITIVE_INFINITY)) {
      offset += batch[fileIndex]?.lines.length ?? 0;
      fileIndex++;
    }
    const file = batch[fileIndex];
    const line = file?.lines[hit - offset];
    if (file === undefined || line === undefined) continue;
    if (state.matches.length >= LIMITS.matches) {
      state.truncated = true;
      return;
    }
    state.matches.push(
      `${file.rel}:${hit - offset + 1}: ${showLine(line, LIMITS.lineChars, LIMITS.lineBytes)}`,
    );
  }
}

/** Searches one opened, verified file (the caller closes it). */
async function searchOpened(state: SearchState, opened: OpenedInside): Promise<void> {
  if (opened.stats.size > LIMITS.fileBytes || state.files >= LIMITS.files) return;
  state.files++;
  if (await looksBinary(opened.handle)) return;
  const lines: CappedLine[] = [];
  const chunkBytes = Math.min(65_536, Math.max(1, opened.stats.size));
  const reading = { maxLineBytes: LIMITS.lineBytes, chunkBytes, signal: state.signal };
  await readCappedLines(opened.handle, reading, (line) => {
    // One character past the shown ones is kept, so the cut is still marked; the rest is dropped now.
    lines.push({ ...line, text: line.text.slice(0, LIMITS.lineChars + 1) });
    return true;
  });
  state.pending.push({ rel: displayName(relative(state.root, opened.path).split(sep).join('/')), lines });
  state.pendingLines += lines.length;
  if (state.pendingLines >= LIMITS.batchLines) await flush(state);
}

async function searchFile(state: SearchState, path: string): Promise<void> {
  const rel = relative(state.root, path).split(sep).join('/');
  if (state.glob && !state.glob.test(rel)) return;
  let opened: OpenedInside;
  try {
    opened = await openInsideRoot(state.root, path, 'read', { resolved: true });
  } catch {
    return; // swapped, vanished or unreadable while walking: skipped, as readdir failures are
  }
  try {
    await searchOpened(state, opened);
  } finally {
    await opened.handle.close();
  }
}

/** Walks `dir` depth-first in name order; symbolic links and special files are not followed or read. */
async function walk(state: SearchState, dir: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable directories are skipped, not fatal
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (state.truncated || state.files >= LIMITS.files) return;
    state.signal.throwIfAborted();
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(state, path);
    } else if (entry.isFile()) {
      await searchFile(state, path);
    }
  }
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The pattern is not a valid regular expression (${reason}). Escape special characters such as ( [ { . * + ? with a backslash.`,
    );
  }
}

/** Runs the search from the opened starting point (a directory or a file). */
async function search(state: SearchState, start: OpenedInside): Promise<void> {
  if (start.stats.isDirectory()) {
    await start.handle.close();
    await walk(state, start.path);
  } else {
    try {
      await searchOpened(state, start); // a file named as the path is searched whatever the glob
    } finally {
      await start.handle.close();
    }
  }
  await flush(state);
}

/**
 * The `search_files` tool: `{ pattern, path?, glob? }`. Searches text files under `path` (default the root)
 * for a JavaScript regular expression, line by line, and returns `file:line: text`. Bounded: at most 200
 * matches, 5000 files, files up to 2 MiB, lines matched on their first 500 characters; the directories
 * of {@link SEARCH_SKIPPED_DIRS} (`.git`, `node_modules`, `.hg`, `.svn`, `dist`, `.venv`, `__pycache__`)
 * are skipped at any depth (a path that names one is searched), binary files, symbolic links, FIFOs and
 * devices are not read. `glob` is matched by picomatch ({@link globToRegExp}): `*`, `**`, `?`, `{a,b}`
 * and character classes (`[abc]`, `[0-9]`, `[!a]`). The pattern runs in a worker thread ({@link RegexMatcher}) that the call's signal terminates,
 * so a catastrophic pattern cannot block the process: the tool's timeout and aborts act as for any tool.
 * Names with control characters are shown as JSON strings, NUL bytes in lines as `\0`.
 */
export function searchFilesTool(options: FileToolOptions = {}): Tool<SearchFilesArgs> {
  return tool<SearchFilesArgs>({
    name: 'search_files',
    description: `Search text files for a regular expression (JavaScript syntax). Returns matching lines as path:line: text. Optional path (a directory or file) and glob (e.g. "*.ts", "src/**/*.md", "log[0-9].txt") narrow the search. These directories are skipped unless path names one: ${SEARCH_SKIPPED_DIRS.join(', ')}.`,
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Regular expression to look for in each line.' },
        path: { type: 'string', description: 'Directory or file to search. Default: the working directory.' },
        glob: {
          type: 'string',
          description:
            'Only search files whose path matches this glob: * ** ? {a,b} and character classes [abc] [0-9] [!a]. Without a slash it matches the file name in any directory.',
        },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
    async execute({ args, signal }) {
      const root = await realRoot(rootOf(options));
      const regex = compile(args.pattern);
      const glob = args.glob !== undefined && args.glob !== '' ? globToRegExp(args.glob) : undefined;
      const start = await openInsideRoot(root, args.path ?? '.', 'any');
      const matcher = new RegexMatcher(regex, signal);
      const state: SearchState = {
        ...{ root, matcher, glob, signal },
        ...{ matches: [], files: 0, truncated: false, pending: [], pendingLines: 0 },
      };
      try {
        await search(state, start);
      } finally {
        await matcher.close();
      }
      if (state.matches.length === 0) return `No matches for /${args.pattern}/ in ${state.files} files.`;
      const note = state.truncated
        ? `\n(stopped at ${LIMITS.matches} matches; narrow the pattern, path or glob)`
        : '';
      return state.matches.join('\n') + note;
    },
  });
}
