import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fileTool, leftBehind, openFds, tempDir } from './tools-harness.js';

// A model-supplied pattern with catastrophic backtracking: `(a+)+$` on 41 "a"s and a "!" takes 2^41 steps.
const EVIL_PATTERN = '(a+)+$';
const { dir: root, cleanup } = tempDir('oa-tools-regex-');

beforeAll(() => {
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'evil.txt'), `${'a'.repeat(41)}!\nhello world\n`);
  writeFileSync(join(root, 'src', 'a.ts'), 'const x = 1;\n// TODO: more\nexport const y = x;\n');
  writeFileSync(join(root, 'src', 'b.md'), '# TODO list\n\r\n- one\r\n- two\n');
  mkdirSync(join(root, 'many'));
  for (const name of ['a', 'b', 'c']) writeFileSync(join(root, 'many', `${name}.txt`), 'hit\n'.repeat(100));
});
afterAll(cleanup);

/** Largest gap between ticks of a 10 ms interval while `run` is pending: the event loop's liveness. */
async function maxTickGap<T>(run: () => Promise<T>): Promise<{ value: T; gap: number }> {
  let last = Date.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 10);
  try {
    return { value: await run(), gap };
  } finally {
    clearInterval(timer);
  }
}

/** Each way a catastrophic search must end: how it is stopped and the outcome it must report. */
const STOPS = [
  {
    name: 'the tool timeout',
    options: () => ({ timeoutMs: 300 }),
    outcome: 'timeout',
    text: /timed out after 300 ms/,
  },
  {
    name: 'abort()',
    options: () => ({ signal: AbortSignal.timeout(300) }),
    outcome: 'aborted',
    text: /was aborted/,
  },
] as const;

describe('search_files: a catastrophic pattern cannot freeze the process', () => {
  it.each(STOPS)('is stopped by $name while the event loop keeps running', async (stop) => {
    const fds = openFds();
    const search = fileTool(root, 'search_files');
    const { value, gap } = await maxTickGap(() => call(search, { pattern: EVIL_PATTERN }, stop.options()));
    expect(value).toMatchObject({ isError: true, outcome: stop.outcome });
    expect(value.text).toMatch(stop.text);
    // On the main thread this pattern blocks for seconds; in the worker the loop never stalls for long.
    expect(gap).toBeLessThan(1000);
    // Nothing lost, next call works: the same tool answers a normal search at once.
    const next = await call(search, { pattern: 'hel+o' });
    expect(next).toMatchObject({ isError: false, text: 'evil.txt:2: hello world' });
    // The worker was terminated and every descriptor closed.
    expect(await leftBehind(fds)).toEqual([]);
  });

  it('an invalid pattern is an error result before any worker starts', async () => {
    const result = await call(fileTool(root, 'search_files'), { pattern: '(a' });
    expect(result).toMatchObject({ isError: true, outcome: 'error' });
    expect(result.text).toMatch(/not a valid regular expression/);
  });

  /** Normal patterns: the worker gives exactly what an in-process `RegExp` gives. */
  const NORMAL: [string, Record<string, unknown>, string][] = [
    ['a literal', { pattern: 'TODO' }, 'src/a.ts:2: // TODO: more\nsrc/b.md:1: # TODO list'],
    ['anchors and classes', { pattern: '^- \\w+$' }, 'src/b.md:3: - one\nsrc/b.md:4: - two'],
    ['an empty line with CRLF', { pattern: '^$', path: 'src/b.md' }, 'src/b.md:2: '],
    ['a glob', { pattern: 'x', glob: '*.ts' }, 'src/a.ts:1: const x = 1;\nsrc/a.ts:3: export const y = x;'],
    ['no match', { pattern: 'zzz' }, 'No matches for /zzz/ in 6 files.'],
  ];
  it.each(NORMAL)('%s: results are unchanged', async (_name, args, expected) => {
    const fds = openFds();
    expect((await call(fileTool(root, 'search_files'), args)).text).toBe(expected);
    expect(await leftBehind(fds)).toEqual([]);
  });

  it('matches of several files batched in one worker call keep walk order and the 200-match cap', async () => {
    const result = await call(fileTool(root, 'search_files'), { pattern: '^hit$', path: 'many' });
    const lines = result.text.split('\n');
    expect(lines).toHaveLength(201);
    expect(lines[0]).toBe('many/a.txt:1: hit');
    expect(lines[100]).toBe('many/b.txt:1: hit');
    expect(lines[199]).toBe('many/b.txt:100: hit');
    expect(lines[200]).toBe('(stopped at 200 matches; narrow the pattern, path or glob)');
  });
});
