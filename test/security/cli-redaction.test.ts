/**
 * Secrets in the base URL (user-info, `?key=`, `?api-key=`, `?token=`, `?access_token=`) never reach the
 * output of the real binary: `doctor` (text and JSON), `models` (text and JSON), `run` (json and
 * stream-json, success or error), and the `chat` banner, whether the server answered or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { GENERIC, imitate } from '../e2e/fake-servers.js';

const SECRET = 'url-SECRET-4b8d2f6a1c3e5079';

const FORMS: { name: string; url: (base: string) => string }[] = [
  { name: 'user-info password', url: (b) => b.replace('http://', `http://user:${SECRET}@`) },
  { name: 'user-info user name (a token)', url: (b) => b.replace('http://', `http://${SECRET}@`) },
  { name: '?key=', url: (b) => `${b}?key=${SECRET}` },
  { name: '?api-key=', url: (b) => `${b}?api-key=${SECRET}` },
  { name: '?token= and ?access_token=', url: (b) => `${b}?token=${SECRET}&access_token=${SECRET}` },
];

const COMMANDS: { args: string[]; stdin?: string }[] = [
  { args: ['doctor'] },
  { args: ['doctor', '--output', 'json'] },
  { args: ['models'] },
  { args: ['models', '--output', 'json'] },
  { args: ['run', 'hi', '--model', 'some-model', '--output', 'json'] },
  { args: ['run', 'hi', '--model', 'some-model', '--output', 'stream-json'] },
  { args: ['chat', '--model', 'some-model', '--no-tools'], stdin: '/exit\n' },
];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({ responses: imitate(GENERIC) });
});
afterAll(() => server.close());

describe('URL secrets are redacted in every CLI output', () => {
  for (const form of FORMS) {
    it(form.name, { timeout: 60_000 }, async () => {
      const url = form.url(server.baseUrl);
      for (const command of COMMANDS) {
        const result = await runCli([...command.args, '--base-url', url], { stdin: command.stdin ?? '' });
        const shown = `${command.args.join(' ')}: ${result.stdout}${result.stderr}`;
        expect(shown).not.toContain(SECRET);
        expect(result.stdout + result.stderr).not.toBe('');
      }
    });
  }
});
