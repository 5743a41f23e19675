import type { Tool } from '../tools/tool.js';
import { isToolSource, type ToolSource, type ToolSourceContext } from '../tools/tool-source.js';
import type { McpServerSource } from './mcp-server.js';
import { assertUniqueToolNames, type ToolOrigin } from './names.js';

/**
 * Resolves plain tools and tool sources into one list for a turn, checking that names are unique across
 * all of them. A stand-in for the agent's own per-turn resolution (issue 13) in code that drives `Agent`
 * directly.
 * @throws InvalidArgumentError naming both sources of a duplicate name; any source's error.
 */
export async function resolveTools<Ctx>(
  items: readonly (Tool<unknown, Ctx> | ToolSource<Ctx>)[],
  context: ToolSourceContext<Ctx>,
): Promise<Tool<unknown, Ctx>[]> {
  const tools: Tool<unknown, Ctx>[] = [];
  const origins: ToolOrigin[] = [];
  for (const item of items) {
    if (!isToolSource(item)) {
      tools.push(item);
      origins.push({ name: item.name, source: 'the tools list', original: item.name });
      continue;
    }
    const listed = await item.listTools(context);
    for (const t of listed) {
      const original = (t as { mcp?: { name?: string } }).mcp?.name ?? t.name;
      tools.push(t);
      origins.push({ name: t.name, source: `tool source "${item.name}"`, original });
    }
  }
  assertUniqueToolNames(origins);
  return tools;
}

/**
 * The `instructions` of connected MCP servers as one block for the system prompt (servers without
 * instructions are left out; `''` when none has any). Connect the servers first.
 */
export function mcpInstructions(
  servers: readonly McpServerSource<never>[] | readonly McpServerSource[],
): string {
  const blocks: string[] = [];
  for (const server of servers as readonly McpServerSource[]) {
    const text = server.instructions?.trim();
    if (text) blocks.push(`## MCP server "${server.name}"\n${text}`);
  }
  return blocks.join('\n\n');
}
