/**
 * Where {@link readCappedLines} reads bytes from: a `FileHandle` (read at increasing positions), or any
 * sequential source with the same `read` shape (a decompressing stream ignores `position`).
 */
export interface ByteSource {
  /** Reads up to `length` bytes into `buffer` at `offset`; `bytesRead` 0 means the end. */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** One line of a file, at most `maxLineBytes` of it kept. */
export interface CappedLine {
  /** The kept text (UTF-8 decoded, cut on a character boundary, without the line ending). */
  text: string;
  /** The line's full length in bytes, line ending excluded. */
  bytes: number;
  /** True when the line was longer than `maxLineBytes` and `text` holds only its start. */
  truncated: boolean;
}

/** Options of {@link readCappedLines}. */
export interface ReadCappedLinesOptions {
  /** Bytes kept of each line; the rest is counted but never held in memory. */
  maxLineBytes: number;
  /** Bytes read per `read()` call. @default 65536 */
  chunkBytes?: number;
  /** Checked between chunks: an aborted signal rejects with its reason. */
  signal?: AbortSignal;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The marker appended to a line cut by {@link readCappedLines}. */
export function truncationMarker(maxLineBytes: number): string {
  return `… [line truncated at ${maxLineBytes} bytes]`;
}

/** `bytes[0, end)` cut back to a whole UTF-8 character, so a cut never shows a replacement character. */
function characterBoundary(bytes: Buffer, end: number): number {
  let start = end;
  // Back over continuation bytes (10xxxxxx) to the lead byte of the last character, at most 3.
  while (start > 0 && end - start < 4 && ((bytes[start - 1] ?? 0) & 0xc0) === 0x80) start--;
  if (start === 0) return end;
  const lead = bytes[start - 1] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - (start - 1) >= length ? end : start - 1;
}

/**
 * Reads `handle` (a `FileHandle` or another {@link ByteSource}) from byte 0 line by line (`\n` or `\r\n`), calling `onLine` for each, and stops early when
 * `onLine` returns `false`. Memory is bounded by `chunkBytes + maxLineBytes` whatever the line lengths: a
 * longer line is counted, its start kept and `truncated` set. A last line without a newline is reported;
 * an empty file reports none. Read errors reject the returned promise (never an uncaught stream error).
 *
 * @returns the number of lines reported.
 */
export async function readCappedLines(
  handle: ByteSource,
  options: ReadCappedLinesOptions,
  onLine: (line: CappedLine) => boolean | undefined,
): Promise<number> {
  const { maxLineBytes, signal } = options;
  const chunk = Buffer.allocUnsafe(options.chunkBytes ?? 65_536);
  const kept = Buffer.allocUnsafe(maxLineBytes + 1);
  let keptLength = 0;
  let lineBytes = 0;
  let lastByte = -1;
  let position = 0;
  let count = 0;
  const emit = (): boolean => {
    let bytes = lineBytes;
    let keep = keptLength;
    if (lastByte === CARRIAGE_RETURN) {
      bytes--;
      if (keep > bytes) keep = bytes;
    }
    const truncated = bytes > maxLineBytes;
    const end = truncated ? characterBoundary(kept, Math.min(keep, maxLineBytes)) : keep;
    count++;
    const goOn = onLine({ text: kept.toString('utf8', 0, end), bytes, truncated });
    keptLength = 0;
    lineBytes = 0;
    lastByte = -1;
    return goOn !== false;
  };
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = chunk.subarray(0, bytesRead);
    let start = 0;
    while (start < bytesRead) {
      const newline = data.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytesRead : newline;
      // One byte beyond the cap is kept so a trailing \r of a line exactly at the cap is recognised.
      const room = maxLineBytes + 1 - keptLength;
      if (room > 0 && end > start)
        keptLength += data.copy(kept, keptLength, start, start + Math.min(room, end - start));
      if (end > start) lastByte = data[end - 1] ?? -1;
      lineBytes += end - start;
      if (newline === -1) break;
      if (!emit()) return count;
      start = newline + 1;
    }
  }
  if (lineBytes > 0) emit();
  return count;
}
