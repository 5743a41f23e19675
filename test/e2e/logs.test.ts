import { createWriteStream, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, parseLine } from '../../src/logs/log-format.js';
import { type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { messagesOf, textTurn } from './model-script.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-logs-')));
const logPath = join(dir, 'app.log');
const START = Date.UTC(2024, 4, 1, 10, 0, 0);

function at(minute: number, i: number): string {
  return new Date(START + minute * 60_000 + (i % 60) * 1000 + (i % 1000)).toISOString();
}

/**
 * Two hours of logs: 400 info lines and 1 warning per minute; one background error at minutes 3, 13, ...,
 * 113 (12); a burst of 150 "connection refused" errors per minute at 10:30–10:32 (450); a burst of 80
 * payment timeouts at 11:15. About 4.5 MB.
 */
async function writeLog(): Promise<void> {
  const out = createWriteStream(logPath);
  const write = (line: string): Promise<void> =>
    new Promise((resolve) => (out.write(`${line}\n`) ? resolve() : out.once('drain', () => resolve())));
  for (let minute = 0; minute < 120; minute++) {
    for (let i = 0; i < 400; i++) {
      await write(
        `${at(minute, i)} INFO GET /api/items/${10000 + i} 200 in ${i % 50} ms request_id=${(minute * 1000 + i).toString(16).padStart(16, '0')}`,
      );
    }
    await write(`${at(minute, 7)} WARN Slow query took ${1000 + minute} ms on table orders`);
    if (minute % 10 === 3) await write(`${at(minute, 9)} ERROR Cache miss storm for key user:${minute}`);
    if (minute >= 30 && minute <= 32) {
      for (let i = 0; i < 150; i++)
        await write(`${at(minute, i)} ERROR Connection to db-${i % 3} refused (attempt ${i % 5})`);
    }
    if (minute === 75) {
      for (let i = 0; i < 80; i++)
        await write(`${at(minute, i)} ERROR Timeout after 3000 ms calling payment-service`);
    }
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

beforeAll(writeLog);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('open-agent logs on a multi-megabyte log', () => {
  it('counts exactly, finds the planted bursts, and gives the model the facts', async () => {
    expect(statSync(logPath).size).toBeGreaterThan(4_000_000);
    let prompt = '';
    const server = await startFixtureServer({
      responses: (request: RecordedRequest) => {
        prompt = String(messagesOf(request).find((m) => m.role === 'user')?.content);
        return textTurn('Root cause: the database refused connections at 10:30.');
      },
    });
    try {
      const result = await runCli([
        'logs',
        logPath,
        '--base-url',
        server.baseUrl,
        '--model',
        'm',
        '--output',
        'json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(doc.files).toEqual([
        { path: logPath, format: 'timestamped', bytes: statSync(logPath).size, lines: 48_662, unparsed: 0 },
      ]);
      expect(doc.totals).toEqual({
        lines: 48_662,
        bytes: statSync(logPath).size,
        levels: { fatal: 0, error: 542, warn: 120, info: 48_000, debug: 0, trace: 0, unknown: 0 },
        errorSignatures: 3,
      });
      expect(doc.span).toEqual({
        first: '2024-05-01T10:00:00.000Z',
        last: expect.stringMatching(/^2024-05-01T11:59:/),
      });
      const signatures = doc.signatures as { signature: string; count: number; samples: string[] }[];
      expect(signatures.map((s) => [s.signature, s.count])).toEqual([
        ['Connection to db-<n> refused (attempt <n>)', 450],
        ['Timeout after <n> ms calling payment-service', 80],
        ['Cache miss storm for key user:<n>', 12],
      ]);
      expect(signatures[0]?.samples).toHaveLength(3);
      expect(doc.peaks).toEqual([
        {
          start: '2024-05-01T10:30:00.000Z',
          end: '2024-05-01T10:33:00.000Z',
          errors: 450,
          topSignature: 'Connection to db-<n> refused (attempt <n>)',
        },
        {
          start: '2024-05-01T11:15:00.000Z',
          end: '2024-05-01T11:16:00.000Z',
          errors: 80,
          topSignature: 'Timeout after <n> ms calling payment-service',
        },
      ]);
      expect(doc.analysis).toBe('Root cause: the database refused connections at 10:30.');
      // The model received the computed facts and samples, not the raw log.
      expect(server.requests).toHaveLength(1);
      expect(prompt).toContain('Lines: 48662. Levels: error 542, warn 120, info 48000.');
      expect(prompt).toContain('#1 450× [error] Connection to db-<n> refused (attempt <n>)');
      expect(prompt).toContain('- 2024-05-01T10:30:00.000Z to 2024-05-01T10:33:00.000Z: 450 errors');
      expect(prompt).toMatch(/sample: 2024-05-01T10:30:\S+ ERROR Connection to db-0 refused/);
      expect(prompt.length).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  });

  it('--no-analysis prints the text report without a model', async () => {
    const result = await runCli(['logs', logPath, '--no-analysis']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`  ${logPath}  timestamped, 48,662 lines`);
    expect(result.stdout).toContain('  #1     450  Connection to db-<n> refused (attempt <n>)');
    expect(result.stdout).toContain('  2024-05-01T10:30:00.000Z → 2024-05-01T10:33:00.000Z  450 errors');
  });

  it('a missing file is a usage error', async () => {
    const result = await runCli(['logs', join(dir, 'nope.log'), '--no-analysis']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.log is not a readable file/);
  });
});

describe('open-agent logs: .gz files, binary files, no server', () => {
  const small = [
    '2024-05-01T10:00:00.000Z INFO started',
    '2024-05-01T10:00:01.000Z ERROR Connection to db-1 refused',
    '2024-05-01T10:00:02.000Z ERROR Connection to db-2 refused',
    '2024-05-01T10:00:03.000Z WARN slow',
  ]
    .join('\n')
    .concat('\n');
  const plainPath = join(dir, 'small.log');
  const gzPath = join(dir, 'small.log.1.gz');
  beforeAll(() => {
    writeFileSync(plainPath, small);
    // Two gzip members (as `cat a.gz b.gz` makes): both are read.
    writeFileSync(gzPath, Buffer.concat([gzipSync(small), gzipSync(small)]));
  });

  it('reads a .gz file decompressed, streaming, with the same counts as the text', async () => {
    const result = await runCli(['logs', gzPath, '--no-analysis', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { files: unknown[]; totals: { levels: Record<string, number> } };
    expect(doc.files).toEqual([
      {
        path: gzPath,
        format: 'timestamped',
        bytes: statSync(gzPath).size,
        compression: 'gzip',
        lines: 8,
        unparsed: 0,
      },
    ]);
    expect(doc.totals.levels).toMatchObject({ error: 4, warn: 2, info: 2 });
    const text = await runCli(['logs', gzPath, '--no-analysis']);
    expect(text.stdout).toContain(`  ${gzPath}  timestamped (gzip), 8 lines`);
  });

  it('a binary file is a usage error that says so (exit 2)', async () => {
    const binary = join(dir, 'core.bin');
    writeFileSync(binary, Buffer.concat([Buffer.from('ELF'), Buffer.alloc(64), Buffer.from('\nmore\n')]));
    const result = await runCli(['logs', binary, '--no-analysis']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${binary} looks binary (it has NUL bytes in the first 8 KiB), not a text log: pass text logs, or .gz files (other compressions such as .zst, .bz2 or .zip need decompressing first)\n`,
    );
  });

  it('a .gz whose decompressed content is binary, and a corrupt .gz, are usage errors', async () => {
    const binaryGz = join(dir, 'blob.gz');
    writeFileSync(binaryGz, gzipSync(Buffer.alloc(100)));
    const binary = await runCli(['logs', binaryGz, '--no-analysis']);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain(
      `error: ${binaryGz} looks binary (its decompressed content has NUL bytes`,
    );
    const corrupt = join(dir, 'cut.log.gz');
    writeFileSync(corrupt, gzipSync(small).subarray(0, 20));
    const cut = await runCli(['logs', corrupt, '--no-analysis']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toBe(`error: ${corrupt} is not a valid gzip file (unexpected end of file)\n`);
  });

  it('without a server: the facts are printed, then why there is no analysis and a hint for --no-analysis', async () => {
    // cleanEnv points local-server probing at port 1, where nothing listens.
    const result = await runCli(['logs', plainPath]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`  ${plainPath}  timestamped, 4 lines`);
    expect(result.stdout).toContain('  #1       2  Connection to db-<n> refused');
    expect(result.stderr).toMatch(
      /^error: no analysis \(the facts above need no model\): no server given and none found on 127\.0\.0\.1 ports 1: /,
    );
    expect(result.stderr).toMatch(
      /\nhint: pass --no-analysis to print only the facts, without this error\n$/,
    );
    const json = await runCli(['logs', plainPath, '--output', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      analysis: null,
      analysisError: expect.stringMatching(/^no model to ask: no server given/),
    });
  });
});

describe('log format detection', () => {
  it.each([
    [
      'jsonl',
      '{"time":"2024-05-01T10:00:00Z","level":"error","msg":"db down id=42"}',
      { level: 'error', message: 'db down id=42' },
    ],
    [
      'jsonl',
      '{"time":1714557600000,"level":50,"msg":"pino error"}',
      { level: 'error', time: Date.UTC(2024, 4, 1, 10) },
    ],
    [
      'access',
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 503 2326 "-" "curl"',
      { level: 'error', message: '503 GET /apache_pb.gif', time: Date.UTC(2000, 9, 10, 20, 55, 36) },
    ],
    [
      'syslog',
      '<11>Oct 11 22:14:15 web01 nginx[123]: upstream timed out',
      { level: 'error', message: 'nginx: upstream timed out' },
    ],
    [
      'syslog',
      '<165>1 2003-10-11T22:14:15.003Z host app 42 ID47 - disk WARNING nearly full',
      { level: 'warn' },
    ],
    [
      'timestamped',
      '2024-05-01 10:00:00,123 [ERROR] worker crashed',
      { level: 'error', message: 'worker crashed' },
    ],
  ] as const)('%s: %s', (format, line, expected) => {
    expect(detectFormat([line, line], 2024)).toBe(format);
    expect(parseLine(format, line, 2024)).toMatchObject(expected);
  });

  it('other text is plain, with levels found in the words', () => {
    expect(detectFormat(['something ERROR happened', 'all fine'], 2024)).toBe('plain');
    expect(parseLine('plain', 'something ERROR happened', 2024)).toMatchObject({ level: 'error' });
  });
});
