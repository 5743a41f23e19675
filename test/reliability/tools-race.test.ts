import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltinToolName } from '../../src/tools/builtin/index.js';
import { call, fileTool, leftBehind, openFds, tempDir } from './tools-harness.js';
import { startSwapper } from './tools-swapper.js';

// BASE/root is the tools' root; BASE/outside holds target.txt. A swapper process keeps turning root/dir and
// root/file.txt into symlinks to outside and back while the tools are called in a loop.
const { dir: base, cleanup } = tempDir('oa-tools-race-');
const root = join(base, 'root');
const outside = join(base, 'outside');
const SECRET = 'OUTSIDE-SECRET';

beforeAll(() => {
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'target.txt'), SECRET);
});
afterAll(cleanup);

/** The calls made while names are being swapped; each would write or read outside if a swap won. */
const CALLS: [BuiltinToolName, Record<string, unknown>][] = [
  ['write_file', { path: 'file.txt', content: 'pwned' }],
  ['write_file', { path: 'dir/f.txt', content: 'pwned' }],
  ['write_file', { path: 'dir/new.txt', content: 'pwned' }],
  ['write_file', { path: 'dir/sub/deep.txt', content: 'pwned' }],
  ['edit_file', { path: 'file.txt', old_string: SECRET, new_string: 'pwned' }],
  ['edit_file', { path: 'dir/target.txt', old_string: SECRET, new_string: 'pwned' }],
  ['read_file', { path: 'file.txt' }],
  ['read_file', { path: 'dir/target.txt' }],
  ['search_files', { pattern: 'SECRET', path: 'dir' }],
  ['list_directory', { path: 'dir' }],
];

describe('a racing symlink swapper never gets a tool outside the root', () => {
  it('2 s of swaps: no write lands outside, no read returns outside content', async () => {
    const fds = openFds();
    const swapper = startSwapper(root, outside, 2000);
    const tools = new Map(CALLS.map(([name]) => [name, fileTool(root, name)]));
    const counts = { ok: 0, refused: 0, calls: 0 };
    let stop = false;
    void swapper.done.then(() => {
      stop = true;
    });
    // Bounded: the swapper ends after 2 s, and at most 20,000 calls are made.
    while (!stop && counts.calls < 20_000) {
      for (const [name, args] of CALLS) {
        const tool = tools.get(name);
        if (tool === undefined) throw new Error(name);
        const result = await call(tool, args);
        counts.calls++;
        if (result.isError) counts.refused++;
        else counts.ok++;
        expect(result.text).not.toContain(SECRET);
        // A listing of the swapped directory never shows the outside directory's entries.
        if (name === 'list_directory') expect(result.text.split('\n')).not.toContain('target.txt');
      }
    }
    const rounds = await swapper.done;
    expect(rounds).toBeGreaterThan(0);
    expect(counts.calls).toBeGreaterThan(CALLS.length);
    // Outside: exactly what was there, unchanged.
    expect(readdirSync(outside)).toEqual(['target.txt']);
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe(SECRET);
    // The next call works once the swapping stops.
    expect(await call(fileTool(root, 'write_file'), { path: 'after.txt', content: 'x' })).toMatchObject({
      isError: false,
    });
    expect(await leftBehind(fds)).toEqual([]);
    console.info(`race: ${counts.calls} calls (${counts.ok} ok, ${counts.refused} refused), ${rounds} swaps`);
  }, 30_000);
});
