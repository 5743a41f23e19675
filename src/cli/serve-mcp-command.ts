/**
 * `open-agent serve mcp`: serves the configured agent as an MCP tool, over stdio (`--stdio`) or
 * Streamable HTTP on loopback (`/mcp`, Host/Origin checks, bearer token).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ConfigFlags } from '../config/resolve-config.js';
import { createAgentMcpServer } from '../mcp/agent-server.js';
import { mcpServersFromConfig } from '../mcp/config.js';
import type { McpServerSource } from '../mcp/mcp-server.js';
import { DEFAULT_MCP_HTTP_PORT, type HttpServeOptions } from '../mcp/serve-http.js';
import { type ServedAgent, servedAgent } from '../mcp/served-agent.js';
import { builtinTools } from '../tools/builtin/index.js';
import { EXIT_CODES } from './exit-codes.js';
import { addModelOptions } from './model-options.js';
import { type ModelSettings, requestOptionsOf, resolveModelSettings } from './model-settings.js';
import type { OutputSink } from './output.js';
import { DEFAULT_MAX_TURNS } from './run-options.js';
import { addToolOptions, resolveToolSelection, type ToolFlags } from './tool-options.js';
import { UsageError } from './usage-error.js';

/** The flags of `serve mcp` as commander parsed them. */
export interface ServeMcpFlags extends ConfigFlags, ToolFlags {
  stdio?: boolean;
  port?: string;
  host?: string;
  tokenFile?: string;
  name?: string;
  description?: string;
  mcp?: string;
}

const stderr: OutputSink = { write: (text) => void process.stderr.write(text) };
const HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;

function httpOptions(flags: ServeMcpFlags): HttpServeOptions {
  const port = flags.port === undefined ? DEFAULT_MCP_HTTP_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(flags.port)}`);
  const host = HOSTS.find((h) => h === (flags.host ?? '127.0.0.1'));
  if (!host)
    throw new UsageError(
      `--host must be a loopback address (${HOSTS.join(', ')}), got ${JSON.stringify(flags.host)}`,
    );
  let token: string | undefined;
  if (flags.tokenFile !== undefined) {
    try {
      token = readFileSync(flags.tokenFile, 'utf8').trim();
    } catch {
      throw new UsageError(`cannot read --token-file ${flags.tokenFile}`);
    }
    if (!token) throw new UsageError(`--token-file ${flags.tokenFile} is empty`);
  }
  return { port, host, ...(token !== undefined && { token }) };
}

/** The MCP servers of `--mcp FILE` (Claude Desktop / Cursor / VS Code JSON), connected to fail early. */
async function mcpSources(file: string | undefined): Promise<McpServerSource[]> {
  if (file === undefined) return [];
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read --mcp ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let sources: McpServerSource[];
  try {
    sources = mcpServersFromConfig(config);
  } catch (error) {
    throw new UsageError(`--mcp ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    for (const source of sources) {
      const tools = await source.listTools();
      stderr.write(`open-agent: MCP server "${source.name}": ${tools.length} tools\n`);
    }
  } catch (error) {
    await Promise.all(sources.map((s) => s.close()));
    throw error;
  }
  return sources;
}

function buildAgent(flags: ServeMcpFlags, settings: ModelSettings, sources: McpServerSource[]): ServedAgent {
  const { config } = settings;
  const selection = resolveToolSelection(flags, config.tools);
  return servedAgent(
    flags.name ?? 'agent',
    {
      model: settings.model,
      tools: builtinTools({ names: selection.names, root: selection.root }),
      maxTurns: config.maxTurns ?? DEFAULT_MAX_TURNS,
      ...(config.system !== undefined && { systemPrompt: config.system }),
      streamOptions: {
        ...(settings.apiKey !== undefined && { apiKey: settings.apiKey }),
        ...requestOptionsOf(config),
        ...(config.maxTokens !== undefined && { maxTokens: config.maxTokens }),
        ...(config.temperature !== undefined && { temperature: config.temperature }),
      },
    },
    {
      description:
        flags.description ?? `Ask an AI agent (model ${settings.model.id}) to do a task; it answers in text.`,
      toolSources: sources,
    },
  );
}

/** Serves until SIGINT/SIGTERM (or, over stdio, until stdin ends). */
async function serveUntilStopped(agent: ServedAgent, flags: ServeMcpFlags, model: string): Promise<void> {
  const server = createAgentMcpServer({ agents: [agent] });
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (flags.stdio) {
    const handle = await server.serveStdio();
    stderr.write(`open-agent: serving MCP tool "${agent.name}" on stdio (model ${model})\n`);
    await Promise.race([stop, new Promise<void>((resolve) => process.stdin.once('end', resolve))]);
    await handle.close();
    return;
  }
  const http = await server.listen(httpOptions(flags));
  stderr.write(`open-agent: serving MCP tool "${agent.name}" at ${http.url} (model ${model})\n`);
  if (flags.tokenFile === undefined)
    stderr.write(`open-agent: bearer token for this launch: ${http.token}\n`);
  await stop;
  await http.close();
}

async function serveAgent(flags: ServeMcpFlags): Promise<number> {
  if (!flags.stdio) httpOptions(flags); // bad --port/--host/--token-file: a usage error before anything starts
  const settings = await resolveModelSettings({
    flags,
    env: process.env,
    cwd: flags.cwd ?? process.cwd(),
    stderr,
  });
  const sources = await mcpSources(flags.mcp);
  try {
    await serveUntilStopped(buildAgent(flags, settings, sources), flags, settings.model.id);
    return EXIT_CODES.stop;
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** The `serve` command with its `mcp` subcommand. Sets `process.exitCode`. */
export function createServeCommand(): Command {
  const mcp = new Command('mcp')
    .description('serve the configured agent as an MCP tool ({ input } -> answer), over HTTP or stdio')
    .option('--stdio', 'speak MCP on stdin/stdout instead of HTTP')
    .option('--port <n>', `HTTP port (default ${DEFAULT_MCP_HTTP_PORT}; 0 picks a free one)`)
    .option('--host <addr>', 'loopback address to bind: 127.0.0.1 (default), localhost or ::1')
    .option(
      '--token-file <file>',
      'read the bearer token from this file (default: a random one, printed on stderr)',
    )
    .option('--name <tool>', 'MCP tool name of the agent (default: agent)')
    .option('--description <text>', 'MCP tool description of the agent')
    .option(
      '--mcp <file>',
      'give the agent the tools of these MCP servers (Claude Desktop / Cursor / VS Code JSON)',
    )
    .option('--system <text>', 'system prompt of the agent')
    .option('--max-turns <n>', `model calls allowed per request (default ${DEFAULT_MAX_TURNS})`);
  addModelOptions(mcp);
  addToolOptions(mcp);
  mcp.action(async (flags: ServeMcpFlags) => {
    try {
      process.exitCode = await serveAgent(flags);
    } catch (error) {
      if (!(error instanceof UsageError) && !(error instanceof Error && error.name === 'McpError'))
        throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.error;
    }
  });
  return new Command('serve').description('serve agents to other programs (MCP)').addCommand(mcp);
}
