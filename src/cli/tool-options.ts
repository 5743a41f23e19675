import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  BUILTIN_TOOL_NAMES,
  type BuiltinToolName,
  COMMAND_TOOL_NAMES,
  isBuiltinToolName,
  READ_ONLY_TOOL_NAMES,
  WRITE_TOOL_NAMES,
} from '../tools/builtin/index.js';
import type { Tool } from '../tools/tool.js';
import { activePlugins } from './plugins.js';
import { UsageError } from './usage-error.js';

/** The tool flags as commander parsed them (`tools` is `false` for `--no-tools`). */
export interface ToolFlags {
  tools?: string | false;
  cwd?: string;
  allowWrite?: boolean;
  allowCommands?: boolean;
  yes?: boolean;
}

/** Which built-in tools a command enables, where, and whether to ask before risky calls. */
export interface ToolSelection {
  names: BuiltinToolName[];
  /** Root of the file tools and working directory of commands (absolute). */
  root: string;
  /** Skip the approval prompt (`--yes`). */
  yes: boolean;
  /** Plugin tools enabled by name (`--tools` or the config file's `tools`), in the order named. */
  plugins?: Tool<unknown>[];
}

/** Adds `--tools`, `--no-tools`, `--cwd`, `--allow-write`, `--allow-commands` and `--yes`. */
export function addToolOptions(command: Command): Command {
  return command
    .option(
      '--tools <list>',
      `comma-separated built-in tools (${BUILTIN_TOOL_NAMES.join(', ')}) and plugin tools; default: the read-only built-in ones`,
    )
    .option('--no-tools', 'send no tools')
    .option(
      '--cwd <dir>',
      'directory the tools work in (and where open-agent.config.yaml is looked up); default: the current directory',
    )
    .option('--allow-write', 'enable write_file and edit_file (asks before each call on a terminal)')
    .option('--allow-commands', 'enable run_command (asks before each call on a terminal)')
    .option('--yes', 'do not ask before write and command tool calls');
}

/** The directory of `--cwd` (absolute), checked to exist. */
export function workingDirectory(cwd: string | undefined): string {
  const dir = resolve(cwd ?? process.cwd());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--cwd ${JSON.stringify(cwd)} is not a directory`);
  }
  return dir;
}

function parseList(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * The enabled tools: none for `--no-tools`; the `--tools` list (else the config file's `tools`), where a
 * name is a built-in tool or one of `pluginTools`; else the read-only tools plus the write tools with
 * `--allow-write` and `run_command` with `--allow-commands` (plugin tools only when named).
 *
 * @param pluginTools - tools added by plugins, by name. @default the loaded plugins' ({@link activePlugins})
 * @throws {UsageError} for an unknown name, or a write/command tool without its `--allow-*` flag.
 */
export function resolveToolSelection(
  flags: ToolFlags,
  configTools: string[] | undefined,
  pluginTools: ReadonlyMap<string, Tool<unknown>> = activePlugins().tools,
): ToolSelection {
  const root = workingDirectory(flags.cwd);
  const yes = flags.yes === true;
  if (flags.tools === false) return { names: [], root, yes };
  const requested = typeof flags.tools === 'string' ? parseList(flags.tools) : configTools;
  const source = typeof flags.tools === 'string' ? '--tools' : 'the config file';
  if (requested === undefined) {
    const names: BuiltinToolName[] = [...READ_ONLY_TOOL_NAMES];
    if (flags.allowWrite) names.push(...WRITE_TOOL_NAMES);
    if (flags.allowCommands) names.push(...COMMAND_TOOL_NAMES);
    return { names, root, yes };
  }
  const names: BuiltinToolName[] = [];
  const plugins: Tool<unknown>[] = [];
  for (const name of requested) {
    const fromPlugin = pluginTools.get(name);
    if (fromPlugin !== undefined) {
      if (!plugins.includes(fromPlugin)) plugins.push(fromPlugin);
      continue;
    }
    if (!isBuiltinToolName(name)) {
      const known = [...BUILTIN_TOOL_NAMES, ...pluginTools.keys()].join(', ');
      throw new UsageError(`unknown tool ${JSON.stringify(name)} in ${source}; known: ${known}`);
    }
    if ((WRITE_TOOL_NAMES as readonly string[]).includes(name) && !flags.allowWrite) {
      throw new UsageError(`${name} changes files: add --allow-write to enable it`);
    }
    if ((COMMAND_TOOL_NAMES as readonly string[]).includes(name) && !flags.allowCommands) {
      throw new UsageError(`${name} runs programs: add --allow-commands to enable it`);
    }
    if (!names.includes(name)) names.push(name);
  }
  return { names, root, yes, ...(plugins.length > 0 && { plugins }) };
}
