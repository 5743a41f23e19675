import type { FileHandle } from 'node:fs/promises';
import { escapeNul } from './display-name.js';
import { type CappedLine, truncationMarker } from './line-reader.js';

/** Bytes inspected to decide whether a file is binary. */
const SNIFF_BYTES = 8192;

/**
 * True when the first 8 KiB of the open file contain a NUL byte (the usual heuristic of git and grep).
 * Reads at position 0; the handle's own position is not used.
 */
export async function looksBinary(handle: FileHandle): Promise<boolean> {
  const buffer = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
  return buffer.subarray(0, bytesRead).includes(0);
}

/** Cuts a line to `max` characters, marking the cut. */
export function clipLine(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max)}… [line cut at ${max} characters]`;
}

/**
 * A line read by `readCappedLines` as tools show it: cut at `maxChars` characters (marked), or marked as
 * truncated at `maxBytes` bytes when only the byte cap cut it, with NUL bytes escaped.
 */
export function showLine(line: CappedLine, maxChars: number, maxBytes: number): string {
  if (line.text.length > maxChars) return escapeNul(clipLine(line.text, maxChars));
  const text = escapeNul(line.text);
  return line.truncated ? `${text}${truncationMarker(maxBytes)}` : text;
}

/** Replaces the whole content of the open file with `bytes` (positional writes, short writes continued). */
export async function replaceContent(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  await handle.truncate(0);
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
    written += bytesWritten;
  }
}
