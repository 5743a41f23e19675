import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { McpServerSource } from '../../src/mcp/index.js';
import { mcpServerStdio } from '../../src/mcp/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Path of an installed MCP server's entry file (run with `node`, never `npx -y`). */
export function serverEntry(pkg: 'server-everything' | 'server-filesystem' | 'server-memory'): string {
  return `${root}node_modules/@modelcontextprotocol/${pkg}/dist/index.js`;
}

/** The changing-tools fault fixture server. */
export const CHANGING_SERVER = fileURLToPath(new URL('./fixtures/changing-server.mjs', import.meta.url));

let open: McpServerSource[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

/** A stdio source over `node <file> ...args`, closed after the test. */
export function nodeServer(
  name: string,
  file: string,
  args: string[] = [],
  extra: Partial<Parameters<typeof mcpServerStdio>[0]> = {},
): McpServerSource {
  const source = mcpServerStdio({ name, command: process.execPath, args: [file, ...args], ...extra });
  open.push(source);
  return source;
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until `check` holds. */
export async function until(check: () => boolean, limitMs = 5000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
