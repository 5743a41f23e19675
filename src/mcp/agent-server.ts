/**
 * `createAgentMcpServer`: exposes agents as MCP tools `{ input: string }` on the official MCP server SDK
 * v2 (`@modelcontextprotocol/server`), over stdio or Streamable HTTP.
 *
 * @module
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { loadServerSdk } from './load-sdk.js';
import { type HttpServeOptions, type McpHttpServer, serveHttp } from './serve-http.js';
import type { ServedAgent } from './served-agent.js';

/** Options of {@link createAgentMcpServer}. */
export interface AgentMcpServerOptions {
  /** The agents to expose, one MCP tool each (see `servedAgent`). At least one; names unique. */
  agents: readonly ServedAgent[];
  /** Server name in `initialize`. @default 'open-agent' */
  name?: string;
  /** Server version in `initialize`. @default '0.1.0' */
  version?: string;
  /** Server `instructions` in `initialize`. */
  instructions?: string;
}

/** A configured agent server; start it with {@link AgentMcpServer.serveStdio} or {@link AgentMcpServer.listen}. */
export interface AgentMcpServer {
  /** Builds one `McpServer` instance with every agent registered (the SDK's per-request factory). */
  createServer(): Promise<McpServer>;
  /** Serves on this process's stdin/stdout until `close()` (or stdin ends). */
  serveStdio(): Promise<{ close(): Promise<void> }>;
  /** Serves Streamable HTTP at `/mcp` on 127.0.0.1 (see {@link HttpServeOptions}). */
  listen(options: HttpServeOptions): Promise<McpHttpServer>;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const INPUT_SCHEMA = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The request for the agent, in plain language.' } },
  required: ['input'],
} as const;

function check(options: AgentMcpServerOptions): void {
  if (options.agents.length === 0)
    throw new InvalidArgumentError('createAgentMcpServer needs at least one agent.', { argument: 'agents' });
  const seen = new Set<string>();
  for (const agent of options.agents) {
    if (!TOOL_NAME.test(agent.name))
      throw new InvalidArgumentError(
        `Agent name ${JSON.stringify(agent.name)} is not a valid MCP tool name (a-z, A-Z, 0-9, _ and -, 1 to 64).`,
        { argument: 'agents' },
      );
    if (seen.has(agent.name))
      throw new InvalidArgumentError(`Two agents are named "${agent.name}".`, { argument: 'agents' });
    seen.add(agent.name);
  }
}

/**
 * Exposes agents as MCP tools. Each call runs the agent once on `input` and returns its answer as text,
 * with `structuredContent` `{ text, stopReason, turns, usage, error? }`; a failed run is a result with
 * `isError`. While the agent works, `notifications/progress` are sent when the client passed a
 * `progressToken`. The client's cancellation aborts the run.
 *
 * @throws InvalidArgumentError when `agents` is empty or a name is invalid or repeated.
 * @throws McpSdkMissingError (when serving) if `@modelcontextprotocol/server` or `/node` is missing.
 */
export function createAgentMcpServer(options: AgentMcpServerOptions): AgentMcpServer {
  check(options);
  const createServer = async (): Promise<McpServer> => {
    const sdk = await loadServerSdk();
    const inputSchema = sdk.server.fromJsonSchema<{ input: string }>(INPUT_SCHEMA);
    return buildServer(sdk.server, options, inputSchema);
  };
  return {
    createServer,
    async serveStdio() {
      const sdk = await loadServerSdk();
      const server = await createServer();
      return sdk.stdio.serveStdio(() => server);
    },
    async listen(httpOptions) {
      const sdk = await loadServerSdk();
      const inputSchema = sdk.server.fromJsonSchema<{ input: string }>(INPUT_SCHEMA);
      const handler = sdk.server.createMcpHandler(() => buildServer(sdk.server, options, inputSchema));
      return serveHttp(sdk.node, handler, httpOptions);
    },
  };
}

type ServerSdk = Awaited<ReturnType<typeof loadServerSdk>>['server'];

function buildServer(
  sdk: ServerSdk,
  options: AgentMcpServerOptions,
  inputSchema: ReturnType<ServerSdk['fromJsonSchema']>,
): McpServer {
  const server = new sdk.McpServer(
    { name: options.name ?? 'open-agent', version: options.version ?? '0.1.0' },
    {
      capabilities: { tools: {} },
      ...(options.instructions !== undefined && { instructions: options.instructions }),
    },
  );
  for (const agent of options.agents) {
    server.registerTool(
      agent.name,
      { description: agent.description ?? `Ask the agent "${agent.name}".`, inputSchema },
      async (args, ctx) => {
        const token = ctx.mcpReq._meta?.progressToken;
        let step = 0;
        const progress = (message: string): void => {
          if (token === undefined) return;
          step += 1;
          void ctx.mcpReq
            .notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress: step, message },
            })
            .catch(() => undefined);
        };
        const input = (args as { input: string }).input;
        const result = await agent.run(input, { signal: ctx.mcpReq.signal, progress });
        return {
          content: [{ type: 'text' as const, text: result.text }],
          structuredContent: result.structured,
          ...(result.isError && { isError: true }),
        };
      },
    );
  }
  return server;
}
