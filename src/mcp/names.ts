import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Longest tool name every provider accepts (OpenAI's rule `^[a-zA-Z0-9_-]{1,64}$`). */
export const MAX_TOOL_NAME_LENGTH = 64;

/** How MCP tool names become agent tool names. */
export type McpToolNaming =
  /** `server__tool` (the default). */
  | 'prefix'
  /** The MCP name as is (sanitized). Collisions across servers are then an error. */
  | 'none'
  /** Your own mapping; the result is still sanitized. */
  | ((server: string, tool: string) => string);

/**
 * Makes `raw` a valid tool name: characters outside `[a-zA-Z0-9_-]` become `_`; a name longer than 64
 * characters is cut to 55 and ends with `_` plus 8 hex characters of its SHA-256, so two long names that
 * share a prefix stay distinct; an empty name becomes `tool`.
 */
export function sanitizeToolName(raw: string): string {
  const cleaned = raw.replace(/[^a-zA-Z0-9_-]/g, '_') || 'tool';
  if (cleaned.length <= MAX_TOOL_NAME_LENGTH) return cleaned;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX_TOOL_NAME_LENGTH - 9)}_${hash}`;
}

/** The agent tool name of MCP tool `tool` on server `server` under `naming`. */
export function agentToolName(server: string, tool: string, naming: McpToolNaming = 'prefix'): string {
  if (naming === 'none') return sanitizeToolName(tool);
  if (naming === 'prefix') return sanitizeToolName(`${server}__${tool}`);
  return sanitizeToolName(naming(server, tool));
}

/** Where a tool name came from, for collision errors. */
export interface ToolOrigin {
  /** The agent tool name. */
  name: string;
  /** The source (MCP server name, or `'tools'` for plain tools). */
  source: string;
  /** The name at the source (the MCP tool name). */
  original: string;
}

/**
 * Checks that no two tools share a name.
 * @throws InvalidArgumentError naming both sources and both original names.
 */
export function assertUniqueToolNames(origins: readonly ToolOrigin[]): void {
  const seen = new Map<string, ToolOrigin>();
  for (const origin of origins) {
    const first = seen.get(origin.name);
    if (first) {
      throw new InvalidArgumentError(
        `Tool name "${origin.name}" is used twice: by "${first.original}" from ${first.source} and by ` +
          `"${origin.original}" from ${origin.source}. Keep the default 'prefix' naming, rename a server, ` +
          'or filter one of the tools out (toolFilter).',
        { argument: 'tools' },
      );
    }
    seen.set(origin.name, origin);
  }
}
