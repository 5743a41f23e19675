import type { ChildEnvOptions } from './child-env.js';
import type { HttpTarget, StdioTarget } from './connection.js';
import { type McpServerOptions, McpServerSource } from './mcp-server.js';

/** Options of {@link mcpServerStdio}. */
export interface McpServerStdioOptions extends McpServerOptions, ChildEnvOptions {
  /** The executable, run without a shell (e.g. `process.execPath`, `'uvx'`, an absolute path). */
  command: string;
  /** Its arguments. @default [] */
  args?: string[];
  /** Working directory. @default the current one */
  cwd?: string;
  /** The child's stderr (see {@link StdioTarget.stderr}). @default 'pipe' */
  stderr?: StdioTarget['stderr'];
  /** Receives the child's stderr text when `stderr` is `'pipe'`. */
  onStderr?: (text: string) => void;
}

/** Options of {@link mcpServerHttp}. */
export interface McpServerHttpOptions extends McpServerOptions {
  /** The MCP endpoint URL. */
  url: string | URL;
  /** Extra request headers (e.g. `{ Authorization: 'Bearer …' }`). */
  headers?: Record<string, string>;
  /** Transport choice. @default 'auto' (Streamable HTTP, then legacy SSE) */
  transport?: HttpTarget['transport'];
}

/**
 * An MCP server started as a child process over stdio, as a tool source. Nothing starts until the first
 * `connect()` or `listTools()`. The child gets only allow-listed environment variables (PATH, HOME, LANG,
 * ...; see `DEFAULT_CHILD_ENV_ALLOW_LIST`) plus `env` and the `inheritEnv` names: never the parent's API
 * keys unless you pass them.
 *
 * ```ts
 * const fs = mcpServerStdio({ name: 'fs', command: 'npx', args: ['@modelcontextprotocol/server-filesystem', dir] });
 * const tools = await fs.listTools(); // fs__read_text_file, ...
 * ```
 */
export function mcpServerStdio<Ctx = unknown>(options: McpServerStdioOptions): McpServerSource<Ctx> {
  const target: StdioTarget = {
    kind: 'stdio',
    command: options.command,
    ...(options.args && { args: options.args }),
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.env && { env: options.env }),
    ...(options.inheritEnv && { inheritEnv: options.inheritEnv }),
    ...(options.stderr && { stderr: options.stderr }),
    ...(options.onStderr && { onStderr: options.onStderr }),
  };
  return new McpServerSource<Ctx>(target, options);
}

/**
 * An MCP server reached over Streamable HTTP (falling back to the legacy HTTP+SSE transport), as a tool
 * source. Nothing is sent until the first `connect()` or `listTools()`.
 */
export function mcpServerHttp<Ctx = unknown>(options: McpServerHttpOptions): McpServerSource<Ctx> {
  const target: HttpTarget = {
    kind: 'http',
    url: options.url,
    ...(options.headers && { headers: options.headers }),
    ...(options.transport && { transport: options.transport }),
  };
  return new McpServerSource<Ctx>(target, options);
}
