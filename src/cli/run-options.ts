import type { ConfigAgent } from '../config/config-schema.js';
import type { ConfigEnv, ConfigFlags } from '../config/resolve-config.js';
import type { Model, StreamOptions } from '../index.js';
import { agentNameOf } from './config-agent.js';
import { type ModelSettings, requestOptionsOf, resolveModelSettings } from './model-settings.js';
import type { OutputSink } from './output.js';
import { type SessionsEnv, sessionsDirectory } from './session-store.js';
import { resolveToolSelection, type ToolFlags, type ToolSelection } from './tool-options.js';
import { UsageError } from './usage-error.js';

export { apiKeyFor } from './model-settings.js';

/** The output formats of `open-agent run`. */
export const OUTPUT_FORMATS = ['text', 'json', 'stream-json'] as const;

/** How `open-agent run` prints the run. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Default of `--max-turns` (the agent loop's step cap). */
export const DEFAULT_MAX_TURNS = 20;

/** The flags of `open-agent run` as commander parsed them (strings, not yet validated). */
export interface RunFlags extends ConfigFlags, ToolFlags {
  output?: string;
  /** `--schema FILE.json`: a JSON Schema the answer must match. */
  schema?: string;
  /** `--session NAME`: load the conversation from this session and append the run to it. */
  session?: string;
  /** `--mcp FILE`: MCP servers (Claude Desktop / Cursor / VS Code JSON) whose tools the run offers. */
  mcp?: string;
  /** `--agent NAME`: run that agent of the config file's `agents`. */
  agent?: string;
  /** `--schema-repairs N`: repair turns after an answer that fails `--schema`. */
  schemaRepairs?: string;
}

/**
 * Where the prompt comes from: the positional argument, all of stdin, or the argument plus piped stdin
 * (`git diff | open-agent run "Summarize this diff"`).
 */
export type PromptSource =
  | { kind: 'argument'; text: string }
  | { kind: 'stdin' }
  | { kind: 'argument+stdin'; text: string };

/** Validated settings of one `open-agent run`. Holds the API key: never print it. */
export interface RunSettings {
  /** Where to read the prompt. */
  prompt: PromptSource;
  /** The model record (`provider` from `--provider`, else guessed from the base URL, else `custom`). */
  model: Model;
  /** API key to send, or undefined (then the library may use the preset's own key for the preset's origin). */
  apiKey: string | undefined;
  /** `--system` text, the context's system prompt. */
  systemPrompt: string | undefined;
  /** `--max-tokens`, a positive integer. */
  maxTokens: number | undefined;
  /** `--temperature`, in [0, 2]. */
  temperature: number | undefined;
  /** `--max-turns`, a positive integer. @default 20 */
  maxTurns: number;
  /** `--output`. @default 'text' */
  output: OutputFormat;
  /** Built-in tools to enable and their root. */
  tools: ToolSelection;
  /** Retries and time limits of each model call. */
  request: Pick<StreamOptions, 'retry' | 'timeouts' | 'maxConcurrentRequests'>;
  /** `--session NAME`, the session to continue (created when missing). */
  session: string | undefined;
  /** Where sessions are kept (`OPEN_AGENT_SESSIONS_DIR` > config `sessionsDir` > XDG data directory). */
  sessionsDir: string;
  /** `--mcp FILE`, the MCP servers file. */
  mcpFile: string | undefined;
  /** `mcpServers` of the config file (used when there is no `--mcp`). */
  mcpServers: Record<string, Record<string, unknown>> | undefined;
  /** `--agent NAME`, checked against the config file's `agents`. */
  agent?: string;
  /** The config file's `agents` (built when `agent` is set). */
  agents?: Record<string, ConfigAgent>;
  /** With `agent`: the flags that override the chosen agent (`--system`, `--tools`) or gate tools. */
  agentFlags?: ToolFlags & { system?: string };
}

/** What stdin is: a terminal, and a pipe or regular file that a prompt argument's text is joined with. */
export interface StdinKind {
  isTty: boolean;
  /** A FIFO (`cmd | open-agent run …`) or a regular file (`< file`). */
  piped: boolean;
}

/** Environment variables read by `open-agent run`. */
export type RunEnv = ConfigEnv & SessionsEnv;

/** Parses `--output` (shared by every command that prints a result). */
export function outputOf<T extends string>(value: string | undefined, formats: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const format = formats.find((f) => f === value);
  if (!format) {
    throw new UsageError(`--output must be one of ${formats.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return format;
}

/**
 * Where the prompt comes from: the positional argument; stdin for `-`, or when the argument is missing
 * and stdin is not a terminal; the argument plus stdin when both are given and stdin is a pipe or a file
 * (`stdinPiped`; a socket or an inherited open descriptor is not read, so nothing waits on it).
 *
 * @throws {UsageError} when there is no argument and stdin is a terminal.
 */
export function promptSourceOf(
  argument: string | undefined,
  stdinIsTty: boolean,
  stdinPiped = false,
): PromptSource {
  if (argument === '-') return { kind: 'stdin' };
  if (argument !== undefined && stdinPiped && !stdinIsTty) return { kind: 'argument+stdin', text: argument };
  if (argument !== undefined) return { kind: 'argument', text: argument };
  if (!stdinIsTty) return { kind: 'stdin' };
  throw new UsageError('no prompt given: pass it as the first argument, or "-" to read it from stdin');
}

/** The run-specific settings, given the resolved model. */
function runSettingsOf(
  settings: ModelSettings,
  argument: string | undefined,
  stdin: StdinKind,
  output: OutputFormat,
  tools: ToolSelection,
  extra: Pick<RunSettings, 'session' | 'sessionsDir' | 'mcpFile' | 'agent'>,
): RunSettings {
  const { config } = settings;
  const agent = agentNameOf(extra.agent, config.agents);
  return {
    ...extra,
    ...(agent !== undefined && { agent, agents: config.agents }),
    mcpServers: config.mcpServers,
    prompt: promptSourceOf(argument, stdin.isTty, stdin.piped),
    model: settings.model,
    apiKey: settings.apiKey,
    systemPrompt: config.system,
    maxTokens: config.maxTokens,
    temperature: config.temperature,
    maxTurns: config.maxTurns ?? DEFAULT_MAX_TURNS,
    output,
    tools,
    request: requestOptionsOf(config),
  };
}

/**
 * Validates the flags of `open-agent run` and resolves the model (flags > environment > config file >
 * preset; probing the local ports when nothing names a server).
 *
 * @throws {UsageError} with a one-line reason for a missing server or model, an unknown provider, tool or
 *   `--agent` name, or a value out of range.
 */
export async function resolveRunSettings(
  argument: string | undefined,
  flags: RunFlags,
  env: RunEnv,
  stdinIsTty: boolean | StdinKind,
  stderr: OutputSink = { write: () => undefined },
): Promise<RunSettings> {
  const stdin = typeof stdinIsTty === 'boolean' ? { isTty: stdinIsTty, piped: false } : stdinIsTty;
  const output = outputOf(flags.output, OUTPUT_FORMATS, 'text');
  promptSourceOf(argument, stdin.isTty, stdin.piped);
  const settings = await resolveModelSettings({ flags, env, cwd: flags.cwd ?? process.cwd(), stderr });
  const tools = resolveToolSelection(flags, settings.config.tools);
  const cwd = flags.cwd ?? process.cwd();
  const run = runSettingsOf(settings, argument, stdin, output, tools, {
    session: sessionNameOf(flags.session),
    sessionsDir: sessionsDirectory(env, settings.config.sessionsDir, cwd),
    mcpFile: flags.mcp,
    ...(flags.agent !== undefined && { agent: flags.agent }),
  });
  if (run.agent === undefined) return run;
  const { tools: t, allowWrite, allowCommands, system } = flags;
  return {
    ...run,
    agentFlags: {
      cwd: tools.root,
      ...(t !== undefined && { tools: t }),
      ...(allowWrite !== undefined && { allowWrite }),
      ...(allowCommands !== undefined && { allowCommands }),
      ...(system !== undefined && { system }),
    },
  };
}

/**
 * Checks a `--session` name: 1 to 256 characters without control characters (the store's id rule).
 * @throws {UsageError} for an empty name or one with control characters.
 */
export function sessionNameOf(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (name.length === 0 || name.length > 256 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new UsageError(
      `--session must be 1 to 256 characters without control characters, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
