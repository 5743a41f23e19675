/**
 * The session store contract: an append-only log of plain-JSON items per session, with idempotent
 * appends and compare-and-set rewrites. Implementations: `MemoryStore`, `JsonlFileStore` (Node),
 * `RedisStore` (`open-agent-sdk/sessions/redis`). Every implementation must pass the conformance suite
 * exported from `open-agent-sdk/testing` (`sessionStoreConformance`).
 *
 * The store does not interpret items beyond requiring a string `type`: the run log (`agent/`) decides what
 * an item is. Items never hold functions, keys or secrets.
 *
 * Sources: the OpenAI Agents JS `Session` transaction contract (`applyHistoryTransaction` with an
 * `operationId`), the Claude Agent SDK `SessionStore` conformance suite, LangGraph checkpointers.
 */

/** A plain-JSON value. */
export type SessionJson =
  | string
  | number
  | boolean
  | null
  | SessionJson[]
  | { [key: string]: SessionJson | undefined };

/** One item of a session log: any plain-JSON object with a string `type` (unknown fields are kept). */
export interface SessionItem {
  /** What the item is (`input`, `model_response`, `tool_result`, `interruption`, `decision`, ...). */
  type: string;
  [key: string]: SessionJson | undefined;
}

/** An item as stored: its position in the session's log. */
export interface SessionEntry {
  /** Position in the log, 1-based and dense: the n-th item appended has `seq` n (until a rewrite). */
  seq: number;
  /** The item, exactly as appended (a deep copy: later changes to the caller's object are not seen). */
  item: SessionItem;
}

/** What {@link SessionStore.load} returns. */
export interface SessionLoad {
  /** The entries after `afterSeq`, in order. Empty for an unknown session. */
  entries: SessionEntry[];
  /** The `seq` of the last entry of the whole log (0 when empty): pass it as `expectedSeq` next. */
  lastSeq: number;
}

/** Options of {@link SessionStore.append}. */
export interface SessionAppendOptions {
  /**
   * Idempotency key of this append. Appending again with an `operationId` the session already holds is a
   * no-op that returns the first append's result (`duplicate: true`), whatever the items.
   */
  operationId: string;
  /**
   * Compare-and-set: the append fails with a `SessionConflictError` unless the log's last `seq` equals
   * this (checked after the `operationId` check). Omit to append whatever the log holds.
   */
  expectedSeq?: number;
}

/** What {@link SessionStore.append} returns. */
export interface SessionAppendResult {
  /** The `seq` of the last item this operation appended (the log's last `seq` after it). */
  lastSeq: number;
  /** True when `operationId` had already been applied and nothing was written. */
  duplicate: boolean;
}

/** Options of {@link SessionStore.rewrite}. */
export interface SessionRewriteOptions {
  /** Compare-and-set: the rewrite fails with a `SessionConflictError` unless the log's last `seq` equals this. */
  expectedSeq: number;
  /** The new whole log (for compaction: a summary item plus the kept tail). Renumbered from 1. */
  replacement: SessionItem[];
}

/**
 * A durable log of session items. All methods are atomic per call: an append of several items is written
 * entirely or not at all, and a reader never sees half of it. One writer per session at a time is enforced
 * by `expectedSeq` (and by a lock where the backend has one).
 */
export interface SessionStore {
  /**
   * Reads a session's log.
   * @param sessionId 1 to 256 characters, no control characters.
   * @throws InvalidArgumentError on a bad `sessionId`; `SessionStoreError` when the backend fails.
   */
  load(sessionId: string, options?: { afterSeq?: number }): Promise<SessionLoad>;
  /**
   * Appends items atomically.
   * @throws InvalidArgumentError on a bad id or an item that is not a plain-JSON object with a string
   * `type`; `SessionConflictError` when `expectedSeq` does not match; `SessionStoreError` on I/O failure.
   */
  append(
    sessionId: string,
    items: SessionItem[],
    options: SessionAppendOptions,
  ): Promise<SessionAppendResult>;
  /**
   * Replaces the whole log atomically (compaction, repair). Operation ids recorded so far stay known.
   * @throws SessionConflictError when `expectedSeq` does not match.
   */
  rewrite(sessionId: string, options: SessionRewriteOptions): Promise<{ lastSeq: number }>;
  /** Deletes a session (no error when it does not exist). */
  delete(sessionId: string): Promise<void>;
  /** Releases connections, locks and file handles. Idempotent. */
  close?(): Promise<void>;
}
