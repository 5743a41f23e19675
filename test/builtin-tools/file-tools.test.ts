import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltinToolName, builtinTools, globToRegExp } from '../../src/tools/builtin/index.js';
import { callTool, tempDir } from './harness.js';

const { dir: root, cleanup } = tempDir();
beforeAll(() => {
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  writeFileSync(join(root, 'lines.txt'), Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const answer = 42;\n// TODO: more\n');
  writeFileSync(join(root, 'src', 'deep', 'b.md'), '# TODO list\n');
  writeFileSync(join(root, 'blob.bin'), Buffer.from([0x50, 0x4b, 0, 1, 2, 3]));
});
afterAll(cleanup);

function toolNamed(name: BuiltinToolName) {
  const [tool] = builtinTools({ root, names: [name] });
  if (!tool) throw new Error(name);
  return tool;
}

describe('read_file', () => {
  it('numbers lines; offset is the 1-based first line and limit a line count', async () => {
    const result = await callTool(toolNamed('read_file'), { path: 'lines.txt', offset: 10, limit: 3 });
    expect(result.text).toBe(
      '    10\tline 10\n    11\tline 11\n    12\tline 12\n(lines 10-12 shown; more follow: call again with offset 13)',
    );
  });

  it('says when the offset is past the end, and refuses directories and binary files', async () => {
    expect((await callTool(toolNamed('read_file'), { path: 'lines.txt', offset: 99 })).text).toMatch(
      /has 50 lines/,
    );
    const dir = await callTool(toolNamed('read_file'), { path: 'src' });
    expect(dir).toMatchObject({ isError: true });
    expect(dir.text).toMatch(/is a directory; use list_directory/);
    expect((await callTool(toolNamed('read_file'), { path: 'blob.bin' })).text).toMatch(/binary file/);
    expect((await callTool(toolNamed('read_file'), { path: 'nope.txt' })).text).toMatch(/does not exist/);
  });

  it('rejects bad arguments through the schema', async () => {
    const result = await callTool(toolNamed('read_file'), { path: 'lines.txt', offset: 0 });
    expect(result).toMatchObject({ isError: true, outcome: 'invalid' });
  });
});

describe('list_directory and search_files', () => {
  it('lists sorted entries with / for directories', async () => {
    expect((await callTool(toolNamed('list_directory'), { path: '.' })).text).toBe(
      'blob.bin\nlines.txt\nsrc/',
    );
  });

  it('searches with a regex, narrowed by glob and path', async () => {
    const all = await callTool(toolNamed('search_files'), { pattern: 'TODO' });
    expect(all.text).toBe('src/a.ts:2: // TODO: more\nsrc/deep/b.md:1: # TODO list');
    const md = await callTool(toolNamed('search_files'), { pattern: 'TODO', glob: '*.md' });
    expect(md.text).toBe('src/deep/b.md:1: # TODO list');
    const inDeep = await callTool(toolNamed('search_files'), { pattern: 'TODO', path: 'src/deep' });
    expect(inDeep.text).toBe('src/deep/b.md:1: # TODO list');
    const bad = await callTool(toolNamed('search_files'), { pattern: '(' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/not a valid regular expression/);
  });

  it('globs support character classes (picomatch), and the skipped directories are named to the model', async () => {
    mkdirSync(join(root, 'logs'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
    for (const name of ['app1.log', 'app2.log', 'appX.log'])
      writeFileSync(join(root, 'logs', name), `NEEDLE in ${name}\n`);
    writeFileSync(join(root, 'node_modules', 'pkg', 'index.log'), 'NEEDLE in node_modules\n');
    const search = toolNamed('search_files');
    const digits = await callTool(search, { pattern: 'NEEDLE', glob: 'app[0-9].log' });
    expect(digits.text).toBe('logs/app1.log:1: NEEDLE in app1.log\nlogs/app2.log:1: NEEDLE in app2.log');
    const negated = await callTool(search, { pattern: 'NEEDLE', glob: 'logs/app[!0-9].log' });
    expect(negated.text).toBe('logs/appX.log:1: NEEDLE in appX.log');
    // node_modules is skipped while walking, but searched when the path names it.
    expect((await callTool(search, { pattern: 'NEEDLE', glob: '*.log' })).text).not.toContain('node_modules');
    expect((await callTool(search, { pattern: 'NEEDLE', path: 'node_modules' })).text).toBe(
      'node_modules/pkg/index.log:1: NEEDLE in node_modules',
    );
    expect(search.description).toContain(
      'These directories are skipped unless path names one: .git, node_modules, .hg, .svn, dist, .venv, __pycache__.',
    );
  });

  it('globToRegExp: *, **, ?, braces, classes and POSIX classes', () => {
    expect(globToRegExp('file[[:digit:]].txt').test('a/file7.txt')).toBe(true);
    expect(globToRegExp('file[[:digit:]].txt').test('a/fileX.txt')).toBe(false);
    expect(globToRegExp('[ab].ts').test('src/b.ts')).toBe(true);
    expect(globToRegExp('[ab].ts').test('src/c.ts')).toBe(false);
    expect(globToRegExp('*.ts').test('.hidden.ts')).toBe(true);
    expect(globToRegExp('*.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/deep/a.ts')).toBe(false);
    expect(globToRegExp('src/**/*.ts').test('src/deep/a.ts')).toBe(true);
    expect(globToRegExp('src/**/*.ts').test('src/a.ts')).toBe(true);
    expect(globToRegExp('*.{md,txt}').test('x/y.txt')).toBe(true);
    expect(globToRegExp('a?.js').test('ab.js')).toBe(true);
  });
});

describe('write_file and edit_file', () => {
  it('creates files (and parents) and replaces them', async () => {
    const write = toolNamed('write_file');
    expect((await callTool(write, { path: 'out/new.txt', content: 'one' })).text).toBe(
      'Created out/new.txt (3 bytes).',
    );
    expect((await callTool(write, { path: 'out/new.txt', content: 'two' })).text).toBe(
      'Replaced out/new.txt (3 bytes).',
    );
    expect(readFileSync(join(root, 'out', 'new.txt'), 'utf8')).toBe('two');
  });

  it('replaces an exact, unique string; refuses a missing or ambiguous one with advice', async () => {
    writeFileSync(join(root, 'edit.txt'), 'alpha beta alpha\n');
    const edit = toolNamed('edit_file');
    const ambiguous = await callTool(edit, { path: 'edit.txt', old_string: 'alpha', new_string: 'x' });
    expect(ambiguous).toMatchObject({ isError: true });
    expect(ambiguous.text).toMatch(/occurs 2 times.*replace_all/);
    const missing = await callTool(edit, { path: 'edit.txt', old_string: 'gamma', new_string: 'x' });
    expect(missing.text).toMatch(/was not found/);
    expect((await callTool(edit, { path: 'edit.txt', old_string: 'beta', new_string: '$&$&' })).isError).toBe(
      false,
    );
    expect(readFileSync(join(root, 'edit.txt'), 'utf8')).toBe('alpha $&$& alpha\n');
    await callTool(edit, { path: 'edit.txt', old_string: 'alpha', new_string: 'z', replace_all: true });
    expect(readFileSync(join(root, 'edit.txt'), 'utf8')).toBe('z $&$& z\n');
  });
});
