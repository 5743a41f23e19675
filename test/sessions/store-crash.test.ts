/**
 * Crash and multi-process tests of the durable stores: a child appending in a loop is SIGKILLed at random
 * moments (30 times per store); after each kill the session loads, holds every acknowledged append exactly
 * once and no half append, and a retry of the interrupted operation id is applied exactly once. Then two
 * writer processes race with the same expectedSeq: one wins, the other gets a typed conflict.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlFileStore } from '../../src/node/index.js';
import { RedisStore } from '../../src/sessions/redis/index.js';
import type { SessionStore } from '../../src/sessions/store.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { type BuiltChild, buildStoreChild, runStoreChild } from './support/child-process.js';

const KILLS = 30;
let child: BuiltChild;
let server: RedisTestServer;
let root: string;

beforeAll(async () => {
  [child, server, root] = await Promise.all([
    buildStoreChild(),
    startRedisServer(),
    mkdtemp(join(tmpdir(), 'oas-store-crash-')),
  ]);
});
afterAll(async () => {
  await Promise.all([child?.dispose(), server?.stop(), root && rm(root, { recursive: true, force: true })]);
});

/** Checks the log is whole 3-item groups, each op once, in order; returns the op indexes. */
async function checkLog(store: SessionStore, sessionId: string): Promise<number[]> {
  const { entries, lastSeq } = await store.load(sessionId);
  expect(lastSeq).toBe(entries.length);
  expect(entries.length % 3).toBe(0);
  const indexes: number[] = [];
  for (let at = 0; at < entries.length; at += 3) {
    const group = entries.slice(at, at + 3).map((entry) => entry.item);
    const op = String(group[0]?.op);
    expect(group.map((item) => [item.op, item.part])).toEqual([
      [op, 0],
      [op, 1],
      [op, 2],
    ]);
    indexes.push(Number(op.slice(3)));
  }
  expect(new Set(indexes).size).toBe(indexes.length);
  expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
  return indexes;
}

interface KillStats {
  acked: number;
  /** Kills that hit an append whose outcome the child never printed. */
  inFlight: number;
  /** ...of which the append had landed (the retry was a duplicate). */
  landed: number;
  /** Kills after which the JSONL file ended in a torn line. */
  torn: number;
}

async function killLoop(
  kind: 'jsonl' | 'redis',
  target: string,
  store: SessionStore,
  tornTail: () => Promise<boolean>,
): Promise<KillStats> {
  const sessionId = `crash-${kind}`;
  const stats: KillStats = { acked: 0, inFlight: 0, landed: 0, torn: 0 };
  let next = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const running = runStoreChild(child.file, [kind, target, sessionId, 'loop', String(next)]);
    await running.waitFor((line) => line === 'ready');
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 60));
    running.process.kill('SIGKILL');
    await running.exited;
    const acked = running.lines
      .filter((line) => line.startsWith('ack '))
      .map((line) => Number(line.slice(4)));
    const tried = running.lines
      .filter((line) => line.startsWith('try '))
      .map((line) => Number(line.slice(4)));
    if (await tornTail()) stats.torn++;
    const present = await checkLog(store, sessionId);
    for (const index of acked) expect(present).toContain(index);
    stats.acked += acked.length;
    const inFlight = tried.at(-1);
    if (inFlight !== undefined && !acked.includes(inFlight)) {
      stats.inFlight++;
      if (present.includes(inFlight)) stats.landed++;
      const op = `op-${inFlight}`;
      const items = [0, 1, 2].map((part) => ({ type: 'part', op, part }));
      const retry = await store.append(sessionId, items, { operationId: op });
      expect(retry.duplicate).toBe(present.includes(inFlight));
      expect((await checkLog(store, sessionId)).filter((index) => index === inFlight)).toHaveLength(1);
    }
    next = (tried.at(-1) ?? next - 1) + 1;
  }
  const final = await checkLog(store, sessionId);
  expect(final.length).toBeGreaterThanOrEqual(stats.acked);
  expect(stats.acked).toBeGreaterThan(KILLS); // the children did write between kills
  expect(stats.inFlight).toBeGreaterThan(KILLS / 2); // most kills hit an append in progress
  console.log(`${kind} kill test: ${JSON.stringify(stats)}`);
  return stats;
}

describe('JsonlFileStore under SIGKILL', () => {
  it(`keeps every acknowledged append and no half one across ${KILLS} kills`, async () => {
    const directory = join(root, 'jsonl');
    const store = new JsonlFileStore({ directory });
    const path = store.pathOf('crash-jsonl');
    const tornTail = async () => !(await readFile(path, 'utf8').catch(() => '\n')).endsWith('\n');
    await killLoop('jsonl', directory, store, tornTail);
    const text = await readFile(store.pathOf('crash-jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true); // the last retry or append truncated any torn tail
    expect(await readdir(directory)).toEqual(['crash-jsonl.jsonl']); // dead children's locks were taken over
  }, 120_000);
});

describe('RedisStore under SIGKILL', () => {
  it(`keeps every acknowledged append and no half one across ${KILLS} kills`, async () => {
    const store = new RedisStore({ connection: server.url });
    try {
      await killLoop('redis', server.url, store, async () => false);
    } finally {
      await store.close();
    }
  }, 120_000);
});

async function race(kind: 'jsonl' | 'redis', target: string, store: SessionStore): Promise<void> {
  const sessionId = `race-${kind}`;
  await store.append(sessionId, [{ type: 'base' }], { operationId: 'base' });
  for (let round = 0; round < 3; round++) {
    const { lastSeq } = await store.load(sessionId);
    const writers = [0, 1].map(() => runStoreChild(child.file, [kind, target, sessionId, 'race']));
    await Promise.all(writers.map((writer) => writer.waitFor((line) => line === 'ready')));
    for (const writer of writers) writer.process.stdin?.write('go\n');
    const outcomes = await Promise.all(
      writers.map(async (writer) => JSON.parse(await writer.waitFor((line) => line.startsWith('{')))),
    );
    await Promise.all(writers.map((writer) => writer.exited));
    const winners = outcomes.filter((outcome) => outcome.ok);
    const losers = outcomes.filter((outcome) => !outcome.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ lastSeq: lastSeq + 1, duplicate: false });
    expect(losers).toEqual([
      {
        ok: false,
        expected: lastSeq,
        name: 'SessionConflictError',
        expectedSeq: lastSeq,
        actualSeq: lastSeq + 1,
      },
    ]);
    expect((await store.load(sessionId)).lastSeq).toBe(lastSeq + 1);
  }
}

describe('two writer processes on one session', () => {
  it('JsonlFileStore: one wins, the other gets SessionConflictError', async () => {
    const directory = join(root, 'race');
    await race('jsonl', directory, new JsonlFileStore({ directory }));
  }, 60_000);

  it('RedisStore: one wins, the other gets SessionConflictError', async () => {
    const store = new RedisStore({ connection: server.url });
    try {
      await race('redis', server.url, store);
    } finally {
      await store.close();
    }
  }, 60_000);
});
