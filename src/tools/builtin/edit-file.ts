import type { FileHandle } from 'node:fs/promises';
import { type Tool, tool } from '../tool.js';
import { realRoot } from './confine.js';
import { displayName, displayPath } from './display-name.js';
import { openInsideRoot } from './open-inside-root.js';
import { type FileToolOptions, rootOf } from './options.js';
import { replaceContent } from './text-file.js';

/** Largest file `edit_file` edits, in bytes. */
const MAX_EDIT_BYTES = 10 * 1024 * 1024;

/** Arguments of `edit_file`. */
export interface EditFileArgs {
  path: string;
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Reads the open file, replaces `old_string` and writes the result back through the same descriptor. */
async function edit(handle: FileHandle, args: EditFileArgs): Promise<string> {
  const text = await handle.readFile({ encoding: 'utf8' });
  const name = displayName(args.path);
  const count = occurrences(text, args.old_string);
  if (count === 0) {
    throw new Error(
      `old_string was not found in ${name}. Read the file again and copy the text exactly, whitespace included.`,
    );
  }
  if (count > 1 && args.replace_all !== true) {
    throw new Error(
      `old_string occurs ${count} times in ${name}. Include more surrounding text to make it unique, or pass replace_all: true.`,
    );
  }
  const updated =
    args.replace_all === true
      ? text.split(args.old_string).join(args.new_string)
      : text.replace(args.old_string, () => args.new_string);
  const bytes = Buffer.from(updated, 'utf8');
  await replaceContent(handle, bytes);
  return `Edited ${name}: ${count} replacement${count === 1 ? '' : 's'}.`;
}

/**
 * The `edit_file` tool: `{ path, old_string, new_string, replace_all? }`. Replaces an exact string in a
 * file inside the root. `old_string` must occur exactly once unless `replace_all` is true; otherwise the
 * model gets an error saying how many times it occurs. Opens through `openInsideRoot` (regular files with
 * one hard link, inside the root), and reads and writes the same verified descriptor.
 */
export function editFileTool(options: FileToolOptions = {}): Tool<EditFileArgs> {
  return tool<EditFileArgs>({
    name: 'edit_file',
    description:
      'Replace an exact string in a file. old_string must match the file exactly (whitespace included) and occur once, unless replace_all is true.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working directory.' },
        old_string: { type: 'string', minLength: 1, description: 'The exact text to replace.' },
        new_string: { type: 'string', description: 'The replacement text.' },
        replace_all: { type: 'boolean', description: 'Replace every occurrence. Default false.' },
      },
      required: ['path', 'old_string', 'new_string'],
      additionalProperties: false,
    },
    executionMode: 'sequential',
    async execute({ args }) {
      const root = await realRoot(rootOf(options));
      const opened = await openInsideRoot(root, args.path, 'edit');
      try {
        if (opened.stats.size > MAX_EDIT_BYTES)
          throw new Error(`${displayPath(args.path)} is too large to edit (${opened.stats.size} bytes).`);
        return await edit(opened.handle, args);
      } finally {
        await opened.handle.close();
      }
    },
  });
}
