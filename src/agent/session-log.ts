import type { SessionItem } from '../sessions/store.js';
import type { RunSession } from './run.js';
import type { RunLogEntry } from './run-log.js';
import { RunState } from './run-state.js';

/** A run state over a session's log, and the checkpoint writer that appends to it. */
export interface OpenedSession {
  state: RunState;
  /** Appends the entries not yet in the store: one `append` (or none), idempotent by `operationId`. */
  persist: (log: RunState) => Promise<void>;
}

/**
 * Loads a session's log as a run state. With new input the run gets a new id; without (`[]`), it goes on
 * with the id of the log's last entry, so a run killed mid-way resumes as itself (same idempotency keys).
 * A `resume` state is used as it is: its entries must begin with the session's (it was read from it).
 *
 * Each checkpoint appends the entries written since the last one with `operationId` `runId:index` (the
 * index of the first entry: a retried append is a no-op) and `expectedSeq` (a second writer fails with
 * `SessionConflictError`, which ends the run as `failed`).
 */
export async function openSession(
  session: RunSession,
  agentName: string,
  resume: RunState | undefined,
  hasInput: boolean,
): Promise<OpenedSession> {
  const { store, id } = session;
  const loaded = await store.load(id);
  const entries = loaded.entries.map((e) => e.item as unknown as RunLogEntry);
  let state = resume;
  if (!state) {
    const last = entries[entries.length - 1];
    const runId = !hasInput && last && last.runId !== '' ? last.runId : undefined;
    state = RunState.fromEntries(agentName, entries, runId);
  }
  let flushed = Math.min(entries.length, state.entries.length);
  let lastSeq = loaded.lastSeq;
  const persist = async (log: RunState): Promise<void> => {
    if (log.entries.length <= flushed) return;
    const items = log.entries.slice(flushed) as unknown as SessionItem[];
    const appended = await store.append(id, items, {
      operationId: `${log.runId}:${flushed}`,
      expectedSeq: lastSeq,
    });
    lastSeq = appended.lastSeq;
    flushed += items.length;
  };
  return { state, persist };
}
