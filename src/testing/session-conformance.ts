/**
 * The session store conformance suite: every `SessionStore` (the SDK's and yours) must pass it. It is a list
 * of named async checks that needs no test framework, plus an adapter that registers them with any
 * `describe`/`it` pair (vitest, jest, mocha, `node:test`).
 */
import type { SessionStore } from '../sessions/store.js';
import { basicChecks } from './session-conformance-basic.js';
import { concurrencyChecks } from './session-conformance-concurrency.js';

/** Options of {@link sessionStoreChecks} and {@link sessionStoreConformance}. */
export interface SessionStoreChecksOptions {
  /** Opens a store on a backend with no session the checks will use (each check calls it once or more). */
  create: () => Promise<SessionStore>;
  /**
   * Opens a second store on the SAME backend as `store` (another connection, another `JsonlFileStore` on the
   * same directory), so concurrency checks race two writers. Omit to race calls on one store.
   */
  openAnother?: (store: SessionStore) => Promise<SessionStore>;
  /**
   * Releases a store after a check.
   * @default calls `store.close()`
   */
  destroy?: (store: SessionStore) => Promise<void>;
  /**
   * Size of the large item, in bytes of JSON.
   * @default 5 MiB
   */
  largeItemBytes?: number;
  /**
   * Concurrent calls in the concurrency checks.
   * @default 8
   */
  concurrency?: number;
  /**
   * Simulates a write torn by a crash in the backend's storage of `sessionId` (e.g. half a line at the end of
   * a file). When given, a check asserts the session still loads with its acknowledged items and accepts the
   * next append. Omit for backends whose writes cannot tear (a transaction, a Lua script).
   */
  tearWrite?: (store: SessionStore, sessionId: string) => Promise<void>;
}

/** One named conformance check. `run` throws (an `AssertionError` or the store's error) when it fails. */
export interface SessionStoreCheck {
  /** What is checked, e.g. `append: a retried operationId is applied once`. */
  name: string;
  /** Runs the check against fresh stores from the options' `create`. */
  run: () => Promise<void>;
}

/** What a check body receives. */
export interface CheckContext {
  options: SessionStoreChecksOptions;
  /** A fresh, unique session id. */
  sessionId: (label?: string) => string;
  /** Opens a store, runs `body`, then destroys the store (and any opened with `another`). */
  withStore: (
    body: (store: SessionStore, another: () => Promise<SessionStore>) => Promise<void>,
  ) => Promise<void>;
}

function makeContext(options: SessionStoreChecksOptions): CheckContext {
  const destroy = options.destroy ?? ((store: SessionStore) => store.close?.() ?? Promise.resolve());
  let counter = 0;
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    options,
    sessionId: (label = 's') => `conformance-${label}-${run}-${++counter}`,
    withStore: async (body) => {
      const store = await options.create();
      const opened: SessionStore[] = [];
      const another = async () => {
        const peer = options.openAnother ? await options.openAnother(store) : store;
        if (peer !== store) opened.push(peer);
        return peer;
      };
      try {
        await body(store, another);
      } finally {
        for (const peer of opened) await destroy(peer);
        await destroy(store);
      }
    },
  };
}

/**
 * The conformance checks for a session store, as `{ name, run }` pairs that need no test framework.
 * Covered: ordering and dense `seq`, `afterSeq`, idempotent retries (`duplicate: true`), `expectedSeq`
 * compare-and-set, concurrent writers (exactly one wins, the others get `SessionConflictError`), concurrent
 * appends without `expectedSeq` (none lost, none interleaved), concurrent retries of one operation, large
 * items, multi-item atomicity, rewrite (+ conflict, operation ids kept), delete, unknown fields and awkward
 * strings kept, deep copies in and out, path-like ids kept apart, bad ids / items / options rejected with
 * `InvalidArgumentError` and nothing written, torn writes (when `tearWrite` is given), `close` idempotent.
 */
export function sessionStoreChecks(options: SessionStoreChecksOptions): SessionStoreCheck[] {
  const context = makeContext(options);
  return [...basicChecks(context), ...concurrencyChecks(context)];
}

/** The `describe` of a test framework: `(name, body) => …`. */
export type DescribeFunction = (name: string, body: () => void) => unknown;
/** The `it` / `test` of a test framework: `(name, body, timeoutMs) => …`. */
export type ItFunction = (name: string, body: () => Promise<void>, timeoutMs?: number) => unknown;

/** Options of {@link sessionStoreConformance}. */
export interface SessionStoreConformanceOptions extends SessionStoreChecksOptions {
  /** The suite's name, e.g. `PostgresStore`. */
  name: string;
  /** Your framework's `describe` (`import { describe } from 'vitest'`). */
  describe: DescribeFunction;
  /** Your framework's `it` or `test`. */
  it: ItFunction;
  /**
   * Time limit of each check, in ms.
   * @default 60000
   */
  timeoutMs?: number;
}

/**
 * Registers the conformance checks ({@link sessionStoreChecks}) as one `describe` block of `it` cases. Pass
 * your framework's functions: the SDK does not import a test framework.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { sessionStoreConformance } from 'open-agent-sdk/testing';
 * sessionStoreConformance({ name: 'MyStore', describe, it, create: async () => new MyStore(url) });
 * ```
 */
export function sessionStoreConformance(options: SessionStoreConformanceOptions): void {
  const { name, describe, it, timeoutMs = 60_000 } = options;
  describe(`${name} conforms to SessionStore`, () => {
    for (const check of sessionStoreChecks(options)) it(check.name, check.run, timeoutMs);
  });
}
