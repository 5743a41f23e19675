/**
 * What the dashboard reads: the session store (one JSONL file per session) and `--trace` files. Nothing
 * is copied or cached to disk; every request reads the files again (they are small and local).
 *
 * @module
 */
import type { PendingCall, RunLogEntry } from '../agent/run-log.js';
import type { JsonlFileStore } from '../sessions/jsonl-file-store.js';
import { listSessions } from '../sessions/list-sessions.js';
import { pendingCalls, type RunSummary, type SessionView, sessionView } from './timeline.js';
import { readTraceFile, type TraceView, traceView } from './trace-files.js';

/** Most sessions listed (the most recently written). */
export const MAX_LISTED_SESSIONS = 200;

/** The runs list (`GET /api/runs`). */
export interface RunsList {
  /** Sessions, most recently written first. */
  sessions: RunSummary[];
  /** Traces of the `--trace` files, newest first. */
  traces: RunSummary[];
  /** Files or sessions that could not be read, with why (the rest is still listed). */
  problems: { source: string; message: string }[];
}

/** A session's pending calls (`GET /api/interruptions`). */
export interface SessionInterruptions {
  sessionId: string;
  agent?: string;
  runId: string;
  calls: PendingCall[];
}

async function entriesOf(store: JsonlFileStore, id: string): Promise<RunLogEntry[]> {
  const loaded = await store.load(id);
  return loaded.entries.map((e) => e.item as unknown as RunLogEntry);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Summaries of the store's sessions and of the traces of `traceFiles`. */
export async function collectRuns(store: JsonlFileStore, traceFiles: readonly string[]): Promise<RunsList> {
  const list: RunsList = { sessions: [], traces: [], problems: [] };
  let infos: Awaited<ReturnType<typeof listSessions>> = [];
  try {
    infos = (await listSessions(store)).slice(0, MAX_LISTED_SESSIONS);
  } catch (error) {
    list.problems.push({ source: 'sessions', message: messageOf(error) });
  }
  for (const info of infos) {
    try {
      list.sessions.push(sessionView(info.id, await entriesOf(store, info.id)).summary);
    } catch (error) {
      list.problems.push({ source: `session ${info.id}`, message: messageOf(error) });
    }
  }
  for (const file of traceFiles) {
    try {
      for (const [traceId, spans] of await readTraceFile(file))
        list.traces.push(traceView(file, traceId, spans).summary);
    } catch (error) {
      list.problems.push({ source: file, message: messageOf(error) });
    }
  }
  list.traces.sort((a, b) => (b.startMs ?? 0) - (a.startMs ?? 0));
  return list;
}

/** One session's view, or `undefined` when the store has no such session (or the id is not valid). */
export async function sessionOf(store: JsonlFileStore, id: string): Promise<SessionView | undefined> {
  let ids: string[];
  try {
    ids = await store.list();
  } catch {
    return undefined;
  }
  if (!ids.includes(id)) return undefined;
  return sessionView(id, await entriesOf(store, id));
}

/** One trace's view from the first file that has it. */
export async function traceOf(files: readonly string[], traceId: string): Promise<TraceView | undefined> {
  for (const file of files) {
    let traces: Awaited<ReturnType<typeof readTraceFile>>;
    try {
      traces = await readTraceFile(file);
    } catch {
      continue;
    }
    const spans = traces.get(traceId);
    if (spans) return traceView(file, traceId, spans);
  }
  return undefined;
}

/** The pending calls of every listed session whose run waits for a decision. */
export async function interruptionsOf(store: JsonlFileStore): Promise<SessionInterruptions[]> {
  const out: SessionInterruptions[] = [];
  let infos: Awaited<ReturnType<typeof listSessions>> = [];
  try {
    infos = (await listSessions(store)).slice(0, MAX_LISTED_SESSIONS);
  } catch {
    return out;
  }
  for (const info of infos) {
    let entries: RunLogEntry[];
    try {
      entries = await entriesOf(store, info.id);
    } catch {
      continue;
    }
    const calls = pendingCalls(entries);
    if (calls.length === 0) continue;
    const last = entries[entries.length - 1] as RunLogEntry;
    out.push({
      sessionId: info.id,
      runId: last.runId,
      calls,
      ...(last.agent !== undefined && { agent: last.agent }),
    });
  }
  return out;
}
