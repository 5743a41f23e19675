import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { writeTinyLlama } from './make-tiny-llama.js';

// Single-thread, CPU-only engine settings for every CLI run.
const ENGINE_ENV = { OPEN_AGENT_LLAMA_THREADS: '1', NODE_LLAMA_CPP_GPU: 'false' };

let dir: string;
let models: string;
let empty: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oa-engine-fallback-'));
  models = join(dir, 'models');
  empty = join(dir, 'empty');
  mkdirSync(models);
  mkdirSync(empty);
  const newer = writeTinyLlama(join(models, 'newer.gguf'));
  copyFileSync(newer, join(models, 'older.gguf'));
  const past = new Date(Date.now() - 24 * 3600 * 1000);
  utimesSync(join(models, 'older.gguf'), past, past);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no server found: the embedded engine with a cached model', { timeout: 60_000 }, () => {
  it('run uses the newest cached model in-process and says so on stderr', async () => {
    const result = await runCli(['run', '--max-tokens', '20', '--output', 'json', 'hello'], {
      env: { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: models },
    });
    expect(result.stderr).toBe(
      'open-agent: no server found; using the embedded engine with newer.gguf (node-llama-cpp)\n',
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { messages: { role: string; api?: string }[] };
    expect(document.messages[1]).toMatchObject({ role: 'assistant', api: 'llama-cpp' });
  });

  it('with no model cached, the error says how to get a server or a model (one line, exit 2)', async () => {
    const result = await runCli(['run', 'hello'], { env: { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: empty } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: no server given and none found on 127\.0\.0\.1 ports 1: start one/,
    );
    expect(result.stderr).toContain('`ollama serve`');
    expect(result.stderr).toContain(
      'node-llama-cpp is installed but no model is cached, so `open-agent pull hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf`',
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('a named server is never replaced by the engine', async () => {
    const result = await runCli(['run', '--base-url', 'http://127.0.0.1:1/v1', '--model', 'm', 'hello'], {
      env: { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: models },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('embedded engine');
  });
});

describe('doctor reports the embedded engine', { timeout: 60_000 }, () => {
  it('text: version, threads and the cached models, newest first (no server: exit 1)', async () => {
    const result = await runCli(['doctor'], { env: { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: models } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^embedded engine: node-llama-cpp \d+\.\d+\.\d+ \(backend not checked, 1 thread\)/m,
    );
    expect(result.stderr).toContain('used when no server is found): newer.gguf, older.gguf');
  });

  it('json with --engine: the loaded backend and the models', async () => {
    const result = await runCli(['doctor', '--engine', '--output', 'json'], {
      env: { ...ENGINE_ENV, OPEN_AGENT_MODELS_DIR: models },
    });
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as {
      found: string[];
      engine: {
        installed: boolean;
        backend?: string;
        threads: number;
        modelsDir: string;
        models: { name: string }[];
      };
    };
    expect(document.found).toEqual([]);
    expect(document.engine).toMatchObject({ installed: true, backend: 'cpu', threads: 1, modelsDir: models });
    expect(document.engine.models.map((m) => m.name)).toEqual(['newer.gguf', 'older.gguf']);
  });
});
