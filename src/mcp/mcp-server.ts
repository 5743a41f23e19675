/**
 * One MCP server as a {@link ToolSource}: its tools become agent tools (JSON Schema passed through, names
 * prefixed `server__tool`), the list is cached until the server sends `notifications/tools/list_changed`,
 * and every definition is hashed so a tool that changes after it was first seen is flagged.
 *
 * Built on the official MCP TypeScript SDK v2 (`@modelcontextprotocol/client`).
 *
 * @module
 */
import type { Client } from '@modelcontextprotocol/client';
import { AbortError } from '../errors/abort-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import type { Tool } from '../tools/tool.js';
import type { ToolSource, ToolSourceContext } from '../tools/tool-source.js';
import { describeTarget, type McpTarget, type OpenConnection, openConnection } from './connection.js';
import type { McpCallToolResult, McpResourceContents } from './content.js';
import { definitionHash, type McpToolDefinition, type McpToolFilter, passesFilter } from './definition.js';
import { McpError } from './mcp-error.js';
import { buildMcpTools, type McpTool, type McpToolInfo } from './mcp-tools.js';
import { assertUniqueToolNames, type McpToolNaming } from './names.js';

/** Default time to spawn/reach a server and finish `initialize`: 30,000 ms. */
export const DEFAULT_MCP_CONNECT_TIMEOUT_MS = 30_000;
/** Default time limit of one `tools/call` (and other requests): 60,000 ms (the MCP SDK's default). */
export const DEFAULT_MCP_CALL_TIMEOUT_MS = 60_000;

/** What changed in a server's tool list since it was last listed. */
export interface McpToolsChange {
  /** The server's name. */
  server: string;
  /** MCP names of tools that appeared. */
  added: string[];
  /** MCP names of tools that disappeared. */
  removed: string[];
  /** MCP names of tools whose definition differs from the one first seen (see `definitionChanged`). */
  changed: string[];
}

/** Options shared by stdio and HTTP servers. */
export interface McpServerOptions {
  /** The server's name: the tool name prefix, and how errors name it. */
  name: string;
  /** How MCP tool names become agent tool names. @default 'prefix' (`server__tool`) */
  toolNaming?: McpToolNaming;
  /** Which tools to offer. @default all */
  toolFilter?: McpToolFilter;
  /** Time limit to start and initialize, in ms. @default 30_000 */
  connectTimeoutMs?: number;
  /** Time limit of one request (`tools/call`, `resources/read`, ...), in ms. @default 60_000 */
  callTimeoutMs?: number;
  /** Keep the tool list until `notifications/tools/list_changed`; `false` re-lists every turn. @default true */
  cacheToolsList?: boolean;
  /** Also offer a `<server>__read_resource` tool (`{ uri }`) that reads a resource. @default false */
  resourceTool?: boolean;
  /** Called after a re-list found tools added, removed or changed. */
  onToolsChanged?: (change: McpToolsChange) => void;
}

/** Per-request options of {@link McpServerSource.callTool}. */
export interface McpCallOptions {
  /** Cancels the request (the SDK sends `notifications/cancelled`). */
  signal?: AbortSignal;
  /** Overrides `callTimeoutMs`. */
  timeoutMs?: number;
  /** Receives `notifications/progress` for this call. */
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/** An MCP server connection exposed as a tool source. Create with `mcpServerStdio` or `mcpServerHttp`. */
export class McpServerSource<Ctx = unknown> implements ToolSource<Ctx> {
  readonly kind = 'tool_source';
  readonly name: string;
  readonly #target: McpTarget;
  readonly #options: McpServerOptions;
  #connection: OpenConnection | undefined;
  #connecting: Promise<OpenConnection> | undefined;
  #tools: McpTool<Ctx>[] | undefined;
  #listing: Promise<McpTool<Ctx>[]> | undefined;
  #stale = false;
  #listChangedCount = 0;
  #firstSeen = new Map<string, string>();
  #lastNames = new Set<string>();

  constructor(target: McpTarget, options: McpServerOptions) {
    this.name = options.name;
    this.#target = target;
    this.#options = options;
  }

  /** Connected right now. */
  get connected(): boolean {
    return this.#connection !== undefined;
  }
  /** The stdio child's process id while connected (undefined over HTTP). */
  get pid(): number | undefined {
    return this.#connection?.pid;
  }
  /** The transport in use while connected. */
  get transport(): OpenConnection['transport'] | undefined {
    return this.#connection?.transport;
  }
  /** How many `notifications/tools/list_changed` arrived since creation. */
  get listChangedCount(): number {
    return this.#listChangedCount;
  }
  /** The server's `instructions` from `initialize` (for the system prompt), once connected. */
  get instructions(): string | undefined {
    return this.#connection?.client.getInstructions();
  }
  /** The server's name and version from `initialize`, once connected. */
  get serverVersion(): { name: string; version: string } | undefined {
    return this.#connection?.client.getServerVersion();
  }

  /**
   * Connects (spawns the child or opens the HTTP session and runs `initialize`). Resolves at once when
   * already connected; concurrent calls share one attempt.
   * @throws TimeoutError (`phase: 'connect'`), AbortError, McpError, McpSdkMissingError.
   */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.#client(signal);
  }

  async #client(signal?: AbortSignal): Promise<Client> {
    if (this.#connection) return this.#connection.client;
    this.#connecting ??= openConnection({
      server: this.name,
      target: this.#target,
      timeoutMs: this.#options.connectTimeoutMs ?? DEFAULT_MCP_CONNECT_TIMEOUT_MS,
      ...(signal && { signal }),
      prepare: (client) => this.#prepare(client),
    }).finally(() => {
      this.#connecting = undefined;
    });
    const connection = await this.#connecting;
    this.#connection = connection;
    return connection.client;
  }

  #prepare(client: Client): void {
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      this.#listChangedCount += 1;
      this.#stale = true;
    });
    client.onclose = () => {
      if (this.#connection?.client === client) {
        this.#connection = undefined;
        this.#stale = true;
      }
    };
  }

  /** Forgets the cached tool list; the next `listTools` asks the server again. */
  invalidateToolsCache(): void {
    this.#stale = true;
  }

  /**
   * The server's tools as agent tools (cached until `list_changed`, unless `cacheToolsList` is false).
   * Connects first when needed.
   * @throws InvalidArgumentError when two MCP tools map to the same agent tool name; the errors of
   *   {@link connect}; McpError when `tools/list` fails.
   */
  async listTools(context?: Partial<ToolSourceContext<Ctx>>): Promise<Tool<unknown, Ctx>[]> {
    return this.listMcpTools(context?.signal);
  }

  /** Like {@link listTools}, typed with each tool's {@link McpToolInfo} (`tool.mcp`). */
  async listMcpTools(signal?: AbortSignal): Promise<McpTool<Ctx>[]> {
    const fresh = this.#tools && !this.#stale && this.#options.cacheToolsList !== false;
    if (fresh && this.#tools && this.#connection) return this.#tools;
    this.#listing ??= this.#fetchTools(signal).finally(() => {
      this.#listing = undefined;
    });
    return this.#listing;
  }

  async #fetchTools(signal?: AbortSignal): Promise<McpTool<Ctx>[]> {
    const client = await this.#client(signal);
    this.#stale = false;
    const listed = await this.#request('tools/list', () =>
      client.listTools(undefined, this.#requestOptions({ signal })),
    );
    const definitions: McpToolDefinition[] = [];
    for (const tool of listed.tools as McpToolDefinition[])
      if (await passesFilter(tool, this.#options.toolFilter)) definitions.push(tool);
    const infos = definitions.map((definition) => this.#track(definition));
    this.#reportChanges(infos);
    const tools = buildMcpTools<Ctx>(this, definitions, infos, {
      naming: this.#options.toolNaming ?? 'prefix',
      timeoutMs: this.#options.callTimeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS,
      resourceTool: this.#options.resourceTool === true,
    });
    assertUniqueToolNames(
      tools.map((t) => ({ name: t.name, source: `MCP server "${this.name}"`, original: t.mcp.name })),
    );
    this.#tools = tools;
    return tools;
  }

  #track(definition: McpToolDefinition): McpToolInfo {
    const hash = definitionHash(definition);
    const first = this.#firstSeen.get(definition.name);
    if (first === undefined) this.#firstSeen.set(definition.name, hash);
    return {
      server: this.name,
      name: definition.name,
      definitionHash: hash,
      definitionChanged: first !== undefined && first !== hash,
      ...(definition.annotations && { annotations: definition.annotations }),
    };
  }

  #reportChanges(infos: McpToolInfo[]): void {
    const names = new Set(infos.map((i) => i.name));
    const previous = this.#lastNames;
    this.#lastNames = names;
    if (this.#tools === undefined) return;
    const change: McpToolsChange = {
      server: this.name,
      added: [...names].filter((n) => !previous.has(n)),
      removed: [...previous].filter((n) => !names.has(n)),
      changed: infos.filter((i) => i.definitionChanged).map((i) => i.name),
    };
    if (change.added.length + change.removed.length + change.changed.length > 0)
      this.#options.onToolsChanged?.(change);
  }

  /**
   * Accepts a changed definition (after the user re-approved it): its current hash becomes the pinned one
   * and `definitionChanged` is false from the next listing on.
   */
  acknowledgeDefinitionChange(mcpToolName: string): void {
    const current = this.#tools?.find((t) => t.mcp.name === mcpToolName);
    if (current) this.#firstSeen.set(mcpToolName, current.mcp.definitionHash);
    this.#stale = true;
  }

  /**
   * Calls a tool by its MCP name. A tool that failed is a result with `isError: true`, not a throw.
   * @throws AbortError when `signal` aborts; TimeoutError (`phase: 'total'`) after the call timeout;
   *   McpError when the connection closes or the server answers with a protocol error.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: McpCallOptions = {},
  ): Promise<McpCallToolResult> {
    const client = await this.#client(options.signal);
    const onprogress = options.onProgress;
    return (await this.#request(
      `tools/call ${name}`,
      () =>
        client.callTool(
          { name, arguments: args },
          { ...this.#requestOptions(options), ...(onprogress && { onprogress }) },
        ),
      options,
    )) as McpCallToolResult;
  }

  /** The server's resources (every page). @throws as {@link callTool}. */
  async listResources(
    signal?: AbortSignal,
  ): Promise<{ uri: string; name: string; mimeType?: string; description?: string }[]> {
    const client = await this.#client(signal);
    return (
      await this.#request('resources/list', () =>
        client.listResources(undefined, this.#requestOptions({ signal })),
      )
    ).resources;
  }

  /** Reads one resource. @throws as {@link callTool}. */
  async readResource(uri: string, signal?: AbortSignal): Promise<McpResourceContents[]> {
    const client = await this.#client(signal);
    const result = await this.#request(`resources/read ${uri}`, () =>
      client.readResource({ uri }, this.#requestOptions({ signal })),
    );
    return result.contents as McpResourceContents[];
  }

  /** The server's prompts (every page). @throws as {@link callTool}. */
  async listPrompts(signal?: AbortSignal): Promise<
    {
      name: string;
      description?: string;
      arguments?: { name: string; description?: string; required?: boolean }[];
    }[]
  > {
    const client = await this.#client(signal);
    return (
      await this.#request('prompts/list', () =>
        client.listPrompts(undefined, this.#requestOptions({ signal })),
      )
    ).prompts;
  }

  /** Fills in a prompt. @throws as {@link callTool}. */
  async getPrompt(
    name: string,
    args: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<{ description?: string; messages: { role: 'user' | 'assistant'; content: unknown }[] }> {
    const client = await this.#client(signal);
    return this.#request(`prompts/get ${name}`, () =>
      client.getPrompt({ name, arguments: args }, this.#requestOptions({ signal })),
    );
  }

  #requestOptions(options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined }): {
    timeout: number;
    signal?: AbortSignal;
  } {
    const timeout = options.timeoutMs ?? this.#options.callTimeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS;
    return { timeout, ...(options.signal && { signal: options.signal }) };
  }

  async #request<T>(what: string, run: () => Promise<T>, options: McpCallOptions = {}): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#mapError(what, error, options);
    }
  }

  #mapError(what: string, error: unknown, options: McpCallOptions): Error {
    const code = (error as { code?: unknown } | null)?.code;
    const name = (error as { name?: unknown } | null)?.name;
    if (options.signal?.aborted || name === 'AbortError' || code === 'ABORT_ERR')
      return new AbortError(`MCP ${what} on server "${this.name}" was aborted.`, { cause: error });
    if (code === 'REQUEST_TIMEOUT') {
      const timeoutMs = options.timeoutMs ?? this.#options.callTimeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS;
      return new TimeoutError(`MCP ${what} on server "${this.name}" timed out.`, {
        phase: 'total',
        timeoutMs,
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    const closed =
      code === 'CONNECTION_CLOSED'
        ? ' (the server closed the connection; it is restarted on the next use)'
        : '';
    return new McpError(
      `MCP ${what} on server "${this.name}" (${describeTarget(this.#target)}) failed: ${message}${closed}`,
      {
        server: this.name,
        ...((typeof code === 'number' || typeof code === 'string') && { code }),
        cause: error,
      },
    );
  }

  /** Closes the connection and ends the child process (stdin closed, then SIGTERM, then SIGKILL). Idempotent; a later use reconnects. */
  async close(): Promise<void> {
    const pending = this.#connecting;
    if (pending) await pending.catch(() => undefined);
    const connection = this.#connection;
    this.#connection = undefined;
    this.#stale = true;
    if (connection) await connection.client.close();
  }
}
