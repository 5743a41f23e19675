/**
 * The JSONL session file format, version 1. One JSON object per line, `\n`-terminated:
 *
 * - line 1, the header: `{"v":1,"type":"header","sessionId":"…","createdAt":"<ISO 8601>","fileId":"<uuid>"}`
 *   (`fileId` changes with every new file, so a cached reader notices a replaced file);
 * - `{"type":"append","op":"<operationId>","seq":<seq of its first item>,"items":[…]}`: one line per append,
 *   so an append is on disk entirely or not at all;
 * - `{"type":"operations","ops":{"<operationId>":<lastSeq>,…}}`: operation ids carried over by a rewrite;
 * - `{"type":"rewrite","seq":1,"items":[…]}`: the whole log after a rewrite (written into a fresh file).
 *
 * Readers ignore a torn tail (bytes after the last `\n`, or trailing lines that do not parse); a bad line
 * followed by good ones is corruption and fails. Lines of unknown `type` and unknown fields are kept by
 * rewrites. Positions define `seq`: the `seq` field is informational.
 */
import { randomUUID } from 'node:crypto';
import type { SessionItem } from '../store.js';

/** The format version this code writes and reads. */
export const JSONL_FORMAT_VERSION = 1;

const NEWLINE = 0x0a;

/** What a parse learned about a session file. */
export interface LogState {
  /** The header line's text (without `\n`), or `undefined` before one was read. */
  headerText: string | undefined;
  /** The parsed header (unknown fields kept). */
  header: Record<string, unknown> | undefined;
  /** Bytes of the file made of complete, valid lines: where the next append goes. */
  goodBytes: number;
  /** Last `seq` of the log. */
  lastSeq: number;
  /** Operation id → the `lastSeq` its append returned. */
  operations: Map<string, number>;
}

/** Collects what a full read needs beyond {@link LogState}. */
export interface LogSink {
  /** Items in order (replaced by a rewrite record). */
  items: SessionItem[];
  /** Lines of unknown type, kept verbatim for rewrites. */
  unknownLines: string[];
}

/** Why a file cannot be read. */
export class LogFormatError extends Error {
  constructor(
    message: string,
    readonly code: 'ECORRUPT' | 'EVERSION',
  ) {
    super(message);
  }
}

/** A fresh state, before byte 0. */
export function emptyLogState(): LogState {
  return { headerText: undefined, header: undefined, goodBytes: 0, lastSeq: 0, operations: new Map() };
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  return undefined;
}

function applyHeader(state: LogState, record: Record<string, unknown>, text: string): void {
  if (record.type !== 'header' || typeof record.v !== 'number') {
    throw new LogFormatError('its first line is not a session header', 'ECORRUPT');
  }
  if (record.v > JSONL_FORMAT_VERSION) {
    throw new LogFormatError(
      `it was written in format v${record.v} by a newer version of open-agent-sdk (this one reads v${JSONL_FORMAT_VERSION}); upgrade open-agent-sdk`,
      'EVERSION',
    );
  }
  state.header = record;
  state.headerText = text;
}

function applyRecord(state: LogState, record: Record<string, unknown>, text: string, sink?: LogSink): void {
  const items = Array.isArray(record.items) ? (record.items as SessionItem[]) : undefined;
  if (record.type === 'append' && typeof record.op === 'string' && items) {
    if (state.operations.has(record.op)) return; // a racing duplicate: first one wins
    state.lastSeq += items.length;
    state.operations.set(record.op, state.lastSeq);
    sink?.items.push(...items);
  } else if (record.type === 'rewrite' && items) {
    state.lastSeq = items.length;
    if (sink) sink.items = [...items];
  } else if (record.type === 'operations' && typeof record.ops === 'object' && record.ops !== null) {
    for (const [op, seq] of Object.entries(record.ops as Record<string, unknown>)) {
      if (typeof seq === 'number' && !state.operations.has(op)) state.operations.set(op, seq);
    }
  } else if (record.type === 'append' || record.type === 'rewrite' || record.type === 'operations') {
    throw new LogFormatError(`a ${record.type} line is malformed`, 'ECORRUPT');
  } else {
    sink?.unknownLines.push(text);
  }
}

/**
 * Applies the complete lines of `bytes` (which start at file offset `state.goodBytes`) to `state`, and
 * their items to `sink`. Stops at a torn tail; throws {@link LogFormatError} on corruption or a newer
 * format version.
 */
export function applyBytes(state: LogState, bytes: Uint8Array, sink?: LogSink): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let badLine: number | undefined;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end < 0) break; // torn tail: no newline yet
    let text: string | undefined;
    try {
      text = decoder.decode(bytes.subarray(start, end));
    } catch {}
    const record = text === undefined ? undefined : parseLine(text);
    if (!record || text === undefined) {
      badLine ??= state.goodBytes + start;
    } else if (badLine !== undefined) {
      throw new LogFormatError(`the line at byte ${badLine} is not JSON but later lines are`, 'ECORRUPT');
    } else {
      if (state.header === undefined) applyHeader(state, record, text);
      else applyRecord(state, record, text, sink);
      state.goodBytes += end + 1 - start;
    }
    start = end + 1;
  }
}

/** The header line (with `\n`) of a new file for `sessionId`. */
export function headerLine(sessionId: string): string {
  const header = {
    v: JSONL_FORMAT_VERSION,
    type: 'header',
    sessionId,
    createdAt: new Date().toISOString(),
    fileId: randomUUID(),
  };
  return `${JSON.stringify(header)}\n`;
}

/** The line (with `\n`) of one append. `itemTexts` are the items' JSON texts. */
export function appendLine(operationId: string, firstSeq: number, itemTexts: readonly string[]): string {
  return `{"type":"append","op":${JSON.stringify(operationId)},"seq":${firstSeq},"items":[${itemTexts.join(',')}]}\n`;
}

/** The lines (with `\n`) of a rewritten file after its header. */
export function rewriteLines(
  operations: ReadonlyMap<string, number>,
  unknownLines: readonly string[],
  itemTexts: readonly string[],
): string {
  const ops = JSON.stringify({ type: 'operations', ops: Object.fromEntries(operations) });
  const rewrite = `{"type":"rewrite","seq":1,"items":[${itemTexts.join(',')}]}`;
  return [ops, ...unknownLines, rewrite].map((line) => `${line}\n`).join('');
}
