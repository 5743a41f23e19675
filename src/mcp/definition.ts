import { createHash } from 'node:crypto';

/** An MCP tool definition as listed by `tools/list` (the fields we read). */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = stable((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * SHA-256 (hex) of what the model and the user are shown about a tool: name, title, description, input and
 * output schemas, annotations; keys sorted so the order a server sends them in does not matter.
 */
export function definitionHash(tool: McpToolDefinition): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  const text = JSON.stringify(stable({ name, title, description, inputSchema, outputSchema, annotations }));
  return createHash('sha256').update(text).digest('hex');
}

/** Which MCP tools to offer: allow/deny lists of MCP tool names, or a predicate. */
export type McpToolFilter =
  | {
      /** Only these MCP tool names (before prefixing). */
      allow?: readonly string[];
      /** Never these MCP tool names (wins over `allow`). */
      deny?: readonly string[];
    }
  | ((tool: McpToolDefinition) => boolean | Promise<boolean>);

/** True when `filter` lets `tool` through. */
export async function passesFilter(
  tool: McpToolDefinition,
  filter: McpToolFilter | undefined,
): Promise<boolean> {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return (await filter(tool)) === true;
  if (filter.deny?.includes(tool.name)) return false;
  return filter.allow === undefined || filter.allow.includes(tool.name);
}
