/**
 * The README's main-job commands, run as a new user would after `npm link`: `open-agent run …` found on
 * PATH, exactly as printed in the README, with only the local server's address pointed at a loopback
 * imitation.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { cleanEnv } from '../cli/cli.js';
import { textStream } from '../helpers/sse.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's `open-agent run …` lines (one per local server shown). */
function quickStartCommands(): string[] {
  return README.split('\n').filter((line) =>
    /^open-agent run ".*" --base-url http:\/\/localhost:\d+\/v1 --model \S+$/.test(line),
  );
}

/** Splits a README shell line into argv (double-quoted strings and plain words only). */
function argv(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

let server: FixtureServer | undefined;
let bin: string | undefined;
afterEach(async () => {
  if (bin) rmSync(bin, { recursive: true, force: true });
  bin = undefined;
  await server?.close();
  server = undefined;
});

describe('README quick start', () => {
  it('shows the same run command for Ollama and LM Studio', () => {
    const commands = quickStartCommands();
    expect(commands.some((c) => c.includes('localhost:11434/v1'))).toBe(true);
    expect(commands.some((c) => c.includes('localhost:1234/v1'))).toBe(true);
  });

  for (const command of quickStartCommands()) {
    it(command, async () => {
      server = await startFixtureServer({
        responses: () => ({ body: textStream(['src/index.ts', ' exports the SDK.']) }),
      });
      const args = argv(command).map((a) => a.replace(/^http:\/\/localhost:\d+\/v1$/, server?.baseUrl ?? a));
      expect(args.slice(0, 2)).toEqual(['open-agent', 'run']);
      // What `npm link` does: an `open-agent` on PATH pointing at the built CLI.
      bin = mkdtempSync(join(tmpdir(), 'oa-bin-'));
      symlinkSync(join(ROOT, 'dist', 'cli', 'main.js'), join(bin, 'open-agent'));
      const env = cleanEnv();
      const child = spawn('open-agent', args.slice(1), {
        cwd: ROOT,
        env: { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ''}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(code, stderr).toBe(0);
      expect(stdout).toBe('src/index.ts exports the SDK.\n');
      const request = server.requests[0]?.json as {
        model: string;
        messages: { role: string; content: string }[];
      };
      expect(request.model).toBe(args[args.indexOf('--model') + 1]);
      expect(request.messages.at(-1)?.content).toBe(args[2]);
    }, 60_000);
  }
});
