import {
  type CommandOutcome,
  type CommandSpawner,
  DEFAULT_KILL_GRACE_MS,
  sharedCommandSpawner,
} from '../process/command-spawner.js';
import { type Tool, tool } from '../tool.js';
import { childEnvironment } from './child-environment.js';
import { realRoot } from './confine.js';
import { type FileToolOptions, rootOf } from './options.js';

/** Default time limit of one command, in ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
/** Default cap on a command's combined stdout and stderr, in bytes. */
export const DEFAULT_COMMAND_OUTPUT_BYTES = 64 * 1024;

/** Options of {@link runCommandTool}. */
export interface RunCommandToolOptions extends FileToolOptions {
  /**
   * Time limit per command in ms; then the command's whole process group gets SIGTERM, and SIGKILL
   * `killGraceMs` later. @default 60000
   */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when a command is stopped, in ms. @default 2000 */
  killGraceMs?: number;
  /**
   * Where commands are started. @default the process-wide spawner ({@link sharedCommandSpawner}), a
   * separate process with an empty environment: a command's parent never holds the caller's keys.
   */
  spawner?: CommandSpawner;
  /** Cap on the captured output (stdout and stderr together), in bytes. @default 65536 */
  maxOutputBytes?: number;
  /** Environment variable names passed through besides {@link DEFAULT_CHILD_ENV_ALLOWLIST}. @default [] */
  allowEnv?: readonly string[];
}

/** Arguments of `run_command`. */
export interface RunCommandArgs {
  command: string;
  args?: string[];
}

function describe(
  args: RunCommandArgs,
  outcome: CommandOutcome,
  timeoutMs: number,
): { text: string; failed: boolean } {
  const shown = [args.command, ...(args.args ?? [])].join(' ');
  const output = outcome.output + (outcome.truncated ? '\n[output truncated]' : '');
  if (outcome.error) {
    const code = outcome.error.code;
    const hint =
      code === 'ENOENT'
        ? ' (command not found on PATH; commands run without a shell, so pipes and builtins such as cd are not available)'
        : '';
    return {
      text: `Could not start ${JSON.stringify(args.command)}: ${outcome.error.message}${hint}`,
      failed: true,
    };
  }
  if (outcome.timedOut)
    return { text: `${shown} timed out after ${timeoutMs} ms and was stopped.\n${output}`, failed: true };
  if (outcome.signal !== null)
    return { text: `${shown} was killed by ${outcome.signal}.\n${output}`, failed: true };
  if (outcome.code !== 0)
    return { text: `${shown} exited with code ${outcome.code}.\n${output}`, failed: true };
  return { text: output === '' ? `${shown} succeeded (no output).` : output, failed: false };
}

/**
 * The `run_command` tool: `{ command, args? }`. Runs a program in the root directory without a shell (no
 * pipes, globbing or variable expansion: the arguments are passed as they are), with an environment
 * reduced to {@link childEnvironment}, a time limit and an output cap. A non-zero exit, a timeout or a
 * program that cannot start is an error result that includes the output.
 *
 * The program is started by a separate spawner process (see {@link CommandSpawner}), so its parent holds
 * no API key in its environment or argv, and it leads its own process group: on timeout, abort, when the
 * program exits leaving background jobs, and when the calling process ends, the whole group gets SIGTERM,
 * then SIGKILL after `killGraceMs`. A program that starts a new session (`setsid`) leaves the group and is
 * not tracked.
 */
export function runCommandTool(options: RunCommandToolOptions = {}): Tool<RunCommandArgs> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return tool<RunCommandArgs>({
    name: 'run_command',
    description:
      'Run a program with arguments in the working directory, without a shell (no pipes, redirections or globbing). Returns its output (stdout and stderr) and whether it failed.',
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', minLength: 1, description: 'Program name or path, e.g. "git" or "npm".' },
        args: { type: 'array', items: { type: 'string' }, description: 'Arguments, one per item.' },
      },
      required: ['command'],
      additionalProperties: false,
    },
    executionMode: 'sequential',
    // The tool enforces its own limit (and kills the process group); the engine's limit is a backstop.
    timeoutMs: timeoutMs + (options.killGraceMs ?? DEFAULT_KILL_GRACE_MS) + 3000,
    async execute({ args, signal }) {
      if (args.command.includes('\0') || (args.args ?? []).some((a) => a.includes('\0'))) {
        throw new Error('The command or an argument contains a NUL byte; it is refused.');
      }
      const cwd = await realRoot(rootOf(options));
      const spawner = options.spawner ?? sharedCommandSpawner();
      const outcome = await spawner.run(
        {
          command: args.command,
          args: args.args ?? [],
          cwd,
          env: childEnvironment(options.allowEnv ?? []),
          maxOutputBytes: options.maxOutputBytes ?? DEFAULT_COMMAND_OUTPUT_BYTES,
          timeoutMs,
          graceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
        },
        signal,
      );
      const { text, failed } = describe(args, outcome, timeoutMs);
      return { content: [{ type: 'text', text }], isError: failed };
    },
  });
}
