/**
 * `RedisStore`: sessions in Redis (any Redis ≥ 2.6 with Lua; no modules), exported as
 * `open-agent-sdk/sessions/redis`.
 */
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { SessionStoreError, type SessionStoreErrorOptions } from '../../errors/session-store-error.js';
import type {
  SessionAppendOptions,
  SessionAppendResult,
  SessionItem,
  SessionLoad,
  SessionRewriteOptions,
  SessionStore,
} from '../store.js';
import {
  checkAfterSeq,
  checkAppendOptions,
  checkRewriteOptions,
  checkSessionId,
  checkSessionItems,
  conflictError,
  encodeItems,
} from '../validate.js';
import {
  createIoRedisClient,
  type RedisClientLike,
  type RedisConnectionOptions,
  redisError,
  secretsOf,
} from './redis-client.js';
import {
  APPEND_SCRIPT,
  DELETE_SCRIPT,
  LOAD_SCRIPT,
  REDIS_FORMAT_VERSION,
  REWRITE_SCRIPT,
  type RedisScript,
} from './redis-scripts.js';

/** Options of {@link RedisStore}: pass `client` or `connection` (neither: ioredis defaults, 127.0.0.1:6379). */
export interface RedisStoreOptions {
  /** Your client (an `ioredis` `Redis` or `Cluster`). The store never closes it. */
  client?: RedisClientLike;
  /**
   * A `redis://` / `rediss://` URL or `ioredis` options: the store creates its own client on first use (which
   * needs `npm install ioredis`) and closes it in `close()`.
   */
  connection?: string | RedisConnectionOptions;
  /**
   * Prefix of every key; must not contain `{` or `}`. A session's keys are `<prefix>{<id>}:items`, `:ops` and
   * `:meta`.
   * @default 'oas:session:'
   */
  keyPrefix?: string;
}

/**
 * A {@link SessionStore} in Redis, for sessions shared by several processes or machines.
 *
 * Each session is a list of item JSON texts, a hash of applied operation ids and a meta hash (`v: 1`); every
 * method is ONE Lua script, so an append of many items is atomic, idempotent (`operationId`) and
 * compare-and-set (`expectedSeq`) even with many writers, and a client killed mid-call leaves all of the
 * change or none of it. Durability is Redis's: use AOF (`appendonly yes`, `appendfsync everysec` or
 * `always`) and `maxmemory-policy noeviction` for sessions you cannot lose. Error messages never hold the
 * password or a URL's credentials (the client's error, which may list command arguments, is not kept as
 * `cause`).
 *
 * @example
 * ```ts
 * import { RedisStore } from 'open-agent-sdk/sessions/redis';
 * const store = new RedisStore({ connection: process.env.REDIS_URL });
 * await store.append('chat-1', [{ type: 'input', text: 'hi' }], { operationId: 'turn-1' });
 * await store.close();
 * ```
 */
export class RedisStore implements SessionStore {
  /** The key prefix in use. */
  readonly keyPrefix: string;
  readonly #options: RedisStoreOptions;
  readonly #secrets: string[];
  #client: Promise<RedisClientLike> | undefined;
  #closed = false;

  /** @throws InvalidArgumentError when `keyPrefix` contains `{` or `}`. */
  constructor(options: RedisStoreOptions = {}) {
    this.#options = options;
    this.keyPrefix = options.keyPrefix ?? 'oas:session:';
    this.#secrets = secretsOf(options.connection);
    if (/[{}]/.test(this.keyPrefix)) {
      throw new InvalidArgumentError('RedisStore keyPrefix must not contain { or } (they mark hash tags).', {
        argument: 'keyPrefix',
      });
    }
  }

  /** {@inheritDoc SessionStore.load} */
  async load(sessionId: string, options?: { afterSeq?: number }): Promise<SessionLoad> {
    const keys = this.#keys(sessionId);
    const afterSeq = checkAfterSeq(options);
    const reply = await this.#run('load', sessionId, LOAD_SCRIPT, keys, [afterSeq]);
    const [, lastSeq, texts] = reply as [number, number, string[]];
    const entries = texts.map((text, index) => ({
      seq: afterSeq + index + 1,
      item: JSON.parse(text) as SessionItem,
    }));
    return { entries, lastSeq };
  }

  /** {@inheritDoc SessionStore.append} */
  async append(
    sessionId: string,
    items: SessionItem[],
    options: SessionAppendOptions,
  ): Promise<SessionAppendResult> {
    const keys = this.#keys(sessionId);
    checkSessionItems(items);
    const { operationId, expectedSeq } = checkAppendOptions(options);
    const args = [operationId, expectedSeq === undefined ? '' : String(expectedSeq), ...encodeItems(items)];
    const [status, seq] = (await this.#run('append', sessionId, APPEND_SCRIPT, keys, args)) as [
      number,
      number,
    ];
    if (status === 2) throw conflictError(sessionId, expectedSeq ?? 0, seq);
    return { lastSeq: seq, duplicate: status === 1 };
  }

  /** {@inheritDoc SessionStore.rewrite} */
  async rewrite(sessionId: string, options: SessionRewriteOptions): Promise<{ lastSeq: number }> {
    const keys = this.#keys(sessionId);
    const { expectedSeq, replacement } = checkRewriteOptions(options);
    const args = [String(expectedSeq), ...encodeItems(replacement)];
    const [status, seq] = (await this.#run('rewrite', sessionId, REWRITE_SCRIPT, keys, args)) as [
      number,
      number,
    ];
    if (status === 2) throw conflictError(sessionId, expectedSeq, seq);
    return { lastSeq: seq };
  }

  /** {@inheritDoc SessionStore.delete} */
  async delete(sessionId: string): Promise<void> {
    await this.#run('delete', sessionId, DELETE_SCRIPT, this.#keys(sessionId), []);
  }

  /** Closes the client the store created (never one passed as `client`). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const created = this.#options.client ? undefined : this.#client;
    this.#client = undefined;
    if (!created) return;
    try {
      await (await created).quit();
    } catch (error) {
      if (SessionStoreError.isInstance(error)) return; // it never connected (ioredis missing)
      throw redisError(error, 'close', undefined, this.#secrets);
    }
  }

  #keys(sessionId: string): string[] {
    const base = `${this.keyPrefix}{${checkSessionId(sessionId)}}`;
    return [`${base}:items`, `${base}:ops`, `${base}:meta`];
  }

  #clientOnce(): Promise<RedisClientLike> {
    if (this.#closed) {
      return Promise.reject(new SessionStoreError('This RedisStore is closed.', { operation: 'connect' }));
    }
    const { client, connection } = this.#options;
    this.#client ??= client ? Promise.resolve(client) : createIoRedisClient(connection);
    return this.#client;
  }

  async #run(
    operation: SessionStoreErrorOptions['operation'],
    sessionId: string,
    script: RedisScript,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown[]> {
    let reply: unknown;
    let client: RedisClientLike | undefined;
    try {
      client = await this.#clientOnce();
      try {
        reply = await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        reply = await client.eval(script.lua, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw redisError(error, operation, sessionId, this.#secrets, client);
    }
    const values = reply as unknown[];
    if (values[0] === 3) {
      throw new SessionStoreError(
        `Session ${JSON.stringify(sessionId)} was written in format v${String(values[1])} by a newer version of ` +
          `open-agent-sdk (this one handles v${REDIS_FORMAT_VERSION}); upgrade open-agent-sdk.`,
        { operation, sessionId, code: 'EVERSION' },
      );
    }
    return values;
  }
}
