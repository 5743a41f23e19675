import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { createRunQueue, QueueError, type RunJobEvent } from '../../src/queue/index.js';
import { RedisStore } from '../../src/sessions/redis/index.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import {
  bundleWorker,
  CANARY,
  dumpRedis,
  startModel,
  startWorker,
  stopWorker,
  type WorkerProcess,
} from './fixtures/harness.js';

let redis: RedisTestServer;
let model: Awaited<ReturnType<typeof startModel>>;
let script = '';
let dir = '';
const QUEUE = 'q-basic';

beforeAll(async () => {
  [redis, model, script] = await Promise.all([
    startRedisServer(),
    startModel({ delayMs: 150, flakyFailures: 2 }),
    bundleWorker(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'oa-queue-'));
}, 60_000);

afterAll(async () => {
  await model?.server.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(concurrency = 2) {
  return {
    REDIS_URL: redis.url,
    QUEUE,
    MODEL_URL: model.server.baseUrl,
    DIR: dir,
    CONCURRENCY: String(concurrency),
  };
}

function lines(file: string): string[] {
  try {
    return readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('run queue (real redis-server, worker processes, loopback model)', () => {
  it('runs jobs in another process, dedups by jobId, retries a 503 with backoff, respects concurrency, keeps secrets out', async () => {
    const queue = createRunQueue({ connection: redis.url, name: QUEUE });
    const store = new RedisStore({ connection: redis.url });
    const worker = await startWorker(script, env(2), 'w1');
    try {
      // enqueue → result awaited here, run by the worker process
      const first = await queue.enqueue('stepper', 'work', { jobId: 'job-1' });
      const events: RunJobEvent[] = [];
      const collecting = (async () => {
        for await (const e of first.events()) events.push(e);
      })();
      const result = await first.result({ timeoutMs: 30_000 });
      await collecting;
      expect(result).toMatchObject({ v: 1, status: 'completed', finalOutput: 'stepper done', turns: 4 });
      expect(result.runId).toBe(first.runId);
      expect(events.filter((e) => e.type === 'tool_execution_end').map((e) => e.toolCallId)).toEqual([
        'call_1',
        'call_2',
        'call_3',
      ]);
      // the log is in the shared session
      const log = await store.load(first.sessionId);
      expect(log.entries.map((e) => e.item.type)).toEqual([
        'input',
        'model_response',
        'tool_result',
        'model_response',
        'tool_result',
        'model_response',
        'tool_result',
        'model_response',
      ]);

      // dedup: the same jobId gives the first job (same run), nothing runs again
      const again = await queue.enqueue('stepper', 'work', { jobId: 'job-1' });
      expect(again.runId).toBe(first.runId);
      expect((await again.result()).status).toBe('completed');
      expect((await store.load(first.sessionId)).entries).toHaveLength(8);

      // a 503 fails the attempt; BullMQ retries with backoff and the run completes
      const flaky = await queue.enqueue('talker', 'flaky please', { backoffMs: 200 });
      expect(await flaky.result({ timeoutMs: 30_000 })).toMatchObject({
        status: 'completed',
        finalOutput: 'talker done',
      });
      expect(model.stats.failures).toBe(2);

      // concurrency 2: six slow runs never put more than 2 requests in flight
      model.stats.maxInFlight = 0;
      const many = await Promise.all(Array.from({ length: 6 }, (_, i) => queue.enqueue('talker', `hi ${i}`)));
      for (const h of many) expect((await h.result({ timeoutMs: 30_000 })).status).toBe('completed');
      expect(model.stats.maxInFlight).toBe(2);

      // every tool call ran exactly once
      expect(lines('calls')).toHaveLength(3);
      expect((await queue.counts()).completed).toBe(8); // job-1, flaky, six talkers
    } finally {
      await stopWorker(worker, 'SIGTERM');
      await store.close();
      await queue.close();
    }
    // the canary key reached the model server, and nothing in Redis
    expect(model.server.requests.some((r) => r.headers.authorization === `Bearer ${CANARY}`)).toBe(true);
    const dump = await dumpRedis(redis.url);
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).not.toContain(CANARY);
  }, 120_000);

  it('parks a run for approval on one worker; an approval from this process finishes it on another', async () => {
    const queue = createRunQueue({ connection: redis.url, name: QUEUE });
    let a: WorkerProcess | undefined = await startWorker(script, env(1), 'wa');
    let b: WorkerProcess | undefined;
    try {
      const handle = await queue.enqueue('deployer', 'deploy prod');
      const parked = await handle.result({ timeoutMs: 30_000 });
      expect(parked.status).toBe('interrupted');
      expect(parked.interruptions).toEqual([
        { callId: 'call_d', toolName: 'deploy', arguments: { target: 'prod' } },
      ]);
      expect(lines('deploys')).toEqual([]);
      await stopWorker(a, 'SIGTERM');
      a = undefined;
      b = await startWorker(script, env(1), 'wb');

      // wrong call: typed error, nothing enqueued
      await expect(queue.approve(handle.jobId, 'nope')).rejects.toMatchObject({ code: 'not_waiting' });
      await expect(queue.approve('no-such-job', 'call_d')).rejects.toBeInstanceOf(QueueError);
      await expect(queue.enqueue('deployer', [] as string[])).rejects.toBeInstanceOf(InvalidArgumentError);

      // a job for an agent no worker defines fails for good (no retries), with a typed error
      const unknown = await queue.enqueue('nobody', 'hi', { attempts: 3 });
      const failure = await unknown.result({ timeoutMs: 30_000 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(QueueError);
      expect(failure).toMatchObject({ code: 'job_failed', jobId: unknown.jobId });
      expect((failure as Error).message).toContain('"nobody"');
      expect(await unknown.state()).toBe('failed');

      const cont = await queue.approve(handle.jobId, 'call_d');
      const twice = await queue.approve(handle.jobId, 'call_d'); // deduplicated
      expect(twice.jobId).toBe(cont.jobId);
      expect(cont.runId).toBe(handle.runId);
      const done = await cont.result({ timeoutMs: 30_000 });
      expect(done).toMatchObject({ status: 'completed', finalOutput: 'deployer done' });
      expect(lines('deploys')).toEqual([`${handle.runId}:call_d wb`]);
    } finally {
      if (a) await stopWorker(a, 'SIGTERM');
      if (b) await stopWorker(b, 'SIGTERM');
      await queue.close();
    }
  }, 120_000);
});
