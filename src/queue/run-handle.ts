/**
 * A handle on one run job: its ids, live events (job progress through BullMQ `QueueEvents`) and its final
 * result (the job's return value), from any process.
 */
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { RunJobData, RunJobEvent, RunJobResult } from './job-data.js';
import { QueueError } from './queue-error.js';

/** A queued run, seen from any process. */
export interface RunHandle {
  /** The BullMQ job id. */
  readonly jobId: string;
  /** The run's id (tool idempotency keys are `runId:callId`). */
  readonly runId: string;
  /** The session holding the run's log. */
  readonly sessionId: string;
  /** The agent's name. */
  readonly agent: string;
  /**
   * The job's state: `waiting`, `active`, `delayed`, `completed`, `failed`, ... (BullMQ `JobState`), or
   * `unknown` once removed.
   */
  state(): Promise<string>;
  /**
   * The job's return value once it finished: `completed`, or `interrupted` (parked for approval: decide
   * with `queue.approve` / `reject`).
   * @throws {QueueError} `job_failed` (with the failure text) when it failed for good; `timeout` after
   *   `timeoutMs`.
   */
  result(options?: { timeoutMs?: number }): Promise<RunJobResult>;
  /**
   * Live events of the job from now on (summaries of the agent events, as job progress), ending when the
   * job finishes. Events published before the call are not replayed: the run's log in the session is the
   * durable record.
   */
  events(): AsyncIterableIterator<RunJobEvent>;
}

/** The BullMQ objects a queue client holds. */
export interface QueueParts {
  queue: Queue;
  events: QueueEvents;
}
type Parts = QueueParts;

/** Makes the handle of a job. */
export function runHandle(parts: Parts, job: Job, data: RunJobData): RunHandle {
  const jobId = job.id ?? '';
  return {
    jobId,
    runId: data.runId,
    sessionId: data.sessionId,
    agent: data.agent,
    state: () => parts.queue.getJobState(jobId),
    result: async (options = {}) => {
      try {
        return (await job.waitUntilFinished(parts.events, options.timeoutMs)) as RunJobResult;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const timedOut = /timed out/i.test(message);
        throw new QueueError(
          timedOut
            ? `Job ${JSON.stringify(jobId)} did not finish in time.`
            : `Job ${jobId} failed: ${message}`,
          { code: timedOut ? 'timeout' : 'job_failed', jobId },
        );
      }
    },
    events: () => liveEvents(parts, jobId),
  };
}

async function* liveEvents(parts: Parts, jobId: string): AsyncIterableIterator<RunJobEvent> {
  const buffered: RunJobEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onProgress = (args: { jobId: string; data: unknown }) => {
    if (args.jobId !== jobId || typeof args.data !== 'object' || args.data === null) return;
    buffered.push(args.data as RunJobEvent);
    notify();
  };
  const onEnd = (args: { jobId: string }) => {
    if (args.jobId !== jobId) return;
    ended = true;
    notify();
  };
  parts.events.on('progress', onProgress);
  parts.events.on('completed', onEnd);
  parts.events.on('failed', onEnd);
  try {
    const state = await parts.queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed' || state === 'unknown') ended = true;
    while (true) {
      const next = buffered.shift();
      if (next) {
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    parts.events.off('progress', onProgress);
    parts.events.off('completed', onEnd);
    parts.events.off('failed', onEnd);
  }
}
