import { execFile } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './tools-harness.js';

// One line of 128 MiB: the old readers held it whole (+236 MB RSS for 200 MB) and past ~512 MB threw an
// uncaught `RangeError: Invalid string length`. Each reader runs in a child process on the built package,
// so its RSS is measured alone: peak RSS (`resourceUsage().maxRSS`) minus RSS just before the read.
const LONG_LINE_BYTES = 128 * 1024 * 1024;
const RSS_BUDGET = 64 * 1024 * 1024;
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const { dir, cleanup } = tempDir('oa-tools-memory-');
const file = join(dir, 'long.log');
const HEAD = '2026-01-01T00:00:00Z ERROR first ';
const TAIL = '\n2026-01-01T00:00:01Z ERROR second line\n';

beforeAll(() => {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, HEAD);
    const block = Buffer.alloc(1024 * 1024, 'x');
    for (let written = 0; written < LONG_LINE_BYTES; written += block.length) writeSync(fd, block);
    writeSync(fd, TAIL);
  } finally {
    closeSync(fd);
  }
});
afterAll(cleanup);

/** Child scripts: each prints `{ growth, result }` as JSON. */
const READERS: { name: string; body: string; check: (result: unknown) => void }[] = [
  {
    name: 'read_file',
    body: `
      const { builtinTools } = await import(dist + 'node/index.js');
      const [tool] = builtinTools({ root: dir, names: ['read_file'] });
      const run = () => tool.execute({ args: { path: 'long.log' }, signal: new AbortController().signal });
      measure(run);`,
    check: (result) => {
      const text = String(result);
      const lines = text.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^ {5}1\t2026-01-01T00:00:00Z ERROR first x+… \[line cut at 2000 characters\]$/,
      );
      expect(lines[1]).toBe('     2\t2026-01-01T00:00:01Z ERROR second line');
    },
  },
  {
    name: 'logs (analyzeLogFiles)',
    body: `
      const { analyzeLogFiles } = await import(dist + 'node/index.js');
      measure(() => analyzeLogFiles([dir + '/long.log']).then((f) => ({ lines: f.totals.lines, errors: f.totals.levels.error, bytes: f.totals.bytes })));`,
    check: (result) => {
      expect(result).toEqual({ lines: 2, errors: 2, bytes: HEAD.length + LONG_LINE_BYTES + TAIL.length });
    },
  },
];

const PRELUDE = `
  const [dist, dir] = process.argv.slice(1);
  async function measure(run) {
    const before = process.memoryUsage().rss;
    const result = await run();
    const peak = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(JSON.stringify({ growth: Math.max(0, peak - before), result }));
  }
`;

function runChild(body: string): Promise<{ growth: number; result: unknown }> {
  const script = `(async () => { ${PRELUDE} ${body} })().catch((e) => { console.error(e); process.exit(3); });`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, DIST, dir],
      { timeout: 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { growth: number; result: unknown });
      },
    );
  });
}

describe('readers hold a bounded part of each line, whatever its length', () => {
  it.each(READERS)(
    '$name: a 128 MiB line costs < 64 MB of RSS and is cut visibly',
    async (reader) => {
      const { growth, result } = await runChild(reader.body);
      reader.check(result);
      expect(growth).toBeLessThan(RSS_BUDGET);
      console.info(`${reader.name}: RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB for a 128 MiB line`);
    },
    90_000,
  );
});
