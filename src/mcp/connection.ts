/**
 * Opening a connection to one MCP server with the official SDK: spawns a stdio child (environment
 * allow-listed, stderr tail kept for errors) or connects over Streamable HTTP, falling back to the legacy
 * HTTP+SSE transport when the server predates Streamable HTTP (the SDK's documented fallback:
 * `docs/clients/connect.md`).
 *
 * @module
 */
import type { Client } from '@modelcontextprotocol/client';
import { AbortError } from '../errors/abort-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { type ChildEnvOptions, childEnvironment } from './child-env.js';
import { loadClientSdk } from './load-sdk.js';
import { McpError } from './mcp-error.js';

/** How to start a local MCP server as a child process speaking stdio. */
export interface StdioTarget extends ChildEnvOptions {
  kind: 'stdio';
  /** The executable (no shell is used). */
  command: string;
  /** Its arguments. @default [] */
  args?: string[];
  /** Working directory. @default the current one */
  cwd?: string;
  /**
   * The child's stderr: `'pipe'` keeps the last 4 KiB for error messages (and hands each chunk to
   * `onStderr`), `'inherit'` prints it to ours, `'ignore'` drops it. @default 'pipe'
   */
  stderr?: 'pipe' | 'inherit' | 'ignore';
  /** Receives the child's stderr text when `stderr` is `'pipe'`. */
  onStderr?: (text: string) => void;
}

/** How to reach a remote (or local) MCP server over HTTP. */
export interface HttpTarget {
  kind: 'http';
  /** The MCP endpoint, e.g. `http://127.0.0.1:3001/mcp`. */
  url: string | URL;
  /** Extra request headers (e.g. `Authorization`). Sent only to `url`'s origin. */
  headers?: Record<string, string>;
  /**
   * `'streamable-http'`, `'sse'` (legacy HTTP+SSE), or `'auto'`: Streamable HTTP first, then SSE when that
   * fails for a reason other than a timeout or an abort. @default 'auto'
   */
  transport?: 'auto' | 'streamable-http' | 'sse';
}

/** Where an MCP server is. */
export type McpTarget = StdioTarget | HttpTarget;

/** An open connection. */
export interface OpenConnection {
  client: Client;
  /** The transport used (`'stdio'`, `'streamable-http'` or `'sse'`). */
  transport: 'stdio' | 'streamable-http' | 'sse';
  /** The child's process id (stdio only). */
  pid: number | undefined;
}

const STDERR_TAIL_BYTES = 4096;

/** What `connect` needs besides the target. */
export interface ConnectArgs {
  server: string;
  target: McpTarget;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called on each new client before connecting (notification handlers). */
  prepare: (client: Client) => void;
}

/** Describes the target for messages (no header values, no env values). */
export function describeTarget(target: McpTarget): string {
  if (target.kind === 'stdio') return [target.command, ...(target.args ?? [])].join(' ');
  const url = new URL(String(target.url));
  url.username = '';
  url.password = '';
  url.search = '';
  return url.toString();
}

function failure(args: ConnectArgs, error: unknown, stderrTail: string): Error {
  const where = describeTarget(args.target);
  if (args.signal?.aborted) return new AbortError(`Connecting to MCP server "${args.server}" was aborted.`);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'REQUEST_TIMEOUT')
    return new TimeoutError(
      `MCP server "${args.server}" (${where}) did not finish connecting within ${args.timeoutMs} ms.`,
      { phase: 'connect', timeoutMs: args.timeoutMs, cause: error },
    );
  const reason = error instanceof Error ? error.message : String(error);
  const tail = stderrTail.trim() ? `\nServer stderr (last lines):\n${stderrTail.trim()}` : '';
  return new McpError(`Could not connect to MCP server "${args.server}" (${where}): ${reason}${tail}`, {
    server: args.server,
    ...(typeof code === 'number' || typeof code === 'string' ? { code } : {}),
    cause: error,
  });
}

async function connectStdio(args: ConnectArgs, target: StdioTarget): Promise<OpenConnection> {
  const sdk = await loadClientSdk();
  const mode = target.stderr ?? 'pipe';
  const transport = new sdk.stdio.StdioClientTransport({
    command: target.command,
    args: target.args ?? [],
    env: childEnvironment(target),
    ...(target.cwd !== undefined && { cwd: target.cwd }),
    stderr: mode,
  });
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-STDERR_TAIL_BYTES);
    target.onStderr?.(text);
  });
  const client = newClient(sdk.client, args);
  try {
    await client.connect(transport, requestOptions(args));
  } catch (error) {
    const pid = transport.pid;
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    // A child that never finished `initialize` gets no grace period: it may ignore stdin closing.
    if (pid !== null) killQuietly(pid);
    throw failure(args, error, tail);
  }
  return { client, transport: 'stdio', pid: transport.pid ?? undefined };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function newClient(sdk: Awaited<ReturnType<typeof loadClientSdk>>['client'], args: ConnectArgs): Client {
  const client = new sdk.Client({ name: 'open-agent-sdk', version: '0.1.0' }, { capabilities: {} });
  args.prepare(client);
  return client;
}

function requestOptions(args: ConnectArgs): { timeout: number; signal?: AbortSignal } {
  return { timeout: args.timeoutMs, ...(args.signal && { signal: args.signal }) };
}

async function connectHttp(args: ConnectArgs, target: HttpTarget): Promise<OpenConnection> {
  const sdk = await loadClientSdk();
  const url = new URL(String(target.url));
  const requestInit: RequestInit = { headers: { ...target.headers } };
  const mode = target.transport ?? 'auto';
  let firstError: unknown;
  if (mode !== 'sse') {
    const client = newClient(sdk.client, args);
    try {
      await client.connect(
        new sdk.client.StreamableHTTPClientTransport(url, { requestInit }),
        requestOptions(args),
      );
      return { client, transport: 'streamable-http', pid: undefined };
    } catch (error) {
      await client.close().catch(() => undefined);
      const code = (error as { code?: unknown } | null)?.code;
      if (mode === 'streamable-http' || args.signal?.aborted || code === 'REQUEST_TIMEOUT')
        throw failure(args, error, '');
      firstError = error;
    }
  }
  const client = newClient(sdk.client, args);
  try {
    await client.connect(new sdk.client.SSEClientTransport(url, { requestInit }), requestOptions(args));
    return { client, transport: 'sse', pid: undefined };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw failure(args, firstError ?? error, '');
  }
}

/**
 * Connects to an MCP server (the `initialize` handshake included).
 * @throws TimeoutError (`phase: 'connect'`) after `timeoutMs`; AbortError when `signal` aborts;
 *   McpError for anything else (missing command, exit during start, HTTP errors), with the child's stderr
 *   tail; McpSdkMissingError when the SDK is not installed.
 */
export function openConnection(args: ConnectArgs): Promise<OpenConnection> {
  return args.target.kind === 'stdio' ? connectStdio(args, args.target) : connectHttp(args, args.target);
}
