/**
 * The MCP servers of `open-agent run`: from `--mcp FILE` (Claude Desktop, Cursor or VS Code JSON) or the
 * config file's `mcpServers`, connected at startup so a broken entry fails before the model is called.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { mcpServersFromConfig } from '../mcp/config.js';
import type { McpServerSource } from '../mcp/mcp-server.js';
import type { OutputSink } from './output.js';
import { UsageError } from './usage-error.js';

/** Where the servers come from: a JSON file (wins), or the config file's `mcpServers` mapping. */
export interface McpSourcesInput {
  file: string | undefined;
  servers: Record<string, Record<string, unknown>> | undefined;
  /** Gets one line per server (`MCP server "fs": 3 tools`). */
  stderr: OutputSink;
}

function parseFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read --mcp ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The MCP servers as tool sources, each connected and listed once. The caller closes them (`close()`)
 * when the run ends.
 *
 * @throws {UsageError} for an unreadable or malformed file or config entry.
 * @throws McpError / TimeoutError / McpSdkMissingError when a server cannot be started or reached (the
 *   sources already opened are closed first).
 */
export async function loadMcpSources(input: McpSourcesInput): Promise<McpServerSource[]> {
  const { file, servers } = input;
  if (file === undefined && servers === undefined) return [];
  const label = file !== undefined ? `--mcp ${file}` : 'mcpServers in the config file';
  let sources: McpServerSource[];
  try {
    sources = mcpServersFromConfig(file !== undefined ? parseFile(file) : { mcpServers: servers });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    for (const source of sources) {
      const tools = await source.listTools();
      input.stderr.write(`open-agent: MCP server "${source.name}": ${tools.length} tools\n`);
    }
  } catch (error) {
    await closeSources(sources);
    throw error;
  }
  return sources;
}

/** Closes every source; a failing close is ignored (the run's outcome is what matters). */
export async function closeSources(sources: readonly McpServerSource[]): Promise<void> {
  await Promise.all(sources.map((s) => s.close().catch(() => undefined)));
}
