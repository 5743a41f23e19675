import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from './cli.js';

let server: FixtureServer;
beforeAll(async () => {
  // Every case here must fail before sending: an empty script turns any request into a visible error.
  server = await startFixtureServer({ responses: [] });
});
afterAll(async () => {
  await server.close();
});

async function expectUsageError(
  args: string[],
  reason: RegExp,
  env: Record<string, string> = {},
): Promise<void> {
  const result = await runCli(args, { env });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(reason);
  expect(server.requests).toHaveLength(0);
}

describe('open-agent run: bad flags exit 2 and print no JSON', () => {
  const base = (): string[] => ['--base-url', server.baseUrl, '--model', 'm', '--output', 'json'];

  it('missing model', async () => {
    await expectUsageError(
      ['run', 'Hi', '--base-url', server.baseUrl, '--output', 'json'],
      /^error: .*--model.*OPENAI_MODEL.*\n$/,
    );
  });

  it('missing base URL', async () => {
    await expectUsageError(
      ['run', 'Hi', '--model', 'm', '--output', 'json'],
      /^error: .*--base-url.*OPENAI_BASE_URL.*\n$/,
    );
  });

  it('a base URL that is not http(s)', async () => {
    await expectUsageError(
      ['run', 'Hi', '--base-url', 'localhost:11434', '--model', 'm'],
      /^error: --base-url must be an http\(s\) URL/,
    );
  });

  it.each([['0'], ['-3'], ['1.5'], ['abc']])('--max-tokens %s', async (value) => {
    await expectUsageError(
      ['run', 'Hi', ...base(), '--max-tokens', value],
      /^error: --max-tokens must be a positive integer/,
    );
  });

  it.each([['2.5'], ['-0.1'], ['warm']])('--temperature %s', async (value) => {
    await expectUsageError(
      ['run', 'Hi', ...base(), '--temperature', value],
      /^error: --temperature must be a number from 0 to 2/,
    );
  });

  it('--max-turns 0', async () => {
    await expectUsageError(
      ['run', 'Hi', ...base(), '--max-turns', '0'],
      /^error: --max-turns must be a positive integer/,
    );
  });

  it('--output xml', async () => {
    await expectUsageError(
      ['run', 'Hi', '--base-url', server.baseUrl, '--model', 'm', '--output', 'xml'],
      /^error: --output must be one of text, json, stream-json/,
    );
  });

  it('unknown --provider', async () => {
    await expectUsageError(
      ['run', 'Hi', ...base(), '--provider', 'acme'],
      /^error: unknown --provider "acme"; known: ollama, .*custom\n$/,
    );
  });

  it('an unknown flag', async () => {
    await expectUsageError(['run', 'Hi', ...base(), '--frobnicate'], /unknown option '--frobnicate'/);
  });

  it('a second prompt argument', async () => {
    await expectUsageError(['run', 'Hi', 'there', ...base()], /too many arguments/);
  });

  it('no prompt and an empty stdin', async () => {
    const result = await runCli(['run', ...base()], { stdin: 'ignore' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: the prompt is empty/);
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown command', async () => {
    await expectUsageError(['frobnicate', 'Hi'], /unknown command 'frobnicate'/);
  });
});

describe('open-agent help and version', () => {
  it('run --help documents every flag, the environment, the exit codes, the formats and examples', async () => {
    const result = await runCli(['run', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout;
    for (const flag of [
      '--base-url <url>',
      '--model <id>',
      '--provider <name>',
      '--api-key <key>',
      '--system <text>',
      '--max-tokens <n>',
      '--temperature <t>',
      '--max-turns <n>',
      '--output <format>',
      '--help',
    ]) {
      expect(help).toContain(flag);
    }
    for (const text of ['OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_API_KEY', 'stream-json', 'json', 'text']) {
      expect(help).toContain(text);
    }
    expect(help).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*[\s\S]*\n\s+2 /);
    expect(help).toContain('ignore types you do not know');
    expect(help).toContain('--base-url http://localhost:11434/v1 --model qwen3:8b');
    expect(help).toContain('--base-url http://localhost:1234/v1 --model qwen/qwen3-8b');
  });

  it('--help lists the run command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+run \[options\] \[prompt\]/m);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });
});
