import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedisStore } from '../../src/sessions/redis/index.js';
import { sessionStoreConformance } from '../../src/testing/index.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';

let server: RedisTestServer;
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

sessionStoreConformance({
  name: 'RedisStore (own connection)',
  describe,
  it,
  create: async () => new RedisStore({ connection: server.url, keyPrefix: `conf${++prefixes}:` }),
  openAnother: async (store) =>
    new RedisStore({ connection: server.url, keyPrefix: (store as RedisStore).keyPrefix }),
});

const clients: Redis[] = [];
sessionStoreConformance({
  name: 'RedisStore (caller-owned ioredis client)',
  describe,
  it,
  create: async () => {
    const client = new Redis(server.port, '127.0.0.1');
    clients.push(client);
    return new RedisStore({ client, keyPrefix: `own${++prefixes}:` });
  },
  destroy: async (store) => {
    await store.close?.();
  },
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});
