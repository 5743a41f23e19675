import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommitMessage } from '../../src/commit/commit-message.js';
import { fitDiff } from '../../src/commit/diff-budget.js';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { gitIn, tempRepo } from './git-repo.js';
import { lastToolResult, messagesOf, textTurn, toolCallTurn } from './model-script.js';

const MESSAGE =
  'feat(greet): greet people by name\n\nThe greeting now takes a name and falls back to "world".';
const FILE_TEXT = 'export function greet(name = "world") {';

let repo: { dir: string; cleanup: () => void };
let server: FixtureServer | undefined;
beforeEach(() => {
  repo = tempRepo();
  mkdirSync(join(repo.dir, 'src'));
  writeFileSync(join(repo.dir, 'src', 'greet.ts'), 'export function greet() {\n  return "hello";\n}\n');
  gitIn(repo.dir, 'add', '.');
  gitIn(repo.dir, 'commit', '-q', '-m', 'chore: initial commit');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  repo.cleanup();
});

/**
 * The model: first it reads src/greet.ts with read_file; it checks that the tool result it receives holds
 * the file's text (else it answers 500, which fails the test), then returns the message.
 */
function commitModel(request: RecordedRequest) {
  const result = lastToolResult(request);
  if (result === undefined) return toolCallTurn('read_file', { path: 'src/greet.ts' });
  if (!result.includes(FILE_TEXT))
    return {
      status: 500,
      contentType: 'application/json',
      body: '{"error":{"message":"tool result lacks the file text"}}',
    };
  return textTurn(MESSAGE);
}

async function stageChange(): Promise<void> {
  writeFileSync(join(repo.dir, 'src', 'greet.ts'), `${FILE_TEXT}\n  return \`hello \${name}\`;\n}\n`);
  gitIn(repo.dir, 'add', 'src/greet.ts');
}

function cli(...args: string[]) {
  if (!server) throw new Error('no server');
  return runCli(['commit', '--base-url', server.baseUrl, '--model', 'm', '--cwd', repo.dir, ...args]);
}

describe('open-agent commit in a real git repository', () => {
  it('reads the staged diff, uses read_file, prints the message; --apply commits it', async () => {
    await stageChange();
    server = await startFixtureServer({ responses: commitModel });
    const result = await cli('--apply');
    expect(result.stderr).toMatch(/^Committed [0-9a-f]{12}\.\n$/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${MESSAGE}\n`);
    expect(gitIn(repo.dir, 'log', '-1', '--format=%B').trim()).toBe(MESSAGE);
    expect(gitIn(repo.dir, 'status', '--short')).toBe('');
    // The first request carried the diff, the status and the log for style.
    const prompt = String(messagesOf(server.requests[0]!).find((m) => m.role === 'user')?.content);
    expect(prompt).toContain(`+${FILE_TEXT}`);
    expect(prompt).toContain('M  src/greet.ts');
    expect(prompt).toContain('chore: initial commit');
    expect(server.requests).toHaveLength(2);
  });

  it('--output json gives the parts; without --apply nothing is committed', async () => {
    await stageChange();
    server = await startFixtureServer({ responses: commitModel });
    const result = await cli('--output', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      message: MESSAGE,
      type: 'feat',
      scope: 'greet',
      subject: 'greet people by name',
      applied: false,
    });
    expect(gitIn(repo.dir, 'log', '--format=%s')).toBe('chore: initial commit\n');
  });

  it('--amend --apply rewrites the last message', async () => {
    server = await startFixtureServer({ responses: commitModel });
    await stageChange();
    gitIn(repo.dir, 'commit', '-q', '-m', 'wip');
    const result = await cli('--amend', '--apply');
    expect(result.code).toBe(0);
    expect(gitIn(repo.dir, 'log', '--format=%s')).toBe(
      'feat(greet): greet people by name\nchore: initial commit\n',
    );
    expect(JSON.stringify(messagesOf(server.requests[0]!))).toContain('Its current message:\\nwip');
  });

  it('refuses when nothing is staged or the directory is not a repository, before any model call', async () => {
    server = await startFixtureServer({ responses: [] });
    const nothing = await cli();
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(
      'error: nothing is staged: stage changes with `git add FILE` (or `git add -p`), then run open-agent commit again\n',
    );
    const outside = await runCli([
      'commit',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--cwd',
      join(repo.dir, '.git', '..', '..'),
    ]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/is not inside a git repository/);
    expect(server.requests).toHaveLength(0);
  });

  it('a malformed answer gets one repair turn', async () => {
    await stageChange();
    let calls = 0;
    server = await startFixtureServer({
      responses: () => (++calls === 1 ? textTurn('Updated the greeting function.') : textTurn(MESSAGE)),
    });
    const result = await cli();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${MESSAGE}\n`);
    expect(JSON.stringify(messagesOf(server.requests[1]!))).toContain('is not a Conventional Commits header');
  });
});

describe('commit message and diff helpers', () => {
  it('parses and cleans messages', () => {
    const parsed = parseCommitMessage('<think>hmm</think>\n```\nfix(api)!: drop v1 routes\nBody here.\n```');
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        type: 'fix',
        scope: 'api',
        breaking: true,
        message: 'fix(api)!: drop v1 routes\n\nBody here.',
      },
    });
    expect(parseCommitMessage(`feat: ${'x'.repeat(80)}`)).toMatchObject({ ok: false });
  });

  it('summarizes a large diff per file within the budget', () => {
    const file = (name: string, lines: number) =>
      `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n${Array.from({ length: lines }, (_, i) => `+line ${i}`).join('\n')}\n`;
    const diff = file('small.ts', 3) + file('huge.ts', 5000);
    const { text, summarized } = fitDiff(diff, 4000);
    expect(summarized).toBe(true);
    expect(text.length).toBeLessThan(4500);
    expect(text).toContain('  huge.ts: +5000 -0');
    expect(text).toContain(file('small.ts', 3));
    expect(text).toContain(
      '[diff of huge.ts cut: +5000 -0 lines in all; use read_file on huge.ts to see more]',
    );
  });
});
