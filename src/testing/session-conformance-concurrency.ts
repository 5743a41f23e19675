/**
 * Conformance checks of racing writers and big payloads: compare-and-set races, concurrent appends that must
 * all land un-interleaved, concurrent retries of one operation, large items, many items in one append.
 */
import assert from 'node:assert/strict';
import { SessionConflictError } from '../errors/session-conflict-error.js';
import type { SessionAppendResult, SessionStore } from '../sessions/store.js';
import type { CheckContext, SessionStoreCheck } from './session-conformance.js';

async function writers(
  store: SessionStore,
  another: () => Promise<SessionStore>,
  count: number,
): Promise<SessionStore[]> {
  const peer = await another();
  return Array.from({ length: count }, (_, index) => (index % 2 === 0 ? store : peer));
}

function raceCheck({ sessionId, withStore, options }: CheckContext): SessionStoreCheck {
  const count = Math.max(2, options.concurrency ?? 8);
  return {
    name: `concurrency: ${count} writers with the same expectedSeq, exactly one wins, the rest conflict`,
    run: () =>
      withStore(async (store, another) => {
        const id = sessionId();
        await store.append(id, [{ type: 'base' }], { operationId: 'base' });
        const all = await writers(store, another, count);
        for (let round = 0; round < 3; round++) {
          const { lastSeq } = await store.load(id);
          const outcomes = await Promise.allSettled(
            all.map((writer, index) =>
              writer.append(
                id,
                [
                  { type: 'turn', round, index },
                  { type: 'tail', round, index },
                ],
                {
                  operationId: `r${round}-w${index}`,
                  expectedSeq: lastSeq,
                },
              ),
            ),
          );
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          assert.equal(winners.length, 1, `round ${round}: ${winners.length} writers won`);
          for (const outcome of outcomes) {
            if (outcome.status === 'fulfilled') continue;
            const error: unknown = outcome.reason;
            assert.ok(SessionConflictError.isInstance(error), `expected a conflict, got ${String(error)}`);
            assert.equal(error.expectedSeq, lastSeq);
            assert.equal(error.actualSeq, lastSeq + 2);
          }
          const load = await store.load(id);
          assert.equal(load.lastSeq, lastSeq + 2);
          const [turn, tail] = load.entries.slice(-2).map((entry) => entry.item);
          assert.equal(turn?.index, tail?.index);
        }
      }),
  };
}

function noLossCheck({ sessionId, withStore, options }: CheckContext): SessionStoreCheck {
  const count = Math.max(2, options.concurrency ?? 8);
  return {
    name: `concurrency: ${count} writers appending without expectedSeq lose nothing and never interleave`,
    run: () =>
      withStore(async (store, another) => {
        const id = sessionId();
        const all = await writers(store, another, count);
        const rounds = 3;
        const results: Array<{ op: string; result: SessionAppendResult }> = [];
        await Promise.all(
          all.map(async (writer, index) => {
            for (let round = 0; round < rounds; round++) {
              const op = `w${index}-r${round}`;
              const items = [0, 1, 2].map((part) => ({ type: 'part', op, part }));
              results.push({ op, result: await writer.append(id, items, { operationId: op }) });
            }
          }),
        );
        const load = await store.load(id);
        assert.equal(load.lastSeq, count * rounds * 3);
        assert.deepEqual(
          load.entries.map((entry) => entry.seq),
          load.entries.map((_, index) => index + 1),
        );
        for (const { op, result } of results) {
          assert.equal(result.duplicate, false);
          const group = load.entries.slice(result.lastSeq - 3, result.lastSeq).map((entry) => entry.item);
          assert.deepEqual(
            group,
            [0, 1, 2].map((part) => ({ type: 'part', op, part })),
            `items of ${op}`,
          );
        }
      }),
  };
}

function retryRaceCheck({ sessionId, withStore, options }: CheckContext): SessionStoreCheck {
  const count = Math.max(2, options.concurrency ?? 8);
  return {
    name: `concurrency: ${count} simultaneous retries of one operationId apply it once`,
    run: () =>
      withStore(async (store, another) => {
        const id = sessionId();
        const all = await writers(store, another, count);
        const items = [{ type: 'a' }, { type: 'b' }];
        const results = await Promise.all(
          all.map((writer) => writer.append(id, items, { operationId: 'once' })),
        );
        assert.equal(results.filter((result) => !result.duplicate).length, 1);
        for (const result of results) assert.equal(result.lastSeq, 2);
        assert.deepEqual(await store.load(id), {
          entries: [
            { seq: 1, item: { type: 'a' } },
            { seq: 2, item: { type: 'b' } },
          ],
          lastSeq: 2,
        });
      }),
  };
}

function sizeChecks({ sessionId, withStore, options }: CheckContext): SessionStoreCheck[] {
  const bytes = options.largeItemBytes ?? 5 * 1024 * 1024;
  return [
    {
      name: `size: an item of ${(bytes / 1024 / 1024).toFixed(1)} MiB round-trips, and so does a rewrite of it`,
      run: () =>
        withStore(async (store, another) => {
          const id = sessionId();
          const unit = 'abcdefgh\n"é🙂';
          const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(JSON.stringify(unit))));
          const big = { type: 'tool_result', text, blob: { parts: [text.slice(0, 1000), 1, null] } };
          await store.append(id, [{ type: 'before' }], { operationId: 'o1' });
          assert.deepEqual(await store.append(id, [big, { type: 'after' }], { operationId: 'o2' }), {
            lastSeq: 3,
            duplicate: false,
          });
          const peer = await another();
          const load = await peer.load(id, { afterSeq: 1 });
          assert.equal(load.lastSeq, 3);
          assert.equal(load.entries[0]?.item.text, text);
          assert.deepEqual(load.entries[0]?.item, big);
          await store.rewrite(id, { expectedSeq: 3, replacement: [big] });
          assert.deepEqual((await store.load(id)).entries[0]?.item, big);
        }),
    },
    {
      name: 'size: 2000 items in one append are stored contiguously',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'first' }], { operationId: 'o1' });
          const items = Array.from({ length: 2000 }, (_, index) => ({ type: 'many', index }));
          assert.deepEqual(await store.append(id, items, { operationId: 'o2' }), {
            lastSeq: 2001,
            duplicate: false,
          });
          const load = await store.load(id, { afterSeq: 1 });
          assert.deepEqual(
            load.entries.map((entry) => entry.item),
            items,
          );
          assert.equal(load.entries[1999]?.seq, 2001);
        }),
    },
  ];
}

/** The concurrency and size checks. */
export function concurrencyChecks(context: CheckContext): SessionStoreCheck[] {
  return [raceCheck(context), noLossCheck(context), retryRaceCheck(context), ...sizeChecks(context)];
}
