/**
 * MCP servers from the JSON that Claude Desktop, Cursor and VS Code use: an object under `mcpServers`
 * (Claude Desktop, Cursor) or `servers` (VS Code `mcp.json`), each entry either `{ command, args?, env?,
 * cwd? }` (stdio) or `{ url, headers? }` (HTTP; VS Code's `type: 'sse'` forces the legacy transport).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { mcpServerHttp, mcpServerStdio } from './factories.js';
import type { McpServerOptions, McpServerSource } from './mcp-server.js';

/** One server entry in the common JSON format. */
export interface McpServerConfigEntry {
  /** `'stdio'`, `'http'` or `'sse'` (VS Code); inferred from `command` / `url` when absent. */
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

function fail(message: string): never {
  throw new InvalidArgumentError(message, { argument: 'mcpServers' });
}

function stringRecord(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`${where} must be an object of strings.`);
  for (const [key, v] of Object.entries(value))
    if (typeof v !== 'string') fail(`${where}.${key} must be a string.`);
  return value as Record<string, string>;
}

function entrySource(name: string, raw: unknown, shared: Partial<McpServerOptions>): McpServerSource {
  if (typeof raw !== 'object' || raw === null) fail(`MCP server "${name}" must be an object.`);
  const entry = raw as McpServerConfigEntry;
  const env = stringRecord(entry.env, `mcpServers.${name}.env`);
  const headers = stringRecord(entry.headers, `mcpServers.${name}.headers`);
  if (typeof entry.command === 'string') {
    if (
      entry.args !== undefined &&
      !(Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string'))
    )
      fail(`mcpServers.${name}.args must be an array of strings.`);
    return mcpServerStdio({
      ...shared,
      name,
      command: entry.command,
      ...(entry.args && { args: entry.args }),
      ...(env && { env }),
      ...(typeof entry.cwd === 'string' && { cwd: entry.cwd }),
    });
  }
  if (typeof entry.url === 'string') {
    return mcpServerHttp({
      ...shared,
      name,
      url: entry.url,
      ...(headers && { headers }),
      ...(entry.type === 'sse' && { transport: 'sse' as const }),
    });
  }
  return fail(`MCP server "${name}" needs a "command" (stdio) or a "url" (HTTP).`);
}

/**
 * Tool sources for every server in a config object (`{ mcpServers: {…} }` or `{ servers: {…} }`), in
 * order. `shared` options (timeouts, naming, ...) apply to all. Nothing is started.
 * @throws InvalidArgumentError (`argument: 'mcpServers'`) for a malformed config, naming the entry.
 */
export function mcpServersFromConfig(
  config: unknown,
  shared: Partial<McpServerOptions> = {},
): McpServerSource[] {
  if (typeof config !== 'object' || config === null) fail('An MCP config must be a JSON object.');
  const record = config as { mcpServers?: unknown; servers?: unknown };
  const servers = record.mcpServers ?? record.servers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers))
    fail('An MCP config needs an object "mcpServers" (or "servers") mapping names to servers.');
  return Object.entries(servers).map(([name, entry]) => entrySource(name, entry, shared));
}
