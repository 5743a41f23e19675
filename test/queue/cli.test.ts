import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../cli/cli.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { CANARY, dumpRedis, startModel } from './fixtures/harness.js';

let redis: RedisTestServer;
let model: Awaited<ReturnType<typeof startModel>>;
let dir = '';

beforeAll(async () => {
  [redis, model] = await Promise.all([startRedisServer(), startModel()]);
  dir = mkdtempSync(join(tmpdir(), 'oa-queue-cli-'));
  const sdk = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;
  const model_ = { id: 'test-model', api: 'openai-chat', provider: 'custom', baseUrl: model.server.baseUrl };
  writeFileSync(
    join(dir, 'agents.mjs'),
    `import { defineAgent } from ${JSON.stringify(sdk)};\n` +
      `export const talker = defineAgent({ name: 'talker', instructions: 'talker', model: ${JSON.stringify(model_)} });\n`,
  );
}, 60_000);

afterAll(async () => {
  await model?.server.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('open-agent worker / enqueue / queue status', () => {
  it('a worker process runs a job queued by `enqueue --wait`; status counts it; the key stays in the worker', async () => {
    const worker = spawn(
      process.execPath,
      [BIN, 'worker', '--redis', redis.url, '--agents', join(dir, 'agents.mjs'), '--api-key-env', 'MY_KEY'],
      { env: cleanEnv({ MY_KEY: CANARY }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start: ${err}`)), 20_000);
        worker.stderr?.on('data', (b: Buffer) => {
          err += b.toString();
          if (err.includes('worker ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const queued = await runCli([
        'enqueue',
        '--redis',
        redis.url,
        '--agent',
        'talker',
        '--job-id',
        'cli-1',
        '--wait',
        'hello',
      ]);
      expect(queued.code, queued.stderr).toBe(0);
      const [ids, result] = queued.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(ids).toMatchObject({ jobId: 'cli-1' });
      expect(result).toMatchObject({ status: 'completed', finalOutput: 'talker done', runId: ids.runId });
      const status = await runCli(['queue', 'status', '--redis', redis.url]);
      expect(JSON.parse(status.stdout)).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
      const missing = await runCli(['enqueue', '--agent', 'talker', 'hi']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('--redis URL');
    } finally {
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(model.server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(await dumpRedis(redis.url)).not.toContain(CANARY);
  }, 60_000);
});
