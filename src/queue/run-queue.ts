/**
 * `createRunQueue`: enqueue agent runs on a BullMQ queue and follow them (events, result, approvals) from
 * any process.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { bullConnection, loadBullMq, type QueueConnection } from './bullmq-loader.js';
import {
  checkInput,
  checkJobId,
  parseJobData,
  type QueueDecision,
  RUN_JOB_VERSION,
  type RunJobData,
  type RunJobResult,
} from './job-data.js';
import { QueueError } from './queue-error.js';
import { type QueueParts, type RunHandle, runHandle } from './run-handle.js';

/** The queue name used when none is given. */
export const DEFAULT_QUEUE_NAME = 'open-agent-runs';

/** Options of {@link createRunQueue}. */
export interface RunQueueOptions {
  /** Redis for BullMQ (URL or ioredis options). */
  connection: QueueConnection;
  /** Queue name (workers must use the same). @default 'open-agent-runs' */
  name?: string;
}

/** Options of {@link RunQueue.enqueue}. */
export interface EnqueueOptions {
  /** Session id holding the run's log (continue a conversation by reusing it). @default `run-<runId>` */
  session?: string;
  /** BullMQ job id: a second enqueue with the same id is deduplicated (returns the first job). @default a UUID */
  jobId?: string;
  /** Most model calls of the run. @default the worker's (20) */
  maxTurns?: number;
  /** Attempts for transient failures (provider 5xx, network), including the first. @default 5 */
  attempts?: number;
  /** Exponential backoff base delay between attempts, in ms (1×, 2×, 4×, ...). @default 1000 */
  backoffMs?: number;
}

/** Counts of jobs by state. */
export type RunQueueCounts = Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>;

/** A queue of agent runs. Every method works from any process connected to the same Redis. */
export interface RunQueue {
  /**
   * Queues a run of the agent named `agentName` (resolved by each worker). The job holds only ids, the
   * agent's name and the prompt text: never keys or URLs.
   * @throws {InvalidArgumentError} for input that is not text, a bad job id, or attempts < 1.
   */
  enqueue(agentName: string, input: string | readonly string[], options?: EnqueueOptions): Promise<RunHandle>;
  /** A handle on an existing job. @throws {QueueError} `not_found` when there is no such job. */
  get(jobId: string): Promise<RunHandle>;
  /**
   * Approves a call of a run parked for approval (the job `jobId` ended with `status: 'interrupted'`):
   * enqueues a continuation (deduplicated by decision) that any worker resumes. Returns its handle.
   * @throws {QueueError} `not_found`, or `not_waiting` when that job is not parked on that call.
   */
  approve(jobId: string, callId: string): Promise<RunHandle>;
  /** Rejects a parked call (the model reads `message` as its result). Same rules as {@link RunQueue.approve}. */
  reject(jobId: string, callId: string, options?: { message?: string }): Promise<RunHandle>;
  /** Records several decisions on one parked job in one continuation. Same rules as `approve`. */
  decide(jobId: string, decisions: readonly QueueDecision[]): Promise<RunHandle>;
  /** Job counts by state. */
  counts(): Promise<RunQueueCounts>;
  /** Closes this process's connections (jobs and workers are not affected). Idempotent. */
  close(): Promise<void>;
}

type Parts = QueueParts;

/**
 * Creates a run queue client (BullMQ `Queue` + `QueueEvents`; connections open on first use).
 * @throws {QueueError} `ERR_MODULE_NOT_FOUND` (on first use) when bullmq is not installed.
 */
export function createRunQueue(options: RunQueueOptions): RunQueue {
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  let parts: Promise<Parts> | undefined;
  const open = (): Promise<Parts> => {
    parts ??= loadBullMq().then(async ({ Queue, QueueEvents }): Promise<Parts> => {
      const connection = bullConnection(options.connection);
      const queue = new Queue(name, { connection });
      const events = new QueueEvents(name, { connection });
      queue.on('error', () => undefined);
      events.on('error', () => undefined);
      // every waiting `result()` adds listeners: many concurrent handles are normal here
      queue.setMaxListeners(0);
      events.setMaxListeners(0);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      return { queue: queue as Queue, events: events as QueueEvents };
    });
    return parts;
  };
  const handleOf = async (jobId: string): Promise<RunHandle> => {
    const p = await open();
    const job = await p.queue.getJob(jobId);
    if (!job) throw new QueueError(`No run job ${JSON.stringify(jobId)}.`, { code: 'not_found', jobId });
    return runHandle(p, job, parseJobData(job.data));
  };
  const add = async (data: RunJobData, jobId: string, o: EnqueueOptions): Promise<RunHandle> => {
    const attempts = o.attempts ?? 5;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new InvalidArgumentError('attempts must be an integer ≥ 1.', { argument: 'attempts' });
    }
    const p = await open();
    await p.queue.add('run', data, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: o.backoffMs ?? 1000 },
    });
    return handleOf(jobId); // a duplicate id gives the first job (and its run id)
  };
  const decide = async (jobId: string, decisions: readonly QueueDecision[]): Promise<RunHandle> => {
    const parent = await handleOf(jobId);
    const state = await parent.state();
    const parked = state === 'completed' ? await parent.result() : undefined;
    const waiting = new Set(
      parked?.status === 'interrupted' ? parked.interruptions.map((c) => c.callId) : [],
    );
    const missing = decisions.find((d) => !waiting.has(d.callId));
    if (decisions.length === 0 || missing) {
      const which = missing ? `call ${JSON.stringify(missing.callId)}` : 'a decision';
      throw new QueueError(`Job ${JSON.stringify(jobId)} is not waiting for ${which}.`, {
        code: 'not_waiting',
        jobId,
      });
    }
    const digest = createHash('sha256').update(JSON.stringify(decisions)).digest('hex').slice(0, 16);
    const data: RunJobData = {
      v: RUN_JOB_VERSION,
      agent: parent.agent,
      runId: parent.runId,
      sessionId: parent.sessionId,
      decisions: decisions.map((d) => ({ ...d })),
    };
    return add(data, `${jobId}-d${digest}`, {});
  };
  return {
    enqueue: async (agentName, input, o = {}) => {
      const prompts = checkInput(input);
      const jobId = checkJobId(o.jobId ?? randomUUID(), 'jobId');
      const runId = randomUUID();
      const data: RunJobData = {
        v: RUN_JOB_VERSION,
        agent: agentName,
        runId,
        sessionId: o.session ?? `run-${runId}`,
        input: prompts,
        ...(o.maxTurns !== undefined && { maxTurns: o.maxTurns }),
      };
      return add(data, jobId, o);
    },
    get: handleOf,
    approve: (jobId, callId) => decide(jobId, [{ callId, approved: true }]),
    reject: (jobId, callId, o = {}) =>
      decide(jobId, [{ callId, approved: false, ...(o.message !== undefined && { message: o.message }) }]),
    decide,
    counts: async () => {
      const p = await open();
      const c = await p.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return {
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
      };
    },
    close: async () => {
      const opened = parts;
      parts = undefined;
      const p = await opened?.catch(() => undefined);
      if (p) await Promise.all([p.events.close(), p.queue.close()]);
    },
  };
}

export type { RunHandle, RunJobResult };
