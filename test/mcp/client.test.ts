import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AbortError, InvalidArgumentError, TimeoutError } from '../../src/errors/index.js';
import { McpError, mcpInstructions, resolveTools, sanitizeToolName } from '../../src/mcp/index.js';
import type { ToolResult } from '../../src/tools/tool-output.js';
import { alive, CHANGING_SERVER, nodeServer, serverEntry, until } from './helpers.js';

const ctx = { runId: 'r1', agentName: 'a', context: undefined, signal: new AbortController().signal };
/** Ids of this process's live children (Linux/macOS `ps`). */
function childPids(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat, comm]) => pid && comm !== 'ps' && !stat?.startsWith('Z'))
    .map(([pid]) => pid as string)
    .filter((pid) => pid !== '');
}

const noop = { toolCallId: 'c1', idempotencyKey: 'c1', context: undefined, update: () => undefined };

async function run(source: ReturnType<typeof nodeServer>, name: string, args: unknown, signal = ctx.signal) {
  const tools = await source.listTools(ctx);
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return (await found.execute({ ...noop, args, signal })) as ToolResult;
}

describe('MCP client on server-everything (stdio, real npm server)', () => {
  it('lists tools with the server prefix and the JSON Schema passed through', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'));
    const tools = await source.listMcpTools();
    const echo = tools.find((t) => t.name === 'everything__echo');
    expect(echo?.mcp).toMatchObject({ server: 'everything', name: 'echo', definitionChanged: false });
    expect(echo?.spec.parameters).toMatchObject({ type: 'object', required: ['message'] });
    expect(tools.every((t) => /^[a-zA-Z0-9_-]{1,64}$/.test(t.name))).toBe(true);
    expect(source.instructions).toMatch(/Everything Server/);
    expect(mcpInstructions([source])).toMatch(/^## MCP server "everything"/);
  });

  it('maps text, image, structured and error results', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'));
    expect((await run(source, 'everything__echo', { message: 'hi' })).content).toEqual([
      { type: 'text', text: 'Echo: hi' },
    ]);
    const image = await run(source, 'everything__get-tiny-image', {});
    expect(image.content.some((p) => p.type === 'image' && p.mimeType === 'image/png' && p.data)).toBe(true);
    const structured = await run(source, 'everything__get-structured-content', { location: 'Chicago' });
    expect(structured.details).toMatchObject({
      server: 'everything',
      structuredContent: { conditions: expect.any(String) },
    });
    const failed = await source.callTool('echo', {});
    expect(failed.isError).toBe(true);
    // The connection still works after a tool error.
    expect((await source.callTool('get-sum', { a: 2, b: 3 })).content?.[0]?.text).toMatch(/5/);
  });

  it('gives the child only allow-listed variables (no API key canary)', async () => {
    process.env.OPENAI_API_KEY = 'sk-CANARY-mcp-env';
    try {
      const source = nodeServer('everything', serverEntry('server-everything'), [], {
        env: { EXTRA_OK: 'yes' },
      });
      const text = (await source.callTool('get-env', {})).content?.map((c) => c.text).join('') ?? '';
      expect(text).not.toContain('sk-CANARY');
      expect(text).not.toContain('OPENAI_API_KEY');
      expect(text).toContain('EXTRA_OK');
      expect(text).toContain('PATH');
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it('resources and prompts', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'), [], { resourceTool: true });
    const resources = await source.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0] as { uri: string };
    const contents = await source.readResource(first.uri);
    expect(contents[0]?.uri).toBe(first.uri);
    const prompts = await source.listPrompts();
    const simple = prompts.find((p) => !p.arguments?.some((a) => a.required));
    expect(simple).toBeDefined();
    const prompt = await source.getPrompt(simple?.name ?? '');
    expect(prompt.messages.length).toBeGreaterThan(0);
    const read = await run(source, 'everything__read_resource', { uri: first.uri });
    expect(read.content.length).toBeGreaterThan(0);
  });

  it('prefixing keeps two servers apart; without it the collision names both sources', async () => {
    const a = nodeServer('one', serverEntry('server-everything'), [], { toolFilter: { allow: ['echo'] } });
    const b = nodeServer('two', serverEntry('server-everything'), [], {
      toolFilter: { allow: ['echo', 'get-sum'] },
    });
    const names = (await resolveTools([a, b], ctx)).map((t) => t.name);
    expect(names).toEqual(['one__echo', 'two__echo', 'two__get-sum']);
    const c = nodeServer('three', serverEntry('server-everything'), [], {
      toolNaming: 'none',
      toolFilter: { deny: ['get-sum'] },
    });
    const d = nodeServer('four', serverEntry('server-everything'), [], { toolNaming: 'none' });
    const error = await resolveTools([c, d], ctx).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /"echo" from tool source "three" and by "echo" from tool source "four"/,
    );
  });

  it('cancels and times out a long call, then the next call works', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'), [], { callTimeoutMs: 300 });
    await source.connect(); // the handshake is not what is measured
    const controller = new AbortController();
    // Each call would run 5 s on the server; ending well before that proves the abort and the timeout acted
    // (bounds are loose: a loaded 2-core CI machine).
    let started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const aborted = await source
      .callTool(
        'trigger-long-running-operation',
        { duration: 5, steps: 5 },
        { signal: controller.signal, timeoutMs: 10_000 },
      )
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(aborted)).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
    started = Date.now();
    const timedOut = await source
      .callTool('trigger-long-running-operation', { duration: 5, steps: 5 })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(timedOut)).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await source.callTool('echo', { message: 'again' })).content?.[0]?.text).toBe('Echo: again');
  });

  it('streams progress as tool updates', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'));
    const tools = await source.listTools(ctx);
    const long = tools.find((t) => t.name === 'everything__trigger-long-running-operation');
    const updates: unknown[] = [];
    await long?.execute({
      ...noop,
      signal: ctx.signal,
      args: { duration: 0.3, steps: 3 },
      update: (u) => updates.push(u),
    });
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(String(updates[0])).toMatch(/^progress 1\/3/);
  });

  it('ends the child process on close (no orphan), and reconnects on the next use', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'));
    await source.connect();
    const pid = source.pid as number;
    expect(alive(pid)).toBe(true);
    await source.close();
    await until(() => !alive(pid));
    await source.close();
    expect((await source.callTool('echo', { message: 'back' })).content?.[0]?.text).toBe('Echo: back');
    expect(source.pid).not.toBe(pid);
  });
});

describe('MCP client faults and list changes (fixture server on the SDK)', () => {
  it('re-lists after list_changed and flags the changed definition until acknowledged', async () => {
    const changes: unknown[] = [];
    const source = nodeServer('chg', CHANGING_SERVER, [], { onToolsChanged: (c) => changes.push(c) });
    const first = await source.listMcpTools();
    expect(first.find((t) => t.mcp.name === 'target')?.description).toBe('version 1');
    expect(await source.listMcpTools()).toBe(first); // cached
    await source.callTool('flip', {});
    await until(() => source.listChangedCount > 0);
    const second = await source.listMcpTools();
    const target = second.find((t) => t.mcp.name === 'target');
    expect(target?.description).toBe('version 2');
    expect(target?.mcp.definitionChanged).toBe(true);
    expect(changes).toEqual([{ server: 'chg', added: [], removed: [], changed: ['target'] }]);
    source.acknowledgeDefinitionChange('target');
    expect((await source.listMcpTools()).find((t) => t.mcp.name === 'target')?.mcp.definitionChanged).toBe(
      false,
    );
  });

  it('a server that crashes mid-call gives a typed error, and the next call restarts it', async () => {
    const source = nodeServer('chg', CHANGING_SERVER);
    await source.connect();
    const pid = source.pid as number;
    const error = await source.callTool('crash', {}).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as McpError).server).toBe('chg');
    await until(() => !alive(pid));
    expect((await source.callTool('target', {})).content?.[0]?.text).toBe('target v1');
  });

  it('a missing command is an McpError naming it', async () => {
    const source = nodeServer('gone', '/nonexistent/server.js', [], { connectTimeoutMs: 5000 });
    const error = await source.connect().catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/nonexistent\/server\.js/);
  });

  it("server-everything's own list_changed (after it registers its conditional tools) refreshes the cache", async () => {
    const source = nodeServer('everything', serverEntry('server-everything'));
    const first = await source.listTools(ctx);
    await until(() => source.listChangedCount > 0);
    const second = await source.listTools(ctx);
    expect(second).not.toBe(first);
    expect(await source.listTools(ctx)).toBe(second);
  });

  it('a server that never answers initialize hits the connect timeout, and no child is left', async () => {
    // `node -e <script>`: a process that reads nothing and never answers.
    const mute = nodeServer('mute', '-e', ['setInterval(() => {}, 1000)'], { connectTimeoutMs: 300 });
    const before = childPids();
    const started = Date.now();
    const error = await mute.connect().catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).phase).toBe('connect');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(mute.connected).toBe(false);
    await until(() => childPids().every((pid) => before.includes(pid)));
  });

  it('sanitizes names and shortens long ones with a hash', () => {
    expect(sanitizeToolName('a.b c')).toBe('a_b_c');
    const long = sanitizeToolName(`srv__${'x'.repeat(80)}`);
    expect(long).toHaveLength(64);
    expect(long).not.toBe(sanitizeToolName(`srv__${'x'.repeat(81)}`));
  });
});
