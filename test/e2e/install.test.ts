/**
 * The package as users install it: `npm pack` (dist/ is already built by `npm test`), installed into a
 * temporary global prefix (`--prefer-offline`: from npm's cache, the registry only for what it lacks),
 * then used from another directory: the `open-agent` binary, and a CommonJS script that `require`s the
 * library and streams a reply.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../../src/testing/index.js';
import { cleanEnv, textAnswer } from '../cli/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let dir = '';
let prefix = '';

/** Runs a command to completion in `cwd`, collecting output and exit code. */
function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-install-')));
  prefix = join(dir, 'global');
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
  });
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  const env = {
    ...process.env,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', join(dir, filename)], {
    cwd: dir,
    env,
  });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('installed from the npm pack tarball into a global prefix', () => {
  it('has no install scripts, and package metadata names the repository', () => {
    const installed = JSON.parse(
      readFileSync(join(prefix, 'lib', 'node_modules', 'open-agent-sdk', 'package.json'), 'utf8'),
    ) as { scripts?: Record<string, string>; repository?: unknown; homepage?: string; bugs?: unknown };
    expect(Object.keys(installed.scripts ?? {})).not.toContain('prepare');
    expect(Object.keys(installed.scripts ?? {})).not.toContain('install');
    expect(installed.repository).toBeDefined();
    expect(installed.homepage).toMatch(/^https:\/\//);
    expect(installed.bugs).toBeDefined();
  });

  it('open-agent --version and -v, and a run from another directory', async () => {
    const bin = join(prefix, 'bin', 'open-agent');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    expect((await exec(bin, ['--version'], dir)).stdout).toBe(`${version}\n`);
    expect((await exec(bin, ['-v'], dir)).stdout).toBe(`${version}\n`);
    const server = await startFixtureServer({
      responses: () => ({ body: textAnswer(['From the install.']) }),
    });
    try {
      const result = await exec(bin, ['run', '--base-url', server.baseUrl, '--model', 'm', 'hi'], dir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('From the install.\n');
    } finally {
      await server.close();
    }
  });

  it('a CommonJS script requires the package (and its subpaths) and streams a reply', async () => {
    const script = join(dir, 'stream.cjs');
    writeFileSync(
      script,
      `const { stream, modelFor } = require('open-agent-sdk');
const testing = require('open-agent-sdk/testing');
require('open-agent-sdk/node');
(async () => {
  const model = modelFor({ id: 'm', baseUrl: process.env.BASE_URL, provider: 'custom' });
  let text = '';
  for await (const event of stream(model, { messages: [{ role: 'user', content: 'hi', timestamp: 0 }] })) {
    if (event.type === 'text_delta') text += event.delta;
  }
  console.log(typeof testing.startFixtureServer, text);
})();
`,
    );
    const server = await startFixtureServer({
      responses: () => ({ body: textAnswer(['Hello ', 'from CJS.']) }),
    });
    try {
      const result = await exec(process.execPath, [script], dir, {
        BASE_URL: server.baseUrl,
        NODE_PATH: join(prefix, 'lib', 'node_modules'),
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('function Hello from CJS.\n');
    } finally {
      await server.close();
    }
  });
});
