import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { BIN, cleanEnv } from '../cli/cli.js';
import { scriptedModel, toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { serverEntry } from './helpers.js';

const INSPECTOR = fileURLToPath(new URL('../../node_modules/.bin/mcp-inspector', import.meta.url));

let model: FixtureServer | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function modelArgs(): Promise<string[]> {
  model = await startFixtureServer({ responses: () => ({ body: textStream(['Hi from ', 'the agent']) }) });
  return ['--base-url', model.baseUrl, '--model', 'test-model', '--no-tools'];
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('open-agent serve mcp (built CLI)', () => {
  it('--stdio: the official SDK client lists and calls the agent tool', async () => {
    const args = await modelArgs();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'serve', 'mcp', '--stdio', ...args],
      env: cleanEnv(),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['agent']);
      const result = await client.callTool({ name: 'agent', arguments: { input: 'hello' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Hi from the agent' }]);
      expect(result.structuredContent).toMatchObject({ stopReason: 'stop' });
    } finally {
      await client.close();
    }
  });

  it('--stdio: the MCP Inspector CLI (0.14.3) lists and calls the agent tool', async () => {
    const args = await modelArgs();
    const server = [process.execPath, BIN, 'serve', 'mcp', '--stdio', ...args];
    const listed = await run(INSPECTOR, ['--cli', ...server, '--method', 'tools/list']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).tools[0].name).toBe('agent');
    const called = await run(INSPECTOR, [
      '--cli',
      ...server,
      '--method',
      'tools/call',
      '--tool-name',
      'agent',
      '--tool-arg',
      'input=hello',
    ]);
    expect(called.code).toBe(0);
    expect(JSON.parse(called.stdout).content[0].text).toBe('Hi from the agent');
  });

  it('HTTP: prints the URL and a per-launch token, serves the SDK client, exits 0 on SIGTERM', async () => {
    const args = await modelArgs();
    const child = spawn(process.execPath, [BIN, 'serve', 'mcp', '--port', '0', ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const end = Date.now() + 10_000;
    while (!/bearer token for this launch: \S+\n/.test(stderr) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 25));
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1] as string;
    const token = /bearer token for this launch: (\S+)/.exec(stderr)?.[1] as string;
    expect(url).toBeDefined();
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const result = await client.callTool({ name: 'agent', arguments: { input: 'hello' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Hi from the agent' }]);
    await client.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--mcp FILE gives the served agent the tools of MCP servers (Claude Desktop JSON)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oa-mcp-cli-'));
    try {
      const file = join(dir, 'mcp.json');
      const config = {
        mcpServers: { everything: { command: process.execPath, args: [serverEntry('server-everything')] } },
      };
      await writeFile(file, JSON.stringify(config));
      model = await startFixtureServer({
        responses: scriptedModel([
          toolCallBody([{ id: 'c1', name: 'everything__echo', args: '{"message":"via mcp"}' }]),
          (request) => {
            expect(wireMessages(request).at(-1)).toMatchObject({ role: 'tool', content: 'Echo: via mcp' });
            return textStream(['Echoed.']);
          },
        ]),
      });
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [
          BIN,
          'serve',
          'mcp',
          '--stdio',
          '--base-url',
          model.baseUrl,
          '--model',
          'm',
          '--no-tools',
          '--mcp',
          file,
        ],
        env: cleanEnv(),
        stderr: 'pipe',
      });
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(transport);
      try {
        const result = await client.callTool({ name: 'agent', arguments: { input: 'echo it' } });
        expect(result.content).toEqual([{ type: 'text', text: 'Echoed.' }]);
        expect(result.structuredContent).toMatchObject({ turns: 2 });
      } finally {
        await client.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
