/**
 * `open-agent ui`: the local dashboard. Serves a page on 127.0.0.1 (random port, Host/Origin checks, a
 * per-launch token in the printed URL) that shows the saved sessions and `--trace` files as runs and
 * timelines, chats with the config file's agents and decides pending tool calls. See docs/dashboard.md.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import type { AgentDefinition } from '../agent/definition.js';
import { defineAgent } from '../agent/definition.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { redactText } from '../http/redact.js';
import { agentsFromConfig } from '../multi/config-agents.js';
import {
  type BuiltinToolName,
  builtinTools,
  isBuiltinToolName,
  READ_ONLY_TOOL_NAMES,
} from '../tools/builtin/index.js';
import type { Tool } from '../tools/tool.js';
import { LiveRuns } from '../ui/live-runs.js';
import { startDashboard } from '../ui/server.js';
import { approvalTools } from './approval.js';
import { EXIT_CODES } from './exit-codes.js';
import { addModelOptions } from './model-options.js';
import { type ModelSettings, requestOptionsOf, resolveModelSettings } from './model-settings.js';
import { DEFAULT_MAX_TURNS } from './run-options.js';
import { sessionStore, sessionsDirectory } from './session-store.js';
import { UsageError } from './usage-error.js';

/** The flags of `ui` as commander parsed them. */
export interface UiFlags {
  port?: string;
  host?: string;
  open?: boolean;
  sessions?: string;
  trace?: string[];
  baseUrl?: string;
  model?: string;
  provider?: string;
  api?: string;
  apiKey?: string;
  apiKeyFile?: string;
  config?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function portOf(flag: string | undefined): number {
  if (flag === undefined) return 0;
  const port = Number(flag);
  if (!/^\d+$/.test(flag) || port > 65_535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(flag)}`);
  return port;
}

function toolsOf(names: readonly string[], root: string): Tool[] {
  for (const name of names)
    if (!isBuiltinToolName(name))
      throw new UsageError(`unknown tool ${JSON.stringify(name)} in the config file`);
  // Every write and command tool needs approval: the dashboard's approve button is the consent.
  return approvalTools(builtinTools({ names: names as BuiltinToolName[], root }));
}

/** The agents to chat with: the config file's `agents`, else one agent `agent` with the configured model. */
function agentsOf(settings: ModelSettings, root: string): Record<string, AgentDefinition> {
  const { config } = settings;
  if (config.agents !== undefined && Object.keys(config.agents).length > 0)
    return agentsFromConfig(config.agents, {
      model: (id) => (id === undefined ? settings.model : { ...settings.model, id }),
      tools: (names) => toolsOf(names, root),
    });
  return {
    agent: defineAgent({
      name: 'agent',
      model: settings.model,
      ...(config.system !== undefined && { instructions: config.system }),
      tools: toolsOf(config.tools ?? READ_ONLY_TOOL_NAMES, root),
    }),
  };
}

function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser opener: the printed URL is enough
    child.unref();
  } catch {
    // idem
  }
}

async function settingsOrNone(flags: UiFlags): Promise<{ settings?: ModelSettings; config: ResolvedConfig }> {
  const stderr = { write: (text: string) => void process.stderr.write(text) };
  try {
    const settings = await resolveModelSettings({ flags, env: process.env, cwd: process.cwd(), stderr });
    return { settings, config: settings.config };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`open-agent: chat is off (${redactText(error.message)}); runs and traces are still shown\n`);
    const config = resolveConfig({ flags: { ...(flags.config !== undefined && { config: flags.config }) } });
    return { config };
  }
}

async function serve(flags: UiFlags): Promise<number> {
  const port = portOf(flags.port);
  const host = flags.host ?? '127.0.0.1';
  const { settings, config } = await settingsOrNone(flags);
  const directory = flags.sessions ?? sessionsDirectory(process.env, config.sessionsDir);
  const store = sessionStore(directory);
  const root = process.cwd();
  const live = new LiveRuns({
    store,
    agents: settings ? agentsOf(settings, root) : {},
    runOptions: {
      maxTurns: config.maxTurns ?? DEFAULT_MAX_TURNS,
      streamOptions: {
        ...(settings?.apiKey !== undefined && { apiKey: settings.apiKey }),
        ...requestOptionsOf(config),
        ...(config.maxTokens !== undefined && { maxTokens: config.maxTokens }),
        ...(config.temperature !== undefined && { temperature: config.temperature }),
      },
    },
  });
  if (!LOOPBACK.has(host))
    process.stderr.write(
      `warning: --host ${host} serves the dashboard beyond this machine; anyone who gets the URL can read your sessions and run your agents\n`,
    );
  const server = await startDashboard({
    store,
    live,
    host,
    port,
    traceFiles: flags.trace ?? [],
    secrets: settings?.apiKey !== undefined ? [settings.apiKey] : [],
  });
  process.stdout.write(`open-agent dashboard: ${server.url}\n`);
  process.stderr.write(`open-agent: sessions from ${directory}; Ctrl-C stops\n`);
  const interactive = process.stdout.isTTY === true && !process.env.CI;
  if (flags.open !== false && interactive) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT_CODES.stop;
}

/** The `ui` command. Sets `process.exitCode` (2 for bad flags, 1 when the server cannot start). */
export function createUiCommand(): Command {
  const command = new Command('ui')
    .description('open the local dashboard: runs, traces and sessions, chat with agents, approve tool calls')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <address>', 'address to bind (default 127.0.0.1; another one serves beyond this machine)')
    .option('--no-open', 'do not open the browser (it never opens under CI or without a terminal)')
    .option('--sessions <dir>', 'sessions directory to read (default: as `open-agent sessions`)')
    .option('--trace <file...>', 'trace files (`run --trace FILE`) to show')
    .action(async (flags: UiFlags) => {
      try {
        process.exitCode = await serve(flags);
      } catch (error) {
        process.stderr.write(
          `error: ${redactText(error instanceof Error ? error.message : String(error))}\n`,
        );
        process.exitCode = error instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.error;
      }
    });
  addModelOptions(command);
  return command;
}
