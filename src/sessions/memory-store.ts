/**
 * `MemoryStore`: the session store that keeps everything in this process's memory. Web-standard.
 */
import type {
  SessionAppendOptions,
  SessionAppendResult,
  SessionItem,
  SessionLoad,
  SessionRewriteOptions,
  SessionStore,
} from './store.js';
import {
  checkAfterSeq,
  checkAppendOptions,
  checkRewriteOptions,
  checkSessionId,
  checkSessionItems,
  conflictError,
  encodeItems,
} from './validate.js';

interface MemorySession {
  /** Each item's JSON text: copied in on append, parsed anew on every load (so copies go out too). */
  items: string[];
  /** Operation id → the `lastSeq` its append returned. */
  operations: Map<string, number>;
}

/**
 * A {@link SessionStore} in memory: for tests, short-lived processes and browsers. Nothing survives the
 * process. Items are deep-copied in (as JSON text) and out (parsed on every load), and every call completes
 * synchronously inside one microtask, so each call is atomic. Operation ids stay known until `delete`.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * await store.append('chat-1', [{ type: 'input', text: 'hi' }], { operationId: 'turn-1' });
 * const { entries, lastSeq } = await store.load('chat-1');
 * ```
 */
export class MemoryStore implements SessionStore {
  readonly #sessions = new Map<string, MemorySession>();

  /** {@inheritDoc SessionStore.load} */
  async load(sessionId: string, options?: { afterSeq?: number }): Promise<SessionLoad> {
    checkSessionId(sessionId);
    const afterSeq = checkAfterSeq(options);
    const session = this.#sessions.get(sessionId);
    if (!session) return { entries: [], lastSeq: 0 };
    const entries = session.items.slice(afterSeq).map((text, index) => ({
      seq: afterSeq + index + 1,
      item: JSON.parse(text) as SessionItem,
    }));
    return { entries, lastSeq: session.items.length };
  }

  /** {@inheritDoc SessionStore.append} */
  async append(
    sessionId: string,
    items: SessionItem[],
    options: SessionAppendOptions,
  ): Promise<SessionAppendResult> {
    checkSessionId(sessionId);
    checkSessionItems(items);
    const { operationId, expectedSeq } = checkAppendOptions(options);
    const texts = encodeItems(items);
    let session = this.#sessions.get(sessionId);
    const previous = session?.operations.get(operationId);
    if (previous !== undefined) return { lastSeq: previous, duplicate: true };
    const current = session?.items.length ?? 0;
    if (expectedSeq !== undefined && expectedSeq !== current) {
      throw conflictError(sessionId, expectedSeq, current);
    }
    if (!session) {
      session = { items: [], operations: new Map() };
      this.#sessions.set(sessionId, session);
    }
    session.items.push(...texts);
    session.operations.set(operationId, session.items.length);
    return { lastSeq: session.items.length, duplicate: false };
  }

  /** {@inheritDoc SessionStore.rewrite} */
  async rewrite(sessionId: string, options: SessionRewriteOptions): Promise<{ lastSeq: number }> {
    checkSessionId(sessionId);
    const { expectedSeq, replacement } = checkRewriteOptions(options);
    const texts = encodeItems(replacement);
    const session = this.#sessions.get(sessionId);
    const current = session?.items.length ?? 0;
    if (expectedSeq !== current) throw conflictError(sessionId, expectedSeq, current);
    if (session) session.items = texts;
    else this.#sessions.set(sessionId, { items: texts, operations: new Map() });
    return { lastSeq: texts.length };
  }

  /** {@inheritDoc SessionStore.delete} */
  async delete(sessionId: string): Promise<void> {
    checkSessionId(sessionId);
    this.#sessions.delete(sessionId);
  }

  /** Nothing to release; kept for symmetry with the durable stores. Idempotent. */
  async close(): Promise<void> {}
}
