/**
 * MCP (Model Context Protocol) support, exported as `open-agent-sdk/mcp`: MCP servers as tool sources
 * (stdio and Streamable HTTP, on the official SDK `@modelcontextprotocol/client`, an optional peer
 * dependency) and agents served as MCP tools (`createAgentMcpServer`, on `@modelcontextprotocol/server`
 * and `@modelcontextprotocol/node`).
 *
 * @module
 */

export { type AgentMcpServer, type AgentMcpServerOptions, createAgentMcpServer } from './agent-server.js';
export { type ChildEnvOptions, childEnvironment, DEFAULT_CHILD_ENV_ALLOW_LIST } from './child-env.js';
export { mcpInstructions, resolveTools } from './collect.js';
export { type McpServerConfigEntry, mcpServersFromConfig } from './config.js';
export type { HttpTarget, McpTarget, StdioTarget } from './connection.js';
export {
  type McpCallToolResult,
  type McpContentBlock,
  type McpResourceContents,
  type McpResultDetails,
  toToolResult,
} from './content.js';
export { definitionHash, type McpToolDefinition, type McpToolFilter } from './definition.js';
export {
  type McpServerHttpOptions,
  type McpServerStdioOptions,
  mcpServerHttp,
  mcpServerStdio,
} from './factories.js';
export { McpError, type McpErrorOptions, McpSdkMissingError } from './mcp-error.js';
export {
  DEFAULT_MCP_CALL_TIMEOUT_MS,
  DEFAULT_MCP_CONNECT_TIMEOUT_MS,
  type McpCallOptions,
  type McpServerOptions,
  McpServerSource,
  type McpToolsChange,
} from './mcp-server.js';
export type { McpTool, McpToolInfo } from './mcp-tools.js';
export {
  agentToolName,
  assertUniqueToolNames,
  type McpToolNaming,
  sanitizeToolName,
  type ToolOrigin,
} from './names.js';
export {
  DEFAULT_MCP_HTTP_PORT,
  type HttpServeOptions,
  type McpHttpServer,
  PORT_8080_NEIGHBOURS,
} from './serve-http.js';
export {
  type ServedAgent,
  type ServedAgentExtras,
  type ServedAgentResult,
  servedAgent,
} from './served-agent.js';
