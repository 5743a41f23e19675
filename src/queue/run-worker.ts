/**
 * `createRunWorker`: a BullMQ worker that runs (or resumes) queued agent runs from their session logs.
 */
import type { AgentDefinition } from '../agent/definition.js';
import { type AgentResolver, resolveAgent } from '../agent/run-state.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SessionStore } from '../sessions/store.js';
import { bullConnection, loadBullMq, type QueueConnection } from './bullmq-loader.js';
import { parseJobData, type RunJobResult } from './job-data.js';
import { createOriginLimiter, type OriginLimiter, type OriginLimits } from './origin-limiter.js';
import { processRunJob, RunJobFailure, type RunJobLike, type WorkerRunOptions } from './run-job.js';
import { DEFAULT_QUEUE_NAME } from './run-queue.js';

/** Options of {@link createRunWorker}. */
export interface RunWorkerOptions extends WorkerRunOptions {
  /** Redis for BullMQ (URL or ioredis options). */
  connection: QueueConnection;
  /** Queue name; must match the queue's. @default 'open-agent-runs' */
  name?: string;
  /** The agent definitions, found by the job's agent name (one, an array, a record, or a function). */
  agents: AgentResolver;
  /** The session store holding the runs' logs (a `RedisStore` shared by every worker and client). */
  store: SessionStore;
  /** Jobs this worker runs at once. @default 1 */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, in ms: a worker killed mid-run loses its jobs to another
   * worker after about this long (plus `stalledIntervalMs`). @default 30000
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (of dead workers), in ms. @default 30000 */
  stalledIntervalMs?: number;
  /** Times one job may be recovered after its worker died before it fails. @default 10 */
  maxStalledCount?: number;
  /**
   * Most concurrent model requests per origin ACROSS ALL WORKERS on this Redis, e.g.
   * `{ 'http://gpu1:8080': 2 }` for a llama.cpp server with two slots, or `{ '*': 4 }` for every origin.
   * A slot is a lease in Redis (see `originLeaseMs`), held from the request until its body ends.
   */
  originLimits?: OriginLimits;
  /** Lease of an origin slot, renewed while held; a killed worker's slot frees after it, in ms. @default 30000 */
  originLeaseMs?: number;
}

/** A running worker. */
export interface RunWorker {
  /** Resolves once connected and taking jobs. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs, waits for the running ones to end (`force`: abandons them; they stall and another
   * worker resumes them from their last checkpoint), and closes the connections.
   */
  close(force?: boolean): Promise<void>;
}

/**
 * Starts a worker that takes run jobs from the queue: for each it loads the run's log from `store`, runs or
 * resumes it (`run(agent, state, { session })`: checkpoints go to the session, completed tool calls never
 * run again, a call cut off by a crash runs again with the same idempotency key), publishes its events as
 * job progress and returns a {@link RunJobResult}. Transient failures (provider 5xx/429, network, timeouts,
 * store errors) fail the attempt so BullMQ retries it with the job's backoff; other failures fail the job
 * for good. Runs that stop for approval end the job with `status: 'interrupted'`.
 *
 * API keys and other secrets come from `streamOptions` of THIS process, never from the job.
 *
 * @throws {QueueError} `ERR_MODULE_NOT_FOUND` when bullmq is not installed (from `ready()` or the first use).
 * @throws {InvalidArgumentError} for a concurrency below 1.
 */
export function createRunWorker(options: RunWorkerOptions): RunWorker {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError('concurrency must be an integer ≥ 1.', { argument: 'concurrency' });
  }
  const starting = start(options, concurrency);
  starting.catch(() => undefined);
  return {
    ready: async () => {
      const { worker } = await starting;
      await worker.waitUntilReady();
    },
    close: async (force = false) => {
      const started = await starting.catch(() => undefined);
      await started?.worker.close(force);
      await started?.limiter?.close();
    },
  };
}

async function start(options: RunWorkerOptions, concurrency: number) {
  const { Worker, UnrecoverableError } = await loadBullMq();
  let limiter: OriginLimiter | undefined;
  let runOptions: WorkerRunOptions = options;
  if (options.originLimits) {
    limiter = createOriginLimiter({
      connection: options.connection,
      limits: options.originLimits,
      ...(options.originLeaseMs !== undefined && { leaseMs: options.originLeaseMs }),
    });
    const base = options.streamOptions?.fetch ?? globalThis.fetch;
    runOptions = { ...options, streamOptions: { ...options.streamOptions, fetch: limiter.wrap(base) } };
  }
  const processor = async (job: RunJobLike, _token?: string, signal?: AbortSignal): Promise<RunJobResult> => {
    let agent: AgentDefinition<never>;
    let data: ReturnType<typeof parseJobData>;
    try {
      data = parseJobData(job.data);
      agent = resolveAgent(options.agents, data.agent);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    try {
      return await processRunJob(job, data, agent, options.store, {
        ...runOptions,
        ...(signal !== undefined && { signal }),
      });
    } catch (error) {
      if (error instanceof RunJobFailure && !error.retryable) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
  const worker = new Worker(options.name ?? DEFAULT_QUEUE_NAME, processor, {
    connection: bullConnection(options.connection),
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 10,
  });
  // Without a listener an 'error' event would crash the process; the failures are the jobs'.
  worker.on('error', () => undefined);
  return { worker, limiter };
}
