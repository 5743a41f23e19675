import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunQueue, type RunHandle } from '../../src/queue/index.js';
import { RedisStore } from '../../src/sessions/redis/index.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { bundleWorker, startModel, startWorker, stopWorker, type WorkerProcess } from './fixtures/harness.js';

/** Jobs (3 tool calls and 4 model calls each); `OA_QUEUE_JOBS` changes it. */
const JOBS = Number(process.env.OA_QUEUE_JOBS ?? 100);
/** Workers SIGKILLed mid-run during the test (each replaced by a new one). */
const KILLS = 3;
const QUEUE = 'q-kill';

let redis: RedisTestServer;
let model: Awaited<ReturnType<typeof startModel>>;
let script = '';
let dir = '';

beforeAll(async () => {
  [redis, model, script] = await Promise.all([
    startRedisServer(),
    startModel({ delayMs: 30 }),
    bundleWorker(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'oa-queue-kill-'));
}, 60_000);

afterAll(async () => {
  await model?.server.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(file: string): string[] {
  try {
    return readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('worker killed mid-run (SIGKILL)', () => {
  it(`${JOBS} jobs on 3 workers, ${KILLS} workers killed: all complete, no tool call applied twice, no checkpoint lost`, async () => {
    const queue = createRunQueue({ connection: redis.url, name: QUEUE });
    const store = new RedisStore({ connection: redis.url });
    const env = { REDIS_URL: redis.url, QUEUE, MODEL_URL: model.server.baseUrl, DIR: dir, CONCURRENCY: '4' };
    let n = 0;
    const workers: WorkerProcess[] = await Promise.all(
      [0, 1, 2].map(() => startWorker(script, env, `w${n++}`)),
    );
    try {
      const handles: RunHandle[] = [];
      for (let i = 0; i < JOBS; i++)
        handles.push(await queue.enqueue('stepper', `work ${i}`, { jobId: `k${i}` }));
      const results = Promise.all(handles.map((h) => h.result({ timeoutMs: 240_000 })));
      // kill a worker once it has run tool calls (so it dies mid-run), then replace it
      for (let k = 0; k < KILLS; k++) {
        await sleep(600 + Math.floor(Math.random() * 400));
        const victim = workers.shift();
        if (!victim) break;
        await stopWorker(victim, 'SIGKILL');
        workers.push(await startWorker(script, env, `w${n++}`));
      }
      const done = await results;
      expect(done.every((r) => r.status === 'completed' && r.finalOutput === 'stepper done')).toBe(true);
      for (const h of handles) {
        const { entries } = await store.load(h.sessionId);
        // no checkpoint lost, none doubled: prompt, 3 tool turns, answer
        expect(
          entries.map((e) => e.item.type),
          h.jobId,
        ).toEqual([
          'input',
          'model_response',
          'tool_result',
          'model_response',
          'tool_result',
          'model_response',
          'tool_result',
          'model_response',
        ]);
        expect(new Set(entries.map((e) => e.item.runId)), h.jobId).toEqual(new Set([h.runId]));
      }
      // every effect applied exactly once (tools dedupe by the key runId:callId)
      const effects = lines('effects');
      expect(effects).toHaveLength(JOBS * 3);
      expect(new Set(effects).size).toBe(JOBS * 3);
      const invocations = lines('calls').length;
      // a call cut off by the kill may start again (same key); completed calls never do
      expect(invocations).toBeGreaterThanOrEqual(JOBS * 3);
      const byKiller = new Set(lines('calls').map((l) => l.split(' ')[1]));
      // each killed worker (w0, w1, w2) was running tools when it died: the kills were mid-run
      for (const victim of ['w0', 'w1', 'w2']) expect(byKiller.has(victim), victim).toBe(true);
      expect(done.length).toBe(JOBS);
      console.info(
        `queue kill test: ${JOBS} jobs, ${KILLS} workers killed, ${invocations} tool invocations for ${JOBS * 3} calls, ` +
          `${byKiller.size} workers ran tools, ${model.server.requests.length} model requests for ${JOBS * 4} turns`,
      );
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w, 'SIGTERM')));
      await store.close();
      await queue.close();
    }
  }, 300_000);
});
