import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { writeTinyLlama } from './make-tiny-llama.js';

// Single-thread, CPU-only engine settings for every CLI run.
const ENGINE_ENV = { OPEN_AGENT_LLAMA_THREADS: '1', NODE_LLAMA_CPP_GPU: 'false' };

let dir: string;
let gguf: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oa-cli-engine-'));
  gguf = writeTinyLlama(join(dir, 'tiny.gguf'));
  const bytes = readFileSync(gguf);
  server = createServer((req, res) => {
    if (req.url !== '/tiny.gguf') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

interface RunJson {
  messages: { role: string; api?: string; provider?: string }[];
  usage: { input: number; output: number };
}

describe('open-agent with the embedded engine (no server)', { timeout: 60_000 }, () => {
  it('run --gguf PATH answers in-process (api llama-cpp, token usage)', async () => {
    const result = await runCli(['run', '--gguf', gguf, '--max-tokens', '30', '--output', 'json', 'hello'], {
      env: ENGINE_ENV,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as RunJson;
    expect(output.messages[1]).toMatchObject({ role: 'assistant', api: 'llama-cpp', provider: 'llama-cpp' });
    expect(output.usage.input).toBeGreaterThan(0);
  });

  it('reads modelPath from the config file', async () => {
    const config = join(dir, 'open-agent.config.yaml');
    writeFileSync(config, `modelPath: ${JSON.stringify(gguf)}\nmaxTokens: 20\n`);
    const result = await runCli(['run', '--config', config, '--output', 'json', 'hi'], { env: ENGINE_ENV });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as RunJson).messages[1]).toMatchObject({ api: 'llama-cpp' });
  });

  it('refuses a missing GGUF file as a usage error', async () => {
    const result = await runCli(['run', '--gguf', join(dir, 'none.gguf'), 'hi'], { env: ENGINE_ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--gguf: no such file/);
  });

  it('pull downloads a URI into the models dir, models --local lists it, run --gguf URI uses the cached file', async () => {
    const models = join(dir, 'models');
    const env = { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: models };
    const sha = createHash('sha256').update(readFileSync(gguf)).digest('hex');
    const pulled = await runCli(['pull', `${base}/tiny.gguf`, '--sha256', sha], { env });
    expect(pulled.code).toBe(0);
    expect(pulled.stdout.trim()).toBe(join(models, 'tiny.gguf'));
    expect(pulled.stderr).toContain(`sha256 ${sha}`);
    const listed = await runCli(['models', '--local', '--output', 'json'], { env });
    expect(JSON.parse(listed.stdout)).toMatchObject({
      dir: models,
      models: [{ name: 'tiny.gguf', uri: `${base}/tiny.gguf`, sha256: sha }],
    });
    server.closeAllConnections();
    const run = await runCli(
      ['run', '--gguf', `${base}/tiny.gguf`, '--max-tokens', '10', '--output', 'json', 'x'],
      { env },
    );
    expect(run.code).toBe(0);
  });

  it('pull reports a 404 with exit code 1 and an http error', async () => {
    const result = await runCli(['pull', `${base}/missing.gguf`, '--dir', join(dir, 'm404')], {
      env: ENGINE_ENV,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HTTP 404/);
  });
});
