import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, parseDocument, runCli, sse, textAnswer, toolCallAnswer } from '../cli/cli.js';
import { CHANGING_SERVER } from './helpers.js';

let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A streamed call of `chg__target` with no arguments. */
const callTarget = sse([
  chunk({ role: 'assistant', content: null }),
  chunk({
    tool_calls: [
      { index: 0, id: 'call_t', type: 'function', function: { name: 'chg__target', arguments: '{}' } },
    ],
  }),
  chunk({}, 'tool_calls'),
]);

describe('open-agent run --mcp FILE and mcpServers in the config file', () => {
  it('offers the MCP tools, runs a call, and closes the servers when the run ends', async () => {
    dir = mkdtempSync(join(tmpdir(), 'oa-run-mcp-'));
    const file = join(dir, 'mcp.json');
    writeFileSync(
      file,
      JSON.stringify({ mcpServers: { chg: { command: process.execPath, args: [CHANGING_SERVER] } } }),
    );
    server = await startFixtureServer({
      responses: (_r, i) => ({ body: i === 0 ? callTarget : textAnswer(['target said v1']) }),
    });
    const base = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--output', 'json'];
    const result = await runCli(['run', 'call target', '--mcp', file, ...base]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('MCP server "chg": 4 tools');
    const offered =
      (server.requests[0]?.json as { tools?: { function: { name: string } }[] } | undefined)?.tools ?? [];
    expect(offered.map((t) => t.function.name).sort()).toEqual([
      'chg__crash',
      'chg__flip',
      'chg__hang',
      'chg__target',
    ]);
    const messages = parseDocument(result.stdout).messages as { role: string; content?: unknown }[];
    expect(messages.find((m) => m.role === 'toolResult')?.content).toEqual([
      { type: 'text', text: 'target v1' },
    ]);

    // The same servers from the config file's mcpServers key.
    const config = join(dir, 'open-agent.config.yaml');
    writeFileSync(
      config,
      `mcpServers:\n  chg:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(CHANGING_SERVER)}]\n`,
    );
    const fromConfig = await runCli(['run', 'call target', '--config', config, ...base]);
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(fromConfig.stderr).toContain('MCP server "chg": 4 tools');
  });

  it('a server that cannot start fails before the model is called (exit 1); a bad file is a usage error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'oa-run-mcp-'));
    server = await startFixtureServer({ responses: () => ({ body: toolCallAnswer('stop') }) });
    const base = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools'];
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ mcpServers: { gone: { command: join(dir, 'no-such-binary') } } }));
    const failed = await runCli(['run', 'hi', '--mcp', broken, ...base]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: .*gone/m);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"mcpServers": {"x": {}}}');
    const usage = await runCli(['run', 'hi', '--mcp', bad, ...base]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--mcp .*"x" needs a "command"/);
    expect(server.requests).toHaveLength(0);
  });
});
