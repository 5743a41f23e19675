import { type Tool, tool } from '../tool.js';
import { realRoot } from './confine.js';
import { displayName } from './display-name.js';
import { openInsideRoot } from './open-inside-root.js';
import { type FileToolOptions, rootOf } from './options.js';
import { replaceContent } from './text-file.js';

/** Arguments of `write_file`. */
export interface WriteFileArgs {
  path: string;
  content: string;
}

/**
 * The `write_file` tool: `{ path, content }`. Creates or replaces a file inside the root (missing parent
 * directories are created, also inside the root). Opens through `openInsideRoot`, so directories, FIFOs,
 * devices, symlinks (final component), files with more than one hard link and paths outside the root
 * (even when swapped in while the call runs) are refused before a byte is written.
 */
export function writeFileTool(options: FileToolOptions = {}): Tool<WriteFileArgs> {
  return tool<WriteFileArgs>({
    name: 'write_file',
    description:
      'Create a file or replace its whole content. Parent directories are created. Prefer edit_file for small changes.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path, relative to the working directory.' },
        content: { type: 'string', description: 'The complete new content of the file.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
    executionMode: 'sequential',
    async execute({ args }) {
      const root = await realRoot(rootOf(options));
      const opened = await openInsideRoot(root, args.path, 'write');
      const bytes = Buffer.from(args.content, 'utf8');
      try {
        await replaceContent(opened.handle, bytes);
      } finally {
        await opened.handle.close();
      }
      return `${opened.created ? 'Created' : 'Replaced'} ${displayName(args.path)} (${bytes.length} bytes).`;
    },
  });
}
