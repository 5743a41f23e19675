/**
 * Maps MCP tool results and resource contents to our tool output.
 *
 * Source: MCP spec 2025-11-25, "Tools" (tool result content: text, image, audio, resource_link,
 * embedded resource; `structuredContent`; `isError`).
 *
 * @module
 */
import type { JsonValue } from '../tools/json-value.js';
import type { ToolResult } from '../tools/tool-output.js';
import type { ImageContent, TextContent } from '../types/content.js';

/** An MCP content block as it arrives (the fields we read; others are ignored). */
export interface McpContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: McpResourceContents;
}

/** One item of an MCP `resources/read` result, or an embedded resource. */
export interface McpResourceContents {
  uri: string;
  mimeType?: string;
  text?: string;
  /** Base64 bytes. */
  blob?: string;
}

/** The MCP `tools/call` result fields we read. */
export interface McpCallToolResult {
  content?: McpContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** What `details` holds for an MCP tool result (never sent to the model). */
export interface McpResultDetails {
  /** The MCP server's name. */
  server: string;
  /** The tool's MCP name. */
  tool: string;
  /** The result's `structuredContent`, when the server sent one. */
  structuredContent?: JsonValue;
  /** Parts the model cannot take (audio, binary resources), described in the text instead. */
  omitted?: { type: string; mimeType?: string; uri?: string }[];
}

/** Maps one resource content item to a model-visible part. */
export function resourcePart(resource: McpResourceContents): TextContent | ImageContent | undefined {
  if (resource.text !== undefined) return { type: 'text', text: resource.text };
  if (resource.blob !== undefined && resource.mimeType?.startsWith('image/'))
    return { type: 'image', data: resource.blob, mimeType: resource.mimeType };
  return undefined;
}

function blockPart(block: McpContentBlock): TextContent | ImageContent | undefined {
  if (block.type === 'text' && typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.type === 'image' && typeof block.data === 'string')
    return { type: 'image', data: block.data, mimeType: block.mimeType ?? 'image/png' };
  if (block.type === 'resource' && block.resource) return resourcePart(block.resource);
  if (block.type === 'resource_link' && typeof block.uri === 'string')
    return { type: 'text', text: `Resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}` };
  return undefined;
}

function toJson(value: unknown): JsonValue | undefined {
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Maps a `tools/call` result to a {@link ToolResult}: text, image and text/image resources become parts,
 * resource links become a line of text, other parts (audio, binary blobs) a placeholder line; `isError`
 * carries over; `structuredContent` is kept in `details` and, when the content is empty, also sent as JSON
 * text (the spec asks servers to send both, not all do).
 */
export function toToolResult(result: McpCallToolResult, server: string, tool: string): ToolResult {
  const content: (TextContent | ImageContent)[] = [];
  const omitted: NonNullable<McpResultDetails['omitted']> = [];
  for (const block of result.content ?? []) {
    const part = blockPart(block);
    if (part) {
      content.push(part);
      continue;
    }
    const uri = block.uri ?? block.resource?.uri;
    const mimeType = block.mimeType ?? block.resource?.mimeType;
    omitted.push({ type: block.type, ...(mimeType && { mimeType }), ...(uri && { uri }) });
    content.push({ type: 'text', text: `[${block.type} content omitted${mimeType ? `: ${mimeType}` : ''}]` });
  }
  const structured = result.structuredContent === undefined ? undefined : toJson(result.structuredContent);
  if (content.length === 0 && structured !== undefined)
    content.push({ type: 'text', text: JSON.stringify(structured) });
  const details: McpResultDetails = { server, tool };
  if (structured !== undefined) details.structuredContent = structured;
  if (omitted.length > 0) details.omitted = omitted;
  return { content, isError: result.isError === true, details: details as unknown as JsonValue };
}
