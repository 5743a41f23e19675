import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type CappedLine, readCappedLines } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'oa-line-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function linesOf(
  content: string | Buffer,
  maxLineBytes: number,
  chunkBytes?: number,
): Promise<CappedLine[]> {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  const handle = await open(path, 'r');
  const lines: CappedLine[] = [];
  try {
    await readCappedLines(
      handle,
      { maxLineBytes, ...(chunkBytes !== undefined && { chunkBytes }) },
      (line) => {
        lines.push(line);
        return true;
      },
    );
  } finally {
    await handle.close();
  }
  return lines;
}

/** What `readline` (crlfDelay: Infinity) reports for text without lone CRs: split on \n, strip one \r. */
function reference(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map((part) => (part.endsWith('\r') ? part.slice(0, -1) : part));
}

describe('readCappedLines', () => {
  it('gives the lines readline gives, for any chunk size (property, seeded)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\n', '\r\n', ' '), maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 17 }), async (content, chunkBytes) => {
        const lines = await linesOf(content, 1024, chunkBytes);
        expect(lines.map((line) => line.text)).toEqual(reference(content));
        expect(lines.every((line) => !line.truncated)).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  /** Cut lines: the kept text, the full byte length, and a cut on a character boundary. */
  const CUTS: [string, string, number, CappedLine[]][] = [
    [
      'ASCII',
      'abcdefgh\nxy\n',
      4,
      [
        { text: 'abcd', bytes: 8, truncated: true },
        { text: 'xy', bytes: 2, truncated: false },
      ],
    ],
    ['exactly at the cap, with CRLF', 'abcd\r\n', 4, [{ text: 'abcd', bytes: 4, truncated: false }]],
    ['a 3-byte character across the cap', 'ab€cd', 3, [{ text: 'ab', bytes: 7, truncated: true }]],
    ['a 4-byte character ending at the cap', '😀x', 4, [{ text: '😀', bytes: 5, truncated: true }]],
    ['no final newline', 'last', 10, [{ text: 'last', bytes: 4, truncated: false }]],
  ];
  it.each(CUTS)('%s', async (_name, content, cap, expected) => {
    for (const chunkBytes of [1, 2, 3, 65_536])
      expect(await linesOf(content, cap, chunkBytes)).toEqual(expected);
  });

  it('stops when onLine returns false, and rejects (never throws elsewhere) on abort', async () => {
    const path = join(dir, 'stop');
    writeFileSync(path, 'a\nb\nc\n');
    const handle = await open(path, 'r');
    try {
      const seen: string[] = [];
      const count = await readCappedLines(handle, { maxLineBytes: 8 }, (line) => {
        seen.push(line.text);
        return seen.length < 2;
      });
      expect({ count, seen }).toEqual({ count: 2, seen: ['a', 'b'] });
      const aborted = readCappedLines(handle, { maxLineBytes: 8, signal: AbortSignal.abort() }, () => true);
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      // The handle still works after both.
      expect(await readCappedLines(handle, { maxLineBytes: 8 }, () => true)).toBe(3);
    } finally {
      await handle.close();
    }
  });
});
