import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathRefusedError } from '../../src/tools/builtin/confine.js';
import type { BuiltinToolName } from '../../src/tools/builtin/index.js';
import { openInsideRoot } from '../../src/tools/builtin/open-inside-root.js';
import { call, fileTool, leftBehind, openFds, tempDir } from './tools-harness.js';

// Layout: BASE/root is the tools' root. It holds a FIFO, a Unix socket, a symlink to /dev/zero, and a hard
// link to BASE/outside/target.txt. Opening a FIFO blocking would hang; reading /dev/zero would never end.
const { dir: base, cleanup } = tempDir('oa-tools-special-');
const root = join(base, 'root');
const outside = join(base, 'outside');
const SECRET = 'OUTSIDE-CONTENT\n';
let socketServer: Server;

beforeAll(async () => {
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(root, 'ok.txt'), 'fine\n');
  writeFileSync(join(outside, 'target.txt'), SECRET);
  execFileSync('mkfifo', [join(root, 'fifo')]);
  symlinkSync('/dev/zero', join(root, 'zero'));
  linkSync(join(outside, 'target.txt'), join(root, 'hardlink.txt'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(root, 'sock'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  cleanup();
});

/** Each special file, each tool that could touch it, and the refusal expected. */
const CASES: { tool: BuiltinToolName; args: Record<string, unknown>; refusal: RegExp }[] = [
  { tool: 'search_files', args: { pattern: 'x', path: 'fifo' }, refusal: /"fifo" is not a regular file/ },
  { tool: 'read_file', args: { path: 'fifo' }, refusal: /"fifo" is not a regular file/ },
  { tool: 'write_file', args: { path: 'fifo', content: 'x' }, refusal: /"fifo" is not a regular file/ },
  {
    tool: 'edit_file',
    args: { path: 'fifo', old_string: 'a', new_string: 'b' },
    refusal: /"fifo" is not a regular file/,
  },
  { tool: 'list_directory', args: { path: 'fifo' }, refusal: /not a directory|not a regular file/ },
  { tool: 'read_file', args: { path: 'sock' }, refusal: /not a regular file/ },
  { tool: 'write_file', args: { path: 'sock', content: 'x' }, refusal: /not a regular file/ },
  { tool: 'read_file', args: { path: 'zero' }, refusal: /outside the allowed directory/ },
  { tool: 'search_files', args: { pattern: 'x', path: 'zero' }, refusal: /outside the allowed directory/ },
  { tool: 'write_file', args: { path: 'zero', content: 'x' }, refusal: /outside the allowed directory/ },
  { tool: 'write_file', args: { path: 'hardlink.txt', content: 'pwned' }, refusal: /2 hard links/ },
  {
    tool: 'edit_file',
    args: { path: 'hardlink.txt', old_string: 'OUTSIDE', new_string: 'pwned' },
    refusal: /2 hard links/,
  },
];

describe('file tools accept only regular files inside the root', () => {
  it.each(CASES)('$tool on $args.path is refused at once', async ({ tool, args, refusal }) => {
    const fds = openFds();
    const result = await call(fileTool(root, tool), args, { timeoutMs: 5000 });
    expect(result).toMatchObject({ isError: true, outcome: 'error' });
    expect(result.text).toMatch(refusal);
    // Nothing changed outside the root or in the root's special files.
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe(SECRET);
    expect(readdirSync(outside)).toEqual(['target.txt']);
    // The next call works.
    expect(await call(fileTool(root, 'read_file'), { path: 'ok.txt' })).toMatchObject({
      isError: false,
      text: '     1\tfine',
    });
    expect(await leftBehind(fds)).toEqual([]);
  });

  it('reading through a hard link is allowed (the link is inside the root); writing is not', async () => {
    const read = await call(fileTool(root, 'read_file'), { path: 'hardlink.txt' });
    expect(read.isError).toBe(false);
  });

  /** The typed error behind each result: `PathRefusedError` with the rule that fired. */
  const TYPED: [string, Parameters<typeof openInsideRoot>[2], string][] = [
    ['fifo', 'read', 'not-regular'],
    ['fifo', 'write', 'not-regular'],
    ['fifo', 'any', 'not-regular'],
    ['sock', 'read', 'not-regular'],
    ['zero', 'read', 'outside'],
    ['hardlink.txt', 'write', 'hard-link'],
    ['hardlink.txt', 'edit', 'hard-link'],
    ['ok.txt', 'directory', 'directory'],
    ['.', 'read', 'directory'],
    ['missing.txt', 'read', 'missing'],
    ['.', 'write', 'directory'],
  ];
  it.each(TYPED)('openInsideRoot(%s, %s) throws PathRefusedError %s', async (path, mode, reason) => {
    const fds = openFds();
    const error = await openInsideRoot(root, path, mode).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(PathRefusedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'PathRefusedError', reason });
    expect(await leftBehind(fds)).toEqual([]);
  });

  it('openInsideRoot returns a verified handle for a regular file and creates new ones inside', async () => {
    const opened = await openInsideRoot(root, 'new/deeper/file.txt', 'write');
    try {
      expect(opened).toMatchObject({ created: true, path: join(root, 'new', 'deeper', 'file.txt') });
      expect(opened.stats.isFile()).toBe(true);
    } finally {
      await opened.handle.close();
    }
  });
});
