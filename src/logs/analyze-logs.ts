import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { readCappedLines, truncationMarker } from '../tools/builtin/line-reader.js';
import { detectFormat, parseLine } from './log-format.js';
import type { Level, LogFormat } from './log-line.js';
import { gunzipSource, isGzip, refuseBinary } from './log-source.js';
import { LogStats, type PeakWindow, type SignatureCount } from './log-stats.js';

/** Lines read to detect a file's format. */
const SAMPLE_LINES = 200;
/**
 * Bytes of one log line analyzed; the rest of a longer line is skipped (never held in memory) and the cut
 * marked, so memory does not depend on line length.
 */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

/** What the analysis found in one file. */
export interface FileFacts {
  path: string;
  format: LogFormat;
  /** Size of the file on disk, in bytes (compressed size for a gzip file). */
  bytes: number;
  /** Set when the file was gzip-compressed (recognised by its magic number) and read decompressed. */
  compression?: 'gzip';
  lines: number;
  /** Lines that did not match the detected format (counted as `unknown` level, kept as plain text). */
  unparsed: number;
}

/** The facts the analyzer computes in code, before any model sees them. */
export interface LogFacts {
  files: FileFacts[];
  totals: { lines: number; bytes: number; levels: Record<Level, number>; errorSignatures: number };
  /** First and last time seen, ISO 8601. */
  span?: { first: string; last: string };
  /** Most frequent error signatures (errors and fatals). */
  signatures: SignatureCount[];
  peaks: PeakWindow[];
}

/** Options of {@link analyzeLogFiles}. */
export interface AnalyzeLogsOptions {
  /** Called every 100,000 lines with the lines read so far. */
  onProgress?: (lines: number) => void;
  /** Year assumed for syslog lines without one. @default the current year */
  year?: number;
  /** Signatures reported. @default 30 */
  signatureLimit?: number;
}

async function analyzeFile(
  path: string,
  stats: LogStats,
  options: AnalyzeLogsOptions,
  year: number,
): Promise<FileFacts> {
  // Non-blocking, so a FIFO named on the command line cannot hang the open; then only regular files.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const sample: string[] = [];
  let format: LogFormat | undefined;
  let lines = 0;
  let unparsed = 0;
  const consume = (raw: string, fmt: LogFormat): void => {
    if (raw.trim() === '') return;
    lines++;
    const parsed = parseLine(fmt, raw, year);
    if (parsed === undefined) unparsed++;
    stats.add(parsed ?? parseLine('plain', raw, year) ?? { level: 'unknown', message: raw }, raw);
    if (stats.lines % 100_000 === 0) options.onProgress?.(stats.lines);
  };
  const marker = truncationMarker(MAX_LOG_LINE_BYTES);
  let size: number;
  let gzip = false;
  let gunzip: ReturnType<typeof gunzipSource> | undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${path} is not a regular file`);
    size = info.size;
    gzip = await isGzip(handle);
    if (gzip) gunzip = gunzipSource(handle, path);
    const source = refuseBinary(gunzip ?? handle, path, gzip);
    await readCappedLines(source, { maxLineBytes: MAX_LOG_LINE_BYTES }, (line) => {
      const raw = line.truncated ? line.text + marker : line.text;
      if (format === undefined) {
        sample.push(raw);
        if (sample.length < SAMPLE_LINES) return true;
        format = detectFormat(sample, year);
        for (const kept of sample) consume(kept, format);
        return true;
      }
      consume(raw, format);
      return true;
    });
  } finally {
    gunzip?.close();
    await handle.close();
  }
  if (format === undefined) {
    format = detectFormat(sample, year);
    for (const line of sample) consume(line, format);
  }
  return { path, format, bytes: size, ...(gzip && { compression: 'gzip' as const }), lines, unparsed };
}

/**
 * Reads log files line by line, by bytes (memory stays bounded on files of any size and any line length:
 * a line longer than {@link MAX_LOG_LINE_BYTES} is analyzed on its start, marked `… [line truncated at N
 * bytes]`); gzip files (recognised by their magic number, e.g. rotated `app.log.1.gz`) are decompressed
 * as a stream through the same capped line reader. Detects each file's
 * format (JSON lines, common/combined access log, syslog, timestamped lines, else plain), and counts levels,
 * error signatures and errors per minute. Every number here is computed in code.
 *
 * @throws the file system error for a file that cannot be read; an `Error` for one that is not a regular
 * file (a FIFO, a device); an {@link InvalidArgumentError} (`argument: 'paths'`) for a file that looks binary
 * (NUL bytes in its first 8 KiB, after decompression) or a corrupt gzip file.
 */
export async function analyzeLogFiles(paths: string[], options: AnalyzeLogsOptions = {}): Promise<LogFacts> {
  const stats = new LogStats();
  const year = options.year ?? new Date().getUTCFullYear();
  const files: FileFacts[] = [];
  for (const path of paths) files.push(await analyzeFile(path, stats, options, year));
  const { firstTime, lastTime } = stats;
  return {
    files,
    totals: {
      lines: stats.lines,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      levels: { ...stats.levels },
      errorSignatures: stats.signatureCount,
    },
    ...(firstTime !== undefined &&
      lastTime !== undefined && {
        span: { first: new Date(firstTime).toISOString(), last: new Date(lastTime).toISOString() },
      }),
    signatures: stats.signatures(options.signatureLimit ?? 30),
    peaks: stats.peaks(),
  };
}
