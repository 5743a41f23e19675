/**
 * RedisStore failure paths against real redis-server processes: a server that is down, a wrong password (no
 * secret in any error), a server that comes back, a missing ioredis package, a bad key prefix.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, SessionStoreError } from '../../src/errors/index.js';
import { RedisStore } from '../../src/sessions/redis/index.js';
import { closedPort } from '../helpers/ports.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildStoreChild, runStoreChild } from './support/child-process.js';

const PASSWORD = 'pw-Secret-4242';
let secured: RedisTestServer;

beforeAll(async () => {
  secured = await startRedisServer({ args: ['--requirepass', PASSWORD] });
});
afterAll(async () => {
  await secured?.stop();
});

async function failure(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!SessionStoreError.isInstance(error))
    throw new Error(`expected a SessionStoreError, got ${String(error)}`);
  return error;
}

describe('RedisStore failures', () => {
  it('fails fast with ECONNREFUSED when no server listens, with no password in the error', async () => {
    const port = await closedPort();
    const store = new RedisStore({ connection: `redis://app:${PASSWORD}@127.0.0.1:${port}/0` });
    const started = Date.now();
    const error = await failure(store.append('s', [{ type: 'a' }], { operationId: 'o1' }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.operation).toBe('append');
    expect(error.sessionId).toBe('s');
    expect(error.code).toBe('ECONNREFUSED');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(PASSWORD);
    expect(error.cause).toBeUndefined();
    await store.close();
    await store.close();
  });

  it('reports a wrong password without echoing it, and works with the right one', async () => {
    const wrong = new RedisStore({
      connection: { port: secured.port, host: '127.0.0.1', password: `${PASSWORD}x` },
    });
    const error = await failure(wrong.load('s'));
    expect(error.message).toMatch(/WRONGPASS|NOAUTH|invalid/i);
    expect(`${error.message} ${error.stack}`).not.toContain(PASSWORD);
    await wrong.close();
    const right = new RedisStore({ connection: `redis://:${PASSWORD}@127.0.0.1:${secured.port}` });
    expect(await right.append('s', [{ type: 'a' }], { operationId: 'o1' })).toEqual({
      lastSeq: 1,
      duplicate: false,
    });
    await right.close();
  });

  it('fails while the server is down and works again, on the same store, once it is back', async () => {
    const server = await startRedisServer();
    const store = new RedisStore({ connection: { host: '127.0.0.1', port: server.port } });
    let again: RedisTestServer | undefined;
    try {
      expect(await store.append('s', [{ type: 'a' }], { operationId: 'o1' })).toEqual({
        lastSeq: 1,
        duplicate: false,
      });
      await server.stop();
      const error = await failure(store.append('s', [{ type: 'b' }], { operationId: 'o2' }));
      expect(error.operation).toBe('append');
      // Persistence is off in tests, so the restarted server is empty: the point is that the client reconnects.
      again = await startRedisServer({ port: server.port });
      let result: unknown;
      for (let attempt = 0; attempt < 50 && result === undefined; attempt++) {
        result = await store.append('s', [{ type: 'b' }], { operationId: 'o2' }).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        });
      }
      expect(result).toEqual({ lastSeq: 1, duplicate: false });
      expect(await store.append('s', [{ type: 'b' }], { operationId: 'o2' })).toEqual({
        lastSeq: 1,
        duplicate: true,
      });
    } finally {
      await store.close();
      await again?.stop();
    }
  });

  it('rejects a key prefix with hash-tag braces', () => {
    expect(() => new RedisStore({ keyPrefix: 'a{b}' })).toThrow(InvalidArgumentError);
  });

  it('a closed store refuses calls with a SessionStoreError', async () => {
    const store = new RedisStore({ connection: secured.url });
    await store.close();
    expect((await failure(store.load('s'))).message).toContain('closed');
  });

  it('names `npm install ioredis` when the package cannot be found', async () => {
    const built = await buildStoreChild(`${tmpdir()}/oas-no-ioredis-`);
    try {
      const probe = runStoreChild(built.file, ['redis', 'redis://127.0.0.1:1', 's', 'probe']);
      const outcome = JSON.parse(await probe.waitFor((line) => line.startsWith('{')));
      await probe.exited;
      expect(outcome).toMatchObject({ ok: false, name: 'SessionStoreError', code: 'ERR_MODULE_NOT_FOUND' });
      expect(outcome.message).toContain('npm install ioredis');
    } finally {
      await built.dispose();
    }
  });
});
