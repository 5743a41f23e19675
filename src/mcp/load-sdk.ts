/**
 * Lazy loading of the official MCP TypeScript SDK (v2 packages), an optional peer dependency: nothing is
 * imported until an MCP server is connected or served, and a missing package becomes a
 * {@link McpSdkMissingError} naming the install command.
 *
 * @module
 */
import { McpSdkMissingError } from './mcp-error.js';

type ClientModule = typeof import('@modelcontextprotocol/client');
type ClientStdioModule = typeof import('@modelcontextprotocol/client/stdio');
type ServerModule = typeof import('@modelcontextprotocol/server');
type ServerStdioModule = typeof import('@modelcontextprotocol/server/stdio');
type NodeModule = typeof import('@modelcontextprotocol/node');

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function load<T>(packageName: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (isMissing(error)) throw new McpSdkMissingError(packageName, { cause: error });
    throw error;
  }
}

/**
 * The MCP client SDK (`@modelcontextprotocol/client` and its `/stdio` entry).
 * @throws McpSdkMissingError when `@modelcontextprotocol/client` is not installed.
 */
export async function loadClientSdk(): Promise<{ client: ClientModule; stdio: ClientStdioModule }> {
  const name = '@modelcontextprotocol/client';
  const [client, stdio] = await Promise.all([
    load(name, () => import('@modelcontextprotocol/client')),
    load(name, () => import('@modelcontextprotocol/client/stdio')),
  ]);
  return { client, stdio };
}

/**
 * The MCP server SDK (`@modelcontextprotocol/server`, its `/stdio` entry, and `@modelcontextprotocol/node`
 * for `node:http`).
 * @throws McpSdkMissingError naming the first missing package.
 */
export async function loadServerSdk(): Promise<{
  server: ServerModule;
  stdio: ServerStdioModule;
  node: NodeModule;
}> {
  const server = await load('@modelcontextprotocol/server', () => import('@modelcontextprotocol/server'));
  const stdio = await load(
    '@modelcontextprotocol/server',
    () => import('@modelcontextprotocol/server/stdio'),
  );
  const node = await load('@modelcontextprotocol/node', () => import('@modelcontextprotocol/node'));
  return { server, stdio, node };
}
