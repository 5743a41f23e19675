import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { BIN, type CliResult, cleanEnv, textAnswer } from './cli.js';

const CANARY = 'sk-canary-h2-0123456789abcdef';

let dir: string;
let server: FixtureServer | undefined;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-config-cmd-')));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI in `dir` (where `.env` is read from). */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: cleanEnv(env), stdio: 'pipe' });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('.env in the working directory', () => {
  it('is read (export prefix, quotes, comments) without overriding variables already set', async () => {
    server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    writeFileSync(
      join(dir, '.env'),
      `# the server\nexport OPENAI_BASE_URL=${server.baseUrl}\nOPENAI_MODEL="from-dotenv" # a comment\nOPEN_AGENT_COMPAT_USAGE_IN_STREAM='false'\n`,
    );
    const result = await cli(['run', 'Hi', '--no-tools'], { OPENAI_MODEL: 'from-environment' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const body = server.requests[0]?.json as Record<string, unknown>;
    expect(body.model).toBe('from-environment');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('--no-env-file skips it', async () => {
    writeFileSync(join(dir, '.env'), 'OPENAI_MODEL=from-dotenv\n');
    const read = await cli(['config', '--output', 'json']);
    expect(JSON.parse(read.stdout).settings.model).toEqual({
      value: 'from-dotenv',
      source: 'env:OPENAI_MODEL (.env)',
    });
    const skipped = await cli(['config', '--output', 'json', '--no-env-file']);
    expect(JSON.parse(skipped.stdout).settings.model.value).toBeNull();
    expect(JSON.parse(skipped.stdout).envFile).toBeNull();
  });
});

describe('open-agent config', () => {
  it('prints each setting with its source, the key masked (text)', async () => {
    writeFileSync(join(dir, 'open-agent.config.yml'), 'maxTurns: 7\ncompat:\n  strictTools: true\n');
    const ok = await cli(['config', '--provider', 'vllm'], {
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: CANARY,
      OPEN_AGENT__TIMEOUTS__FIRST_BYTE: '60000',
      VLLM_DISABLE_TOOLS_IN_LLM: '1',
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(CANARY);
    const file = join(dir, 'open-agent.config.yml');
    const line = (key: string) => ok.stdout.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';
    expect(ok.stdout).toContain(`config files: ${file}\n`);
    expect(line('baseUrl')).toMatch(/http:\/\/127\.0\.0\.1:9\/v1\s+\(env:OPENAI_BASE_URL\)$/);
    expect(line('provider')).toMatch(/vllm\s+\(flag\)$/);
    expect(line('apiKey')).toMatch(/set \(from OPENAI_API_KEY\)\s+\(env:OPENAI_API_KEY\)$/);
    expect(line('maxTurns')).toMatch(new RegExp(`7\\s+\\(file:${file}\\)$`));
    expect(line('maxRetries')).toMatch(/0\s+\(env:OPEN_AGENT_MAX_RETRIES\)$/);
    expect(line('timeouts.firstByteMs')).toMatch(/60000\s+\(env:OPEN_AGENT__TIMEOUTS__FIRST_BYTE\)$/);
    expect(line('timeouts.idleMs')).toMatch(/120000\s+\(default\)$/);
    expect(line('compat.strictTools')).toMatch(new RegExp(`true\\s+\\(file:${file}\\)$`));
    expect(line('compat.sendTools')).toMatch(/false\s+\(env:VLLM_DISABLE_TOOLS_IN_LLM\)$/);
    expect(line('compat.nativeSchemaField')).toMatch(/structured_outputs\s+\(preset:vllm\)$/);
    expect(line('compat.usageInStream')).toMatch(/true\s+\(default\)$/);
  });

  it('--output json is a stable document: { v, files, envFile, settings: { KEY: { value, source } }, plugins }', async () => {
    const result = await cli([
      'config',
      '--output',
      'json',
      '--api-key',
      CANARY,
      '--base-url',
      'http://h:1/v1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(CANARY);
    const doc = JSON.parse(result.stdout);
    expect(Object.keys(doc)).toEqual(['v', 'files', 'envFile', 'settings', 'plugins']);
    expect(doc.v).toBe(1);
    expect(doc.plugins).toEqual([]);
    expect(doc.settings.apiKey).toEqual({ value: 'set (from --api-key)', source: 'flag' });
    expect(doc.settings.baseUrl).toEqual({ value: 'http://h:1/v1', source: 'flag' });
    expect(doc.settings.maxTurns).toEqual({ value: 20, source: 'default' });
    expect(doc.settings['compat.toolChoice']).toEqual({ value: true, source: 'default' });
  });

  it('--probe asks the server and marks what it found as probe', async () => {
    server = await startFixtureServer({
      responses: (request) =>
        request.path === '/v1/models'
          ? {
              contentType: 'application/json',
              body: JSON.stringify({ object: 'list', data: [{ id: 'probed-model', object: 'model' }] }),
            }
          : { status: 404, contentType: 'application/json', body: '{"error":"not found"}' },
    });
    const result = await cli(['config', '--output', 'json', '--probe', '--base-url', server.baseUrl]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.probe).toBe('ok');
    expect(doc.settings.model).toEqual({ value: 'probed-model', source: 'probe' });
  });

  it('a bad override exits 2 naming the variable', async () => {
    const result = await cli(['config'], { OPEN_AGENT_COMPAT_SEND_TOOLS: 'perhaps' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: OPEN_AGENT_COMPAT_SEND_TOOLS must be a boolean/);
  });
});
