/**
 * Built-in tools for agents that work on local files (Node only, exported from `open-agent-sdk/node`):
 * `read_file`, `list_directory`, `search_files` (read-only), `write_file`, `edit_file` (write) and
 * `run_command` (runs programs). Every file tool is confined to a root directory and opens files only
 * through {@link openInsideRoot} (regular files, verified inside the root after opening).
 *
 * @module
 */
import type { Tool } from '../tool.js';
import { editFileTool } from './edit-file.js';
import { listDirectoryTool } from './list-directory.js';
import { readFileTool } from './read-file.js';
import { type RunCommandToolOptions, runCommandTool } from './run-command.js';
import { searchFilesTool } from './search-files.js';
import { writeFileTool } from './write-file.js';

/** Tools that only read. */
export const READ_ONLY_TOOL_NAMES = ['read_file', 'list_directory', 'search_files'] as const;
/** Tools that change files. */
export const WRITE_TOOL_NAMES = ['write_file', 'edit_file'] as const;
/** Tools that run programs. */
export const COMMAND_TOOL_NAMES = ['run_command'] as const;
/** Every built-in tool name. */
export const BUILTIN_TOOL_NAMES = [
  ...READ_ONLY_TOOL_NAMES,
  ...WRITE_TOOL_NAMES,
  ...COMMAND_TOOL_NAMES,
] as const;

/** A built-in tool name. */
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** Options of {@link builtinTools}. */
export interface BuiltinToolsOptions extends RunCommandToolOptions {
  /** Which tools to build. @default the read-only ones */
  names?: readonly BuiltinToolName[];
}

/** True when `name` is a built-in tool name. */
export function isBuiltinToolName(name: string): name is BuiltinToolName {
  return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * Builds built-in tools, all confined to `options.root` (default: the working directory at call time).
 *
 * ```ts
 * const tools = builtinTools({ root: '/srv/project', names: ['read_file', 'search_files'] });
 * ```
 */
export function builtinTools(options: BuiltinToolsOptions = {}): Tool<unknown>[] {
  const names = options.names ?? READ_ONLY_TOOL_NAMES;
  const factories: Record<BuiltinToolName, () => Tool<unknown>> = {
    read_file: () => readFileTool(options),
    list_directory: () => listDirectoryTool(options),
    search_files: () => searchFilesTool(options),
    write_file: () => writeFileTool(options),
    edit_file: () => editFileTool(options),
    run_command: () => runCommandTool(options),
  };
  return [...new Set(names)].map((name) => factories[name]());
}

export {
  type CommandOutcome,
  type CommandRequest,
  CommandSpawner,
  DEFAULT_KILL_GRACE_MS,
  sharedCommandSpawner,
} from '../process/command-spawner.js';
export { childEnvironment, DEFAULT_CHILD_ENV_ALLOWLIST } from './child-environment.js';
export {
  confinePath,
  isInside,
  PathRefusedError,
  type PathRefusedErrorOptions,
  type PathRefusedReason,
  realRoot,
} from './confine.js';
export { displayName, displayPath, escapeNul } from './display-name.js';
export { type EditFileArgs, editFileTool } from './edit-file.js';
export { globToRegExp } from './glob.js';
export {
  type ByteSource,
  type CappedLine,
  type ReadCappedLinesOptions,
  readCappedLines,
  truncationMarker,
} from './line-reader.js';
export { type ListDirectoryArgs, listDirectoryTool } from './list-directory.js';
export {
  type OpenedInside,
  type OpenInsideMode,
  type OpenInsideOptions,
  openInsideRoot,
} from './open-inside-root.js';
export type { FileToolOptions } from './options.js';
export { READ_FILE_DEFAULT_LIMIT, type ReadFileArgs, readFileTool } from './read-file.js';
export { RegexMatcher } from './regex-worker.js';
export {
  DEFAULT_COMMAND_OUTPUT_BYTES,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RunCommandArgs,
  type RunCommandToolOptions,
  runCommandTool,
} from './run-command.js';
export { SEARCH_SKIPPED_DIRS, type SearchFilesArgs, searchFilesTool } from './search-files.js';
export { type WriteFileArgs, writeFileTool } from './write-file.js';
