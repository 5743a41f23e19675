import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { createOriginLimiter, createRunQueue } from '../../src/queue/index.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { bundleWorker, startModel, startWorker, stopWorker, type WorkerProcess } from './fixtures/harness.js';

let redis: RedisTestServer;
let model: Awaited<ReturnType<typeof startModel>>;
let script = '';
let dir = '';
const QUEUE = 'q-origin';

beforeAll(async () => {
  [redis, model, script] = await Promise.all([
    startRedisServer(),
    startModel({ delayMs: 150 }),
    bundleWorker(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'oa-queue-origin-'));
}, 60_000);

afterAll(async () => {
  await model?.server.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('per-origin limit across workers', () => {
  it('three workers of concurrency 4 with an origin limit of 2: the model server never sees more than 2 requests', async () => {
    const queue = createRunQueue({ connection: redis.url, name: QUEUE });
    const env = {
      REDIS_URL: redis.url,
      QUEUE,
      MODEL_URL: model.server.baseUrl,
      DIR: dir,
      CONCURRENCY: '4',
      ORIGIN_LIMIT: '2',
    };
    const workers: WorkerProcess[] = await Promise.all(
      ['o1', 'o2', 'o3'].map((id) => startWorker(script, env, id)),
    );
    try {
      const handles = await Promise.all(
        Array.from({ length: 18 }, (_, i) => queue.enqueue('talker', `hi ${i}`)),
      );
      const results = await Promise.all(handles.map((h) => h.result({ timeoutMs: 60_000 })));
      expect(results.every((r) => r.status === 'completed')).toBe(true);
      expect(model.stats.maxInFlight).toBe(2);
      expect(model.server.requests).toHaveLength(18);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w, 'SIGTERM')));
      await queue.close();
    }
    // every slot was given back
    const client = new Redis(redis.url);
    try {
      expect(await client.zcard(`oas:origin:${new URL(model.server.baseUrl).origin}`)).toBe(0);
    } finally {
      await client.quit();
    }
  }, 120_000);

  it('rejects a limit below 1', () => {
    expect(() => createOriginLimiter({ connection: redis.url, limits: { '*': 0 } })).toThrow(
      InvalidArgumentError,
    );
  });
});
