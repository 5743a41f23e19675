import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { chunk, cleanEnv, sse } from '../cli/cli.js';
import { gitIn, tempRepo } from '../e2e/git-repo.js';
import { lastToolResult, messagesOf, textTurn, toolCallTurn } from '../e2e/model-script.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-example-')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The first user message of a request (examples are told apart by their prompt). */
function promptOf(request: RecordedRequest): string {
  return String(messagesOf(request).find((m) => m.role === 'user')?.content ?? '');
}

/** Number of tool results in the request. */
function toolResults(request: RecordedRequest): number {
  return messagesOf(request).filter((m) => m.role === 'tool').length;
}

/** Runs `node examples/NAME args` against a loopback model; returns its output. */
async function runExample(
  name: string,
  model: (request: RecordedRequest) => ScriptedResponse,
  options: { args?: string[]; cwd?: string } = {},
) {
  const server = await startFixtureServer({ responses: model });
  cleanups.push(() => server.close());
  const child = spawn(process.execPath, [join(EXAMPLES, name), ...(options.args ?? [])], {
    cwd: options.cwd ?? EXAMPLES,
    env: cleanEnv({ OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'test-model' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr, server };
}

/** add(12, 30), then multiply(42, 3), then the answer. */
function calculatorModel(request: RecordedRequest): ScriptedResponse {
  const results = toolResults(request);
  if (results === 0) return toolCallTurn('add', { a: 12, b: 30 }, 'call_add');
  if (results === 1)
    return toolCallTurn('multiply', { a: Number(lastToolResult(request)), b: 3 }, 'call_mul');
  return textTurn(`The answer is ${lastToolResult(request)}.`);
}

const STALL: ScriptedResponse = {
  body: sse([chunk({ role: 'assistant', content: 'Once upon a time there was a dragon' })], false),
  stallAtEnd: true,
};

describe('examples run against a loopback server', () => {
  it('01 simple query', async () => {
    const r = await runExample('01-simple-query.mjs', () => textTurn('Air scatters blue light most.'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Air scatters blue light most.\n');
  });

  it('02 calculator tools in manual mode', async () => {
    const r = await runExample('02-calculator-manual.mjs', calculatorModel);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'tool add({"a":12,"b":30}) = 42\ntool multiply({"a":42,"b":3}) = 126\nThe answer is 126.\n',
    );
  });

  it('03 automatic tool execution', async () => {
    const r = await runExample('03-automatic-tools.mjs', calculatorModel);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tool add -> 42 (ok)\ntool multiply -> 126 (ok)\nThe answer is 126.\n');
    expect(r.stdout).toMatch(/over 3 model calls/);
  });

  it('04 multi-tool agent with hooks', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README.md'), 'one two three\n');
    const r = await runExample(
      '04-multi-tool-agent.mjs',
      (req) =>
        toolResults(req) === 0
          ? toolCallTurn('list_directory', { path: '.' })
          : textTurn(`Files: ${lastToolResult(req)}`),
      { args: [dir] },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Files: README.md\n');
    expect(r.stderr).toContain('→ list_directory {"path":"."}\n← list_directory ok');
  });

  it('05 hooks: security gate, audit log, sandbox redirect', async () => {
    const r = await runExample('05-hooks-patterns.mjs', (req) => {
      const n = toolResults(req);
      if (n === 0) return toolCallTurn('write_file', { path: 'notes.txt', content: 'hello' }, 'c1');
      if (n === 1) return toolCallTurn('run_command', { command: 'rm', args: ['-rf', '/tmp/x'] }, 'c2');
      return textTurn(`last: ${lastToolResult(req)}`);
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/last: .*rm is not allowed here\./);
    const auditLog = /audit log: (.*)\n/.exec(r.stdout)?.[1] ?? '';
    cleanups.push(() => rmSync(join(auditLog, '..'), { recursive: true, force: true }));
    expect(readFileSync(join(auditLog, '..', 'sandbox', 'notes.txt'), 'utf8')).toBe('hello');
    expect(existsSync(join(auditLog, '..', 'notes.txt'))).toBe(false);
    const lines = readFileSync(auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tool: string; error: boolean });
    // The blocked command never ran, so only the write is in the audit log.
    expect(lines).toEqual([
      { tool: 'write_file', args: { path: 'sandbox/notes.txt', content: 'hello' }, error: false },
    ]);
  });

  it('06 context management', async () => {
    const r = await runExample('06-context-management.mjs', (req) =>
      textTurn(`seen ${messagesOf(req).length}`),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('> What is my name?\nseen 6\n');
    expect(r.stdout).toContain('stored 10 messages');
  });

  it('07 interrupts: timeout, conditional, concurrent', async () => {
    const r = await runExample('07-interrupts.mjs', (req) => {
      const prompt = promptOf(req);
      if (prompt === 'Say hi.') return textTurn('hi');
      return STALL;
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'timeout: aborted, kept 35 characters\nconditional: aborted\nconcurrent: stop, aborted\n',
    );
  });

  it('08 git commit agent', async () => {
    const repo = tempRepo();
    cleanups.push(repo.cleanup);
    writeFileSync(join(repo.dir, 'a.txt'), 'a\n');
    gitIn(repo.dir, 'add', 'a.txt');
    const r = await runExample(
      '08-git-commit-agent.mjs',
      () => textTurn('feat: add a.txt\n\nStart the alphabet.'),
      { cwd: repo.dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('feat: add a.txt\n\nStart the alphabet.\n');
  });

  it('09 log analyzer', async () => {
    const dir = tempDir();
    const lines = [
      '2024-05-01T10:00:00Z INFO ok',
      '2024-05-01T10:00:01Z ERROR disk full on /dev/sda1',
      '2024-05-01T10:00:02Z ERROR disk full on /dev/sda2',
    ];
    writeFileSync(join(dir, 'app.log'), `${lines.join('\n')}\n`);
    let prompt = '';
    const r = await runExample(
      '09-log-analyzer.mjs',
      (req) => {
        prompt = promptOf(req);
        return textTurn('Root cause: the disks are full.');
      },
      { args: [join(dir, 'app.log')] },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '3 lines; errors 2; top: disk full on /dev/sda<n>\nRoot cause: the disks are full.\n',
    );
    expect(prompt).toContain('#1 2× [error] disk full on /dev/sda<n>');
  });

  it('10 advanced: a retried request and six concurrent agents', async () => {
    let failedOnce = false;
    const r = await runExample('10-advanced-patterns.mjs', (req) => {
      const prompt = promptOf(req);
      if (prompt === 'Say OK.') {
        if (!failedOnce) {
          failedOnce = true;
          return {
            status: 503,
            contentType: 'application/json',
            body: '{"error":{"message":"loading model"}}',
          };
        }
        return textTurn('OK');
      }
      return textTurn(`fact about ${/about (\w+)/.exec(prompt)?.[1]}`);
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('with retries: OK\n');
    // The retry is logged from the agent's `retry` event.
    expect(r.stderr).toMatch(/retrying \(attempt 2, in \d+ ms\): .*503/);
    expect(r.stdout).toContain(
      'tea: fact about tea\nrivers: fact about rivers\nbridges: fact about bridges\nowls: fact about owls\nmaps: fact about maps\nbells: fact about bells\n',
    );
    expect(r.server.requests.filter((q) => promptOf(q) === 'Say OK.')).toHaveLength(2);
  });
});
