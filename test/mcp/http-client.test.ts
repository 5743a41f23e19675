import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mcpServerHttp } from '../../src/mcp/index.js';
import { closedPort } from '../helpers/ports.js';
import { alive, serverEntry, until } from './helpers.js';

let children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children) child.kill('SIGTERM');
  await until(() => children.every((c) => c.pid === undefined || !alive(c.pid)));
  children = [];
});

/** Starts server-everything in `mode` on a free port; resolves once it listens. */
async function everything(mode: 'streamableHttp' | 'sse'): Promise<number> {
  const port = await closedPort();
  const child = spawn(process.execPath, [serverEntry('server-everything'), mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  await until(() => /port \d+/i.test(stderr), 10_000);
  return port;
}

describe('MCP client over HTTP (server-everything, real npm server)', () => {
  it('Streamable HTTP: lists and calls tools', async () => {
    const port = await everything('streamableHttp');
    const source = mcpServerHttp({
      name: 'web',
      url: `http://127.0.0.1:${port}/mcp`,
      toolFilter: { allow: ['echo'] },
    });
    try {
      expect((await source.listTools()).map((t) => t.name)).toEqual(['web__echo']);
      expect(source.transport).toBe('streamable-http');
      expect((await source.callTool('echo', { message: 'http' })).content?.[0]?.text).toBe('Echo: http');
    } finally {
      await source.close();
    }
  });

  it("'auto' falls back to the legacy HTTP+SSE transport for an SSE-only server", async () => {
    const port = await everything('sse');
    const source = mcpServerHttp({
      name: 'old',
      url: `http://127.0.0.1:${port}/sse`,
      connectTimeoutMs: 10_000,
    });
    try {
      await source.connect();
      expect(source.transport).toBe('sse');
      expect((await source.callTool('echo', { message: 'sse' })).content?.[0]?.text).toBe('Echo: sse');
    } finally {
      await source.close();
    }
  });
});
