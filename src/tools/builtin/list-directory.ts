import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { type Tool, tool } from '../tool.js';
import { realRoot } from './confine.js';
import { displayName } from './display-name.js';
import { openInsideRoot } from './open-inside-root.js';
import { type FileToolOptions, rootOf } from './options.js';

/** Most entries `list_directory` shows. */
const MAX_ENTRIES = 1000;

/** Arguments of `list_directory`. */
export interface ListDirectoryArgs {
  path: string;
}

/**
 * The `list_directory` tool: `{ path }`. Lists the entries of a directory inside the root, sorted, one
 * per line; directories end with `/`, symbolic links with `@` (they are not followed). At most 1000 entries.
 * A name with a control character (a newline, ...) is shown as a JSON string, so it cannot pass for two.
 */
export function listDirectoryTool(options: FileToolOptions = {}): Tool<ListDirectoryArgs> {
  return tool<ListDirectoryArgs>({
    name: 'list_directory',
    description:
      'List the files and directories in a directory. Directories end with "/". Use "." for the working directory.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Directory path, relative to the working directory.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    async execute({ args }) {
      const root = await realRoot(rootOf(options));
      const opened = await openInsideRoot(root, args.path, 'directory');
      let entries: Dirent[];
      try {
        // The verified descriptor's path (Linux: /proc/self/fd/N) lists what was checked, even if the
        // name is swapped for a symlink meanwhile.
        entries = await readdir(opened.fdPath, { withFileTypes: true });
      } finally {
        await opened.handle.close();
      }
      const names = entries
        .map((e) => displayName(e.name) + (e.isDirectory() ? '/' : e.isSymbolicLink() ? '@' : ''))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (names.length === 0) return '(empty directory)';
      const shown = names.slice(0, MAX_ENTRIES).join('\n');
      return names.length > MAX_ENTRIES
        ? `${shown}\n(${names.length - MAX_ENTRIES} more entries not shown)`
        : shown;
    },
  });
}
