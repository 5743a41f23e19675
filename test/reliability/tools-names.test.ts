import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fileTool, leftBehind, openFds, tempDir } from './tools-harness.js';

// File names chosen by an attacker (a cloned repository, an unpacked archive) can hold a newline, an
// escape sequence or a DEL; tool output must show each name on exactly one line, escaped JSON-style.
const { dir: root, cleanup } = tempDir('oa-tools-names-');
const NEWLINE_NAME = 'evil\nfake.ts:1: injected.txt';
const ESCAPE_NAME = 'term\u001b[31mred.txt';
const DEL_NAME = 'del\u007f.txt';
const SEPARATOR_NAME = 'line\u2028sep.txt';

beforeAll(() => {
  mkdirSync(join(root, 'dir'));
  for (const name of [NEWLINE_NAME, ESCAPE_NAME, DEL_NAME, SEPARATOR_NAME]) {
    writeFileSync(join(root, 'dir', name), 'needle\n');
  }
  writeFileSync(join(root, 'dir', 'plain.txt'), 'needle\n');
  // A text file (no NUL in its first 8 KiB) with NUL bytes further on.
  writeFileSync(join(root, 'late-nul.txt'), `${'text\n'.repeat(2000)}a\0b needle\0\n`);
});
afterAll(cleanup);

const ESCAPED = [
  '"evil\\nfake.ts:1: injected.txt"',
  '"term\\u001b[31mred.txt"',
  '"del\\u007f.txt"',
  '"line\\u2028sep.txt"',
];

/** Each tool that prints names or file text, and what its output must (not) contain. */
const CASES: { name: string; run: () => ReturnType<typeof call>; lines: number; shows: string[] }[] = [
  {
    name: 'list_directory escapes names',
    run: () => call(fileTool(root, 'list_directory'), { path: 'dir' }),
    lines: 5,
    shows: [...ESCAPED, 'plain.txt'],
  },
  {
    name: 'search_files escapes the file part of each match',
    run: () => call(fileTool(root, 'search_files'), { pattern: 'needle', path: 'dir' }),
    lines: 5,
    shows: ESCAPED.map((name) => `dir/${name.slice(1, -1)}`).map((name) => `"${name}":1: needle`),
  },
  {
    name: 'write_file escapes the name it reports',
    run: () => call(fileTool(root, 'write_file'), { path: `dir/new\nname.txt`, content: 'x' }),
    lines: 1,
    shows: ['Created "dir/new\\nname.txt" (1 bytes).'],
  },
  {
    name: 'read_file shows NUL bytes as \\0',
    run: () => call(fileTool(root, 'read_file'), { path: 'late-nul.txt', offset: 2001 }),
    lines: 1,
    shows: ['  2001\ta\\0b needle\\0'],
  },
  {
    name: 'search_files shows NUL bytes as \\0',
    run: () => call(fileTool(root, 'search_files'), { pattern: 'b needle', path: 'late-nul.txt' }),
    lines: 1,
    shows: ['late-nul.txt:2001: a\\0b needle\\0'],
  },
];

describe('tool output escapes control characters in names and never carries a raw NUL', () => {
  it.each(CASES)('$name', async ({ run, lines, shows }) => {
    const fds = openFds();
    const result = await run();
    expect(result.isError).toBe(false);
    expect(result.text.split('\n')).toHaveLength(lines);
    for (const shown of shows) expect(result.text).toContain(shown);
    expect(result.text).not.toContain('\0');
    expect(result.text).not.toContain('\u001b');
    expect(await leftBehind(fds)).toEqual([]);
  });

  it('a refusal quotes the requested path with escapes', async () => {
    const result = await call(fileTool(root, 'read_file'), { path: 'missing\n\u001b.txt' });
    expect(result).toMatchObject({ isError: true });
    expect(result.text).toContain('"missing\\n\\u001b.txt" does not exist');
  });
});
