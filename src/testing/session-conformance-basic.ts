/**
 * Conformance checks of one writer: ordering, idempotency, compare-and-set, rewrite, delete, copies, items
 * kept exactly, argument validation, torn writes.
 */
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { SessionConflictError } from '../errors/session-conflict-error.js';
import type { SessionItem, SessionStore } from '../sessions/store.js';
import type { CheckContext, SessionStoreCheck } from './session-conformance.js';

const isConflict = (expected: number, actual: number) => (error: unknown) => {
  assert.ok(SessionConflictError.isInstance(error), `expected a SessionConflictError, got ${String(error)}`);
  assert.equal(error.expectedSeq, expected);
  assert.equal(error.actualSeq, actual);
  return true;
};

const isInvalid = (error: unknown) => {
  assert.ok(InvalidArgumentError.isInstance(error), `expected an InvalidArgumentError, got ${String(error)}`);
  return true;
};

/** Items as a load returns them. */
async function itemsOf(store: SessionStore, sessionId: string): Promise<SessionItem[]> {
  return (await store.load(sessionId)).entries.map((entry) => entry.item);
}

function orderingChecks({ sessionId, withStore }: CheckContext): SessionStoreCheck[] {
  return [
    {
      name: 'load: an unknown session is empty',
      run: () =>
        withStore(async (store) => {
          assert.deepEqual(await store.load(sessionId()), { entries: [], lastSeq: 0 });
        }),
    },
    {
      name: 'append: items come back in order with dense seq from 1',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          assert.deepEqual(await store.append(id, [{ type: 'a', n: 1 }], { operationId: 'o1' }), {
            lastSeq: 1,
            duplicate: false,
          });
          const second = await store.append(
            id,
            [
              { type: 'b', n: 2 },
              { type: 'c', n: 3 },
            ],
            { operationId: 'o2' },
          );
          assert.deepEqual(second, { lastSeq: 3, duplicate: false });
          const third = await store.append(id, [{ type: 'd', n: 4 }], { operationId: 'o3', expectedSeq: 3 });
          assert.deepEqual(third, { lastSeq: 4, duplicate: false });
          const load = await store.load(id);
          assert.equal(load.lastSeq, 4);
          assert.deepEqual(
            load.entries.map((entry) => [entry.seq, entry.item.type, entry.item.n]),
            [
              [1, 'a', 1],
              [2, 'b', 2],
              [3, 'c', 3],
              [4, 'd', 4],
            ],
          );
        }),
    },
    {
      name: 'load: afterSeq returns the tail, lastSeq stays the whole log',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }, { type: 'b' }, { type: 'c' }], { operationId: 'o1' });
          const tail = await store.load(id, { afterSeq: 1 });
          assert.deepEqual(tail, {
            entries: [
              { seq: 2, item: { type: 'b' } },
              { seq: 3, item: { type: 'c' } },
            ],
            lastSeq: 3,
          });
          assert.deepEqual(await store.load(id, { afterSeq: 3 }), { entries: [], lastSeq: 3 });
          assert.deepEqual(await store.load(id, { afterSeq: 10 }), { entries: [], lastSeq: 3 });
          assert.deepEqual(await store.load(id, { afterSeq: 0 }), await store.load(id));
        }),
    },
    {
      name: 'append: an empty item list records the operation and adds nothing',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }], { operationId: 'o1' });
          assert.deepEqual(await store.append(id, [], { operationId: 'o2' }), {
            lastSeq: 1,
            duplicate: false,
          });
          assert.deepEqual(await store.append(id, [{ type: 'x' }], { operationId: 'o2' }), {
            lastSeq: 1,
            duplicate: true,
          });
          assert.equal((await store.load(id)).lastSeq, 1);
        }),
    },
    {
      name: 'sessions are independent, and path-like ids stay apart',
      run: () =>
        withStore(async (store) => {
          const base = sessionId('iso');
          const ids = [
            base,
            `${base}/../x`,
            `../${base}`,
            `${base}.`,
            `${base.toUpperCase()}`,
            `${base} é 🙂`,
          ];
          for (const [index, id] of ids.entries()) {
            await store.append(id, [{ type: 'mark', index }], { operationId: 'same-op' });
          }
          for (const [index, id] of ids.entries())
            assert.deepEqual(await itemsOf(store, id), [{ type: 'mark', index }]);
          for (const id of ['.', '..', '/', '\\']) {
            await store.append(id, [{ type: 'dots' }], { operationId: `${base}-op` });
            assert.ok((await store.load(id)).lastSeq >= 1);
            await store.delete(id);
          }
          for (const id of ids) await store.delete(id);
        }),
    },
  ];
}

function idempotencyChecks({ sessionId, withStore }: CheckContext): SessionStoreCheck[] {
  return [
    {
      name: 'append: a retried operationId is applied once and reports duplicate',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }], { operationId: 'first' });
          const items = [{ type: 'b' }, { type: 'c' }];
          assert.deepEqual(await store.append(id, items, { operationId: 'turn' }), {
            lastSeq: 3,
            duplicate: false,
          });
          assert.deepEqual(await store.append(id, items, { operationId: 'turn' }), {
            lastSeq: 3,
            duplicate: true,
          });
          await store.append(id, [{ type: 'd' }], { operationId: 'next' });
          // Still a no-op later, with other items and a stale expectedSeq: the id check comes first.
          const late = await store.append(id, [{ type: 'zzz' }], { operationId: 'turn', expectedSeq: 1 });
          assert.deepEqual(late, { lastSeq: 3, duplicate: true });
          assert.deepEqual(await itemsOf(store, id), [
            { type: 'a' },
            { type: 'b' },
            { type: 'c' },
            { type: 'd' },
          ]);
        }),
    },
    {
      name: 'append: expectedSeq is compare-and-set; a conflict writes nothing and the next call works',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await assert.rejects(
            store.append(id, [{ type: 'x' }], { operationId: 'o0', expectedSeq: 1 }),
            isConflict(1, 0),
          );
          await store.append(id, [{ type: 'a' }], { operationId: 'o1', expectedSeq: 0 });
          await assert.rejects(
            store.append(id, [{ type: 'x' }], { operationId: 'o2', expectedSeq: 0 }),
            isConflict(0, 1),
          );
          await assert.rejects(
            store.append(id, [{ type: 'x' }], { operationId: 'o2', expectedSeq: 2 }),
            isConflict(2, 1),
          );
          assert.deepEqual(await store.load(id), { entries: [{ seq: 1, item: { type: 'a' } }], lastSeq: 1 });
          // The refused operation id was not recorded: it can be applied now.
          assert.deepEqual(await store.append(id, [{ type: 'b' }], { operationId: 'o2', expectedSeq: 1 }), {
            lastSeq: 2,
            duplicate: false,
          });
        }),
    },
  ];
}

function rewriteChecks({ sessionId, withStore }: CheckContext): SessionStoreCheck[] {
  return [
    {
      name: 'rewrite: replaces the log, renumbers from 1, keeps operation ids',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }, { type: 'b' }], { operationId: 'o1' });
          await store.append(id, [{ type: 'c' }], { operationId: 'o2' });
          const replacement = [{ type: 'summary', text: 'a and b' }, { type: 'c' }];
          assert.deepEqual(await store.rewrite(id, { expectedSeq: 3, replacement }), { lastSeq: 2 });
          assert.deepEqual(await store.load(id), {
            entries: [
              { seq: 1, item: replacement[0] },
              { seq: 2, item: replacement[1] },
            ],
            lastSeq: 2,
          });
          assert.equal((await store.append(id, [{ type: 'x' }], { operationId: 'o1' })).duplicate, true);
          assert.deepEqual(await store.append(id, [{ type: 'd' }], { operationId: 'o3', expectedSeq: 2 }), {
            lastSeq: 3,
            duplicate: false,
          });
          assert.deepEqual(await itemsOf(store, id), [...replacement, { type: 'd' }]);
          assert.deepEqual(await store.rewrite(id, { expectedSeq: 3, replacement: [] }), { lastSeq: 0 });
          assert.deepEqual(await store.load(id), { entries: [], lastSeq: 0 });
        }),
    },
    {
      name: 'rewrite: a stale expectedSeq is a conflict and changes nothing',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }, { type: 'b' }], { operationId: 'o1' });
          const replacement = [{ type: 'summary' }];
          await assert.rejects(store.rewrite(id, { expectedSeq: 1, replacement }), isConflict(1, 2));
          assert.deepEqual(await itemsOf(store, id), [{ type: 'a' }, { type: 'b' }]);
          await assert.rejects(store.rewrite(sessionId(), { expectedSeq: 4, replacement }), isConflict(4, 0));
        }),
    },
    {
      name: 'delete: the session is gone, deleting twice is fine, a new log starts at 1',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          const other = sessionId();
          await store.append(id, [{ type: 'a' }], { operationId: 'o1' });
          await store.append(other, [{ type: 'kept' }], { operationId: 'o1' });
          await store.delete(id);
          assert.deepEqual(await store.load(id), { entries: [], lastSeq: 0 });
          await store.delete(id);
          await store.delete(sessionId('never'));
          assert.deepEqual(await store.append(id, [{ type: 'b' }], { operationId: 'o9', expectedSeq: 0 }), {
            lastSeq: 1,
            duplicate: false,
          });
          assert.deepEqual(await itemsOf(store, other), [{ type: 'kept' }]);
        }),
    },
  ];
}

function fidelityChecks({ sessionId, withStore }: CheckContext): SessionStoreCheck[] {
  return [
    {
      name: 'items: unknown fields, nesting and awkward strings are kept exactly',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          const item: SessionItem = {
            type: 'model_response',
            futureField: { nested: [1, -2.5, 1e21, 0, true, false, null, { deep: ['x'] }] },
            text: 'line 1\nline 2\r\n\ttab "quotes" \\ back \u2028\u2029 nul\u0000 é 中文 🙂',
            empty: '',
            emptyObject: {},
            emptyArray: [],
            __proto__field: 'p',
            'key with spaces.and.dots': 1,
          };
          await store.append(id, [item], { operationId: 'o1' });
          assert.deepEqual(await itemsOf(store, id), [item]);
          await store.rewrite(id, { expectedSeq: 1, replacement: [item, { type: 'x', extra: { a: [] } }] });
          assert.deepEqual(await itemsOf(store, id), [item, { type: 'x', extra: { a: [] } }]);
        }),
    },
    {
      name: 'items: deep copies in and out',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          const item = { type: 'a', list: [1, 2], inner: { v: 'before' } };
          await store.append(id, [item], { operationId: 'o1' });
          item.list.push(3);
          item.inner.v = 'after';
          const first = await store.load(id);
          assert.deepEqual(first.entries[0]?.item, { type: 'a', list: [1, 2], inner: { v: 'before' } });
          (first.entries[0]!.item.list as number[]).push(99);
          first.entries.length = 0;
          assert.deepEqual(await itemsOf(store, id), [{ type: 'a', list: [1, 2], inner: { v: 'before' } }]);
          const replacement = [{ type: 'r', inner: { v: 1 } }];
          await store.rewrite(id, { expectedSeq: 1, replacement });
          replacement[0]!.inner.v = 2;
          assert.deepEqual(await itemsOf(store, id), [{ type: 'r', inner: { v: 1 } }]);
        }),
    },
    {
      name: 'items: undefined properties are dropped like JSON.stringify does',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a', gone: undefined, kept: 1 }], { operationId: 'o1' });
          assert.deepEqual(await itemsOf(store, id), [{ type: 'a', kept: 1 }]);
        }),
    },
  ];
}

function validationChecks({ sessionId, withStore }: CheckContext): SessionStoreCheck[] {
  const badIds: unknown[] = ['', 'x'.repeat(257), 'a\nb', 'nul\u0000', 'del\u007f', 42, undefined, null];
  const badItems: unknown[] = [
    'not an array',
    [null],
    [[]],
    [{ text: 'no type' }],
    [{ type: 7 }],
    [{ type: 'a', f: () => 1 }],
    [{ type: 'a', n: Number.NaN }],
    [{ type: 'a', n: Number.POSITIVE_INFINITY }],
    [{ type: 'a', big: 1n }],
    [{ type: 'a', at: new Date(0) }],
    [{ type: 'a', map: new Map() }],
    [{ type: 'a', s: Symbol('s') }],
    [{ type: 'ok' }, { type: 'a', nested: [{ deeper: undefined, f: Math.max }] }],
  ];
  const cyclic: Record<string, unknown> = { type: 'a' };
  cyclic.self = cyclic;
  badItems.push([cyclic]);
  return [
    {
      name: 'validation: bad session ids are InvalidArgumentError on every method',
      run: () =>
        withStore(async (store) => {
          for (const bad of badIds) {
            const id = bad as string;
            await assert.rejects(store.load(id), isInvalid);
            await assert.rejects(store.append(id, [{ type: 'a' }], { operationId: 'o' }), isInvalid);
            await assert.rejects(store.rewrite(id, { expectedSeq: 0, replacement: [] }), isInvalid);
            await assert.rejects(store.delete(id), isInvalid);
          }
          assert.equal(
            (await store.append('x'.repeat(256), [{ type: 'a' }], { operationId: 'o' })).lastSeq,
            1,
          );
          await store.delete('x'.repeat(256));
        }),
    },
    {
      name: 'validation: bad items and options are InvalidArgumentError and write nothing',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }], { operationId: 'o1' });
          for (const bad of badItems) {
            await assert.rejects(store.append(id, bad as SessionItem[], { operationId: 'bad' }), isInvalid);
            const replacement = bad as SessionItem[];
            await assert.rejects(store.rewrite(id, { expectedSeq: 1, replacement }), isInvalid);
          }
          const badOptions: unknown[] = [
            undefined,
            {},
            { operationId: '' },
            { operationId: 'o', expectedSeq: -1 },
          ];
          badOptions.push({ operationId: 'o', expectedSeq: 1.5 }, { operationId: 'o', expectedSeq: '1' });
          for (const options of badOptions) {
            await assert.rejects(
              store.append(id, [{ type: 'b' }], options as { operationId: string }),
              isInvalid,
            );
          }
          await assert.rejects(store.load(id, { afterSeq: -1 }), isInvalid);
          const noSeq = { replacement: [] } as unknown as { expectedSeq: number; replacement: SessionItem[] };
          await assert.rejects(store.rewrite(id, noSeq), isInvalid);
          assert.deepEqual(await store.load(id), { entries: [{ seq: 1, item: { type: 'a' } }], lastSeq: 1 });
          assert.equal((await store.append(id, [{ type: 'b' }], { operationId: 'bad' })).duplicate, false);
        }),
    },
  ];
}

function lifecycleChecks(context: CheckContext): SessionStoreCheck[] {
  const { sessionId, withStore, options } = context;
  const checks: SessionStoreCheck[] = [
    {
      name: 'close: idempotent, and a new store on the backend sees the data',
      run: () =>
        withStore(async (store, another) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }], { operationId: 'o1' });
          const peer = await another();
          assert.deepEqual(await itemsOf(peer, id), [{ type: 'a' }]);
          await store.delete(id);
          await store.close?.();
          await store.close?.();
        }),
    },
  ];
  const { tearWrite } = options;
  if (tearWrite) {
    checks.push({
      name: 'torn write: the session still loads its acknowledged items and the next append works',
      run: () =>
        withStore(async (store) => {
          const id = sessionId();
          await store.append(id, [{ type: 'a' }, { type: 'b' }], { operationId: 'o1' });
          await tearWrite(store, id);
          assert.deepEqual(await store.load(id), {
            entries: [
              { seq: 1, item: { type: 'a' } },
              { seq: 2, item: { type: 'b' } },
            ],
            lastSeq: 2,
          });
          assert.deepEqual(await store.append(id, [{ type: 'c' }], { operationId: 'o2', expectedSeq: 2 }), {
            lastSeq: 3,
            duplicate: false,
          });
          await tearWrite(store, id);
          assert.deepEqual(await itemsOf(store, id), [{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
        }),
    });
  }
  return checks;
}

/** The single-writer checks. */
export function basicChecks(context: CheckContext): SessionStoreCheck[] {
  return [
    ...orderingChecks(context),
    ...idempotencyChecks(context),
    ...rewriteChecks(context),
    ...fidelityChecks(context),
    ...validationChecks(context),
    ...lifecycleChecks(context),
  ];
}
