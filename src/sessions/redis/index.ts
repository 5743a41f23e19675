/**
 * Redis session store, exported as `open-agent-sdk/sessions/redis` (Node-only). Needs the optional peer
 * dependency `ioredis` when the store creates its own connection (`npm install ioredis`).
 *
 * @module
 */
export type { RedisClientLike, RedisConnectionOptions } from './redis-client.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
