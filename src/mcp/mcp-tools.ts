/**
 * Turns MCP tool definitions into agent tools whose `execute` sends `tools/call`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { type Tool, tool } from '../tools/tool.js';
import type { ToolResult } from '../tools/tool-output.js';
import type { ImageContent, TextContent } from '../types/content.js';
import { resourcePart, toToolResult } from './content.js';
import type { McpToolDefinition } from './definition.js';
import type { McpServerSource } from './mcp-server.js';
import { agentToolName, type McpToolNaming } from './names.js';

/** What we know about an MCP tool, attached to its agent tool as `tool.mcp`. */
export interface McpToolInfo {
  /** The server's name. */
  server: string;
  /** The tool's MCP name (before prefixing). */
  name: string;
  /** SHA-256 of the definition (see `definitionHash`). */
  definitionHash: string;
  /**
   * The definition differs from the one first seen on this source (a changed description or schema:
   * possibly a "rug pull"). Approvals should be asked again; `acknowledgeDefinitionChange` clears it.
   */
  definitionChanged: boolean;
  /** The server's annotations (`readOnlyHint`, `destructiveHint`, ...). Untrusted hints, per the spec. */
  annotations?: Record<string, unknown>;
}

/** An agent tool backed by an MCP tool. */
export type McpTool<Ctx = unknown> = Tool<unknown, Ctx> & { readonly mcp: McpToolInfo };

/** Settings for {@link buildMcpTools}. */
export interface BuildSettings {
  naming: McpToolNaming;
  timeoutMs: number;
  resourceTool: boolean;
}

function progressText(p: { progress: number; total?: number; message?: string }): string {
  const amount = p.total === undefined ? `${p.progress}` : `${p.progress}/${p.total}`;
  return p.message ? `progress ${amount}: ${p.message}` : `progress ${amount}`;
}

function buildOne<Ctx>(
  source: McpServerSource<Ctx>,
  definition: McpToolDefinition,
  info: McpToolInfo,
  settings: BuildSettings,
): McpTool<Ctx> {
  const name = agentToolName(source.name, definition.name, settings.naming);
  let built: Tool<unknown, Ctx>;
  try {
    built = tool<unknown, Ctx>({
      name,
      ...(definition.description !== undefined && { description: definition.description }),
      parameters: definition.inputSchema ?? { type: 'object' },
      timeoutMs: settings.timeoutMs,
      execute: async ({ args, signal, update }) => {
        const result = await source.callTool(definition.name, (args ?? {}) as Record<string, unknown>, {
          signal,
          timeoutMs: settings.timeoutMs,
          onProgress: (p) => update(progressText(p)),
        });
        return toToolResult(result, source.name, definition.name);
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(
      `MCP server "${source.name}": tool "${definition.name}" cannot be offered (${reason}). Leave it out with toolFilter.`,
      { argument: 'toolFilter', cause: error },
    );
  }
  return Object.assign(built, { mcp: info });
}

function resourceTool<Ctx>(source: McpServerSource<Ctx>, settings: BuildSettings): McpTool<Ctx> {
  const name = agentToolName(source.name, 'read_resource', settings.naming);
  const built = tool<{ uri: string }, Ctx>({
    name,
    description: `Read a resource of the MCP server "${source.name}" by its URI.`,
    parameters: { type: 'object', properties: { uri: { type: 'string' } }, required: ['uri'] },
    timeoutMs: settings.timeoutMs,
    execute: async ({ args, signal }): Promise<ToolResult> => {
      const contents = await source.readResource(args.uri, signal);
      const parts: (TextContent | ImageContent)[] = contents.map(
        (c) =>
          resourcePart(c) ?? {
            type: 'text',
            text: `[binary resource ${c.uri}${c.mimeType ? ` (${c.mimeType})` : ''} omitted]`,
          },
      );
      return { content: parts };
    },
  }) as Tool<unknown, Ctx>;
  const info: McpToolInfo = {
    server: source.name,
    name: 'read_resource',
    definitionHash: '',
    definitionChanged: false,
  };
  return Object.assign(built, { mcp: info });
}

/**
 * Agent tools for `definitions` (same order), plus the resource-reading tool when asked.
 * @throws InvalidArgumentError when a tool's schema cannot be used.
 */
export function buildMcpTools<Ctx>(
  source: McpServerSource<Ctx>,
  definitions: McpToolDefinition[],
  infos: McpToolInfo[],
  settings: BuildSettings,
): McpTool<Ctx>[] {
  const tools = definitions.map((definition, i) =>
    buildOne(source, definition, infos[i] as McpToolInfo, settings),
  );
  if (settings.resourceTool) tools.push(resourceTool(source, settings));
  return tools;
}
