/**
 * Per-origin concurrency limits that hold across every worker: a lease-based semaphore in Redis (one sorted
 * set per origin: member = holder token, score = lease expiry), applied by wrapping `fetch`. A worker
 * killed while holding a slot loses it when its lease runs out.
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { QueueConnection } from './bullmq-loader.js';
import { QueueError } from './queue-error.js';

/** Most concurrent requests per origin (`'http://127.0.0.1:8080'`), or for every origin (`'*'`). */
export type OriginLimits = Readonly<Record<string, number>>;

/** Options of {@link createOriginLimiter}. */
export interface OriginLimiterOptions {
  connection: QueueConnection;
  limits: OriginLimits;
  /** Prefix of the semaphore keys. @default 'oas:origin:' */
  keyPrefix?: string;
  /** A held slot's lease, renewed every third of it while the response is read, in ms. @default 30000 */
  leaseMs?: number;
  /** How often a waiting request tries again, in ms. @default 25 */
  pollMs?: number;
}

/** A limiter: wraps a `fetch` so each request first takes a slot of its origin. */
export interface OriginLimiter {
  wrap(base: typeof fetch): typeof fetch;
  close(): Promise<void>;
}

// KEYS[1] = semaphore; ARGV = token, limit, leaseMs. Returns 1 when the slot was taken.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
return 0`;
// KEYS[1] = semaphore; ARGV = token, leaseMs. Extends a held lease.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

interface Client {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
  quit(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

async function connect(connection: QueueConnection): Promise<Client> {
  let mod: { Redis: new (...args: unknown[]) => Client };
  try {
    mod = (await import('ioredis')) as unknown as typeof mod;
  } catch (error) {
    throw new QueueError('Origin limits need the ioredis package: run `npm install ioredis`.', {
      code: 'ERR_MODULE_NOT_FOUND',
      cause: error,
    });
  }
  const client =
    typeof connection === 'string' ? new mod.Redis(connection) : new mod.Redis({ ...connection });
  client.on('error', () => undefined);
  return client;
}

/**
 * Creates a limiter. Every process that uses the same Redis and `keyPrefix` shares the slots.
 * @throws {InvalidArgumentError} for a limit that is not an integer ≥ 1.
 */
export function createOriginLimiter(options: OriginLimiterOptions): OriginLimiter {
  for (const [origin, limit] of Object.entries(options.limits)) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidArgumentError(`Origin limit of ${origin} must be an integer ≥ 1.`, {
        argument: 'originLimits',
      });
    }
  }
  const prefix = options.keyPrefix ?? 'oas:origin:';
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 25;
  let client: Promise<Client> | undefined;
  const redis = () => {
    client ??= connect(options.connection);
    return client;
  };
  const acquire = async (origin: string, limit: number, signal: AbortSignal | undefined) => {
    const key = `${prefix}${origin}`;
    const token = randomUUID();
    const r = await redis();
    while ((await r.eval(ACQUIRE, 1, key, token, limit, leaseMs)) !== 1) {
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    const timer = setInterval(
      () => void r.eval(RENEW, 1, key, token, leaseMs).catch(() => undefined),
      leaseMs / 3,
    );
    timer.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      void r.zrem(key, token).catch(() => undefined);
    };
  };
  return {
    wrap: (base) => async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const limit = options.limits[url.origin] ?? options.limits['*'];
      if (limit === undefined) return base(input, init);
      const release = await acquire(url.origin, limit, init?.signal ?? undefined);
      try {
        return releasingBody(await base(input, init), release);
      } catch (error) {
        release();
        throw error;
      }
    },
    close: async () => {
      const c = client;
      client = undefined;
      await (await c?.catch(() => undefined))?.quit().catch(() => undefined);
    },
  };
}

/** The response with a body that releases the slot when it ends, fails or is cancelled. */
function releasingBody(response: Response, release: () => void): Response {
  const body = response.body;
  if (!body) {
    release();
    return response;
  }
  const reader = body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
