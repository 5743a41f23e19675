import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { chunk, parseDocument, runCli, sse, usageChunk } from '../cli/cli.js';
import { lastToolResult, messagesOf, oneToolModel, textTurn } from '../e2e/model-script.js';
import { tempDir } from './tools-harness.js';
import { startSwapper } from './tools-swapper.js';

// The real built binary (`dist/cli/main.js`) against a loopback fixture server, with special files, hard
// links and a racing symlink swapper in its --cwd. Each run must end (no hang) with its JSON document.
let server: FixtureServer | undefined;
let base: string;
let root: string;
let outside: string;
let cleanup: () => void;
const SECRET = 'OUTSIDE-SECRET';

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('oa-tools-cli-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(root, 'ok.txt'), 'fine\n');
  writeFileSync(join(outside, 'target.txt'), SECRET);
  execFileSync('mkfifo', [join(root, 'fifo')]);
  symlinkSync('/dev/zero', join(root, 'zero'));
  linkSync(join(outside, 'target.txt'), join(root, 'hardlink.txt'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  cleanup();
});

function runArgs(baseUrl: string, ...extra: string[]): string[] {
  return [
    'run',
    'Do the task',
    '--base-url',
    baseUrl,
    '--model',
    'm',
    '--cwd',
    root,
    '--output',
    'json',
    ...extra,
  ];
}

const WRITE = ['--allow-write', '--tools', 'read_file,search_files,write_file,edit_file'];

/** Each special file and the refusal the model must receive. */
const CASES: { name: string; tool: string; args: Record<string, unknown>; refusal: RegExp }[] = [
  {
    name: 'a FIFO as search_files path',
    tool: 'search_files',
    args: { pattern: 'x', path: 'fifo' },
    refusal: /not a regular file/,
  },
  {
    name: 'write_file onto a FIFO',
    tool: 'write_file',
    args: { path: 'fifo', content: 'x' },
    refusal: /not a regular file/,
  },
  {
    name: 'read_file of /dev/zero via a symlink',
    tool: 'read_file',
    args: { path: 'zero' },
    refusal: /outside the allowed directory/,
  },
  {
    name: 'write_file through a hard link',
    tool: 'write_file',
    args: { path: 'hardlink.txt', content: 'pwned' },
    refusal: /hard links/,
  },
  {
    name: 'edit_file through a hard link',
    tool: 'edit_file',
    args: { path: 'hardlink.txt', old_string: SECRET, new_string: 'pwned' },
    refusal: /hard links/,
  },
];

describe('open-agent run: file tools refuse special files and hard links', () => {
  it.each(CASES)(
    '$name: an error result, then the run finishes',
    async ({ tool, args, refusal }) => {
      server = await startFixtureServer({ responses: oneToolModel(tool, args) });
      const result = await runCli(runArgs(server.baseUrl, ...WRITE));
      expect(result.code).toBe(0);
      const doc = parseDocument(result.stdout);
      expect(doc.stopReason).toBe('stop');
      expect(lastToolResult(server.requests[1]!)).toMatch(refusal);
      expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe(SECRET);
      expect(readdirSync(outside)).toEqual(['target.txt']);
    },
    30_000,
  );
});

/** One assistant turn calling write_file `count` times (alternating targets the swapper races on). */
function writeBatch(turn: number, count: number): ScriptedResponse {
  const paths = ['file.txt', 'dir/f.txt', 'dir/new.txt', 'dir/sub/deep.txt'];
  const calls = Array.from({ length: count }, (_, i) => ({
    index: i,
    id: `call_${turn}_${i}`,
    type: 'function',
    function: {
      name: 'write_file',
      arguments: JSON.stringify({ path: paths[i % paths.length], content: 'pwned' }),
    },
  }));
  return {
    body: sse([
      chunk({ role: 'assistant', content: null }),
      chunk({ tool_calls: calls }),
      chunk({}, 'tool_calls'),
      usageChunk(30, 12),
    ]),
  };
}

describe('open-agent run: a racing symlink swapper', () => {
  it('no write_file call lands outside --cwd while names are swapped for 2 s', async () => {
    let swapping = true;
    let turns = 0;
    server = await startFixtureServer({
      responses: () => {
        turns++;
        return swapping && turns < 30 ? writeBatch(turns, 40) : textTurn('done');
      },
    });
    const swapper = startSwapper(root, outside, 2000);
    void swapper.done.then(() => {
      swapping = false;
    });
    const result = await runCli(runArgs(server.baseUrl, ...WRITE, '--max-turns', '40'));
    const rounds = await swapper.done;
    expect(result.code).toBe(0);
    expect(rounds).toBeGreaterThan(0);
    const results = messagesOf(server.requests.at(-1)!).filter((m) => m.role === 'tool');
    expect(results.length).toBeGreaterThanOrEqual(40);
    expect(readdirSync(outside)).toEqual(['target.txt']);
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe(SECRET);
  }, 60_000);
});

describe('open-agent run: a catastrophic search pattern', () => {
  const EVIL = { pattern: '(a+)+$' };
  beforeEach(() => {
    writeFileSync(join(root, 'evil.txt'), `${'a'.repeat(41)}!\n`);
  });

  it('the tool timeout ends the search and the run goes on', async () => {
    server = await startFixtureServer({ responses: oneToolModel('search_files', EVIL) });
    const result = await runCli(runArgs(server.baseUrl), { env: { OPEN_AGENT_TOOL_TIMEOUT_MS: '500' } });
    expect(result.code).toBe(0);
    expect(lastToolResult(server.requests[1]!)).toBe('Tool search_files timed out after 500 ms.');
    expect(parseDocument(result.stdout).stopReason).toBe('stop');
  }, 30_000);

  it('SIGINT during the search ends the process with its JSON document', async () => {
    server = await startFixtureServer({ responses: oneToolModel('search_files', EVIL) });
    const started = Date.now();
    const result = await runCli(runArgs(server.baseUrl), {
      onSpawn: (child) => {
        // Once the model's request has arrived, the search is about to run: interrupt it.
        const poll = setInterval(() => {
          if ((server?.requests.length ?? 0) >= 1) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        }, 20);
        child.once('close', () => clearInterval(poll));
      },
    });
    // On the main thread, this pattern would keep the process busy far longer than the whole bound here.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.signal).toBeNull();
    expect([0, 1, 130]).toContain(result.code);
    expect(parseDocument(result.stdout).messages.length).toBeGreaterThan(0);
  }, 30_000);
});
