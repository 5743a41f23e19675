/**
 * Durable agent runs on many machines: a run queue on BullMQ and Redis, exported as
 * `open-agent-sdk/queue` (Node-only). Needs the optional peer dependencies `bullmq` and `ioredis`
 * (`npm install bullmq ioredis`); see docs/scale-out.md.
 *
 * @module
 */
export type { QueueConnection } from './bullmq-loader.js';
export {
  type QueueDecision,
  type QueueInterruption,
  RUN_JOB_VERSION,
  type RunJobData,
  type RunJobEvent,
  type RunJobResult,
} from './job-data.js';
export {
  createOriginLimiter,
  type OriginLimiter,
  type OriginLimiterOptions,
  type OriginLimits,
} from './origin-limiter.js';
export { QueueError, type QueueErrorOptions } from './queue-error.js';
export type { RunHandle } from './run-handle.js';
export type { WorkerRunOptions } from './run-job.js';
export {
  createRunQueue,
  DEFAULT_QUEUE_NAME,
  type EnqueueOptions,
  type RunQueue,
  type RunQueueCounts,
  type RunQueueOptions,
} from './run-queue.js';
export { createRunWorker, type RunWorker, type RunWorkerOptions } from './run-worker.js';
