/**
 * Getting a Redis client for `RedisStore`: the caller's own, or one made from connection options with
 * `ioredis` (an optional peer dependency, imported on first use). Also: redis errors → `SessionStoreError`
 * without credentials.
 */
import { SessionStoreError, type SessionStoreErrorOptions } from '../../errors/session-store-error.js';

/**
 * The few client methods `RedisStore` calls: an `ioredis` `Redis` instance fits (so does a `Cluster`).
 * Arguments and replies follow the Redis commands EVALSHA, EVAL and QUIT.
 */
export interface RedisClientLike {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  quit(): Promise<unknown>;
}

/**
 * Connection options handed to `new Redis(options)` of `ioredis` (see its `RedisOptions`): `host`, `port`,
 * `username`, `password`, `db`, `tls`, ... The store defaults `maxRetriesPerRequest` to 1 so a down server
 * fails a call quickly instead of queueing it.
 */
export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  [option: string]: unknown;
}

interface IoRedisModule {
  Redis: new (
    ...args: unknown[]
  ) => RedisClientLike & {
    on(event: 'error', listener: (error: Error) => void): unknown;
  };
}

/** The last connection error of each client this module created. */
const connectionErrors = new WeakMap<object, Error>();

/** Secrets to scrub from messages: passwords of the connection, user:password@ parts of URLs. */
export function secretsOf(connection: string | RedisConnectionOptions | undefined): string[] {
  if (connection === undefined) return [];
  if (typeof connection !== 'string')
    return typeof connection.password === 'string' ? [connection.password] : [];
  try {
    const url = new URL(connection);
    return [url.password, decodeURIComponent(url.password)].filter((secret) => secret.length > 0);
  } catch {
    return [];
  }
}

/** Removes credentials from a message: `scheme://user:pass@` parts and the given secrets. */
export function scrub(message: string, secrets: readonly string[]): string {
  let clean = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 3) clean = clean.split(secret).join('***');
  return clean;
}

/**
 * Creates an `ioredis` client from a URL or options.
 * @throws SessionStoreError (`code: 'ERR_MODULE_NOT_FOUND'`) naming `npm install ioredis` when it is missing.
 */
export async function createIoRedisClient(
  connection: string | RedisConnectionOptions | undefined,
): Promise<RedisClientLike> {
  let module: IoRedisModule;
  try {
    module = (await import('ioredis')) as unknown as IoRedisModule;
  } catch (error) {
    throw new SessionStoreError(
      'RedisStore needs the ioredis package to connect: run `npm install ioredis` (or pass your own client).',
      { operation: 'connect', code: 'ERR_MODULE_NOT_FOUND', cause: error },
    );
  }
  const defaults = { maxRetriesPerRequest: 1 };
  const client =
    typeof connection === 'string'
      ? new module.Redis(connection, defaults)
      : new module.Redis({ ...defaults, ...connection });
  // Connection errors surface on the calls that fail (see redisError); unheard, ioredis would print them.
  client.on('error', (error) => {
    connectionErrors.set(client, error);
  });
  return client;
}

/** Maps a client failure to a `SessionStoreError` whose message holds no credentials. */
export function redisError(
  error: unknown,
  operation: SessionStoreErrorOptions['operation'],
  sessionId: string | undefined,
  secrets: readonly string[],
  client?: object,
): SessionStoreError {
  if (SessionStoreError.isInstance(error)) return error;
  let raw = error instanceof Error ? error.message : String(error);
  let systemCode = (error as { code?: unknown } | undefined)?.code;
  const connection = client === undefined ? undefined : connectionErrors.get(client);
  // ioredis fails a queued command with "Reached the max retries per request limit": the why is the
  // connection error it emitted.
  if (connection && (error as { name?: unknown } | undefined)?.name === 'MaxRetriesPerRequestError') {
    raw = `${connection.message} (${raw})`;
    systemCode = (connection as { code?: unknown }).code;
  }
  const code = typeof systemCode === 'string' ? systemCode : /^([A-Z]{3,})\b/.exec(raw)?.[1];
  const where = sessionId === undefined ? '' : ` of session ${JSON.stringify(sessionId)}`;
  return new SessionStoreError(`Redis ${operation}${where} failed: ${scrub(raw, secrets)}`, {
    operation,
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(code === undefined ? {} : { code }),
  });
}
