/**
 * What a run job holds in Redis (ids and plain prompt text only: never keys, URLs or functions), what it
 * returns, and the events it publishes as job progress.
 */
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Version of {@link RunJobData}, {@link RunJobResult} and {@link RunJobEvent}. Changes only additively. */
export const RUN_JOB_VERSION = 1;

/** A human's decision on a parked call, carried by a continuation job. */
export interface QueueDecision {
  /** The tool call's id (from the result's `interruptions`). */
  callId: string;
  approved: boolean;
  /** Rejections: what the model reads as the call's (error) result. */
  message?: string;
}

/** A run job's data (BullMQ `job.data`): `v`, ids, the agent's NAME and plain prompt text. */
export interface RunJobData {
  v: number;
  /** The agent definition's name; each worker resolves it to its own definition. */
  agent: string;
  /** The run's id, chosen at enqueue: the prefix of every tool call's idempotency key (`runId:callId`). */
  runId: string;
  /** The session (in the worker's store) that holds the run's log. */
  sessionId: string;
  /** Prompts of a new run; absent in continuations (approvals) which go on with the logged run. */
  input?: string[];
  /** Decisions to record before resuming (continuation jobs). */
  decisions?: QueueDecision[];
  /** Most model calls of the run, counted across resumes. */
  maxTurns?: number;
  [key: string]: unknown;
}

/** A parked call waiting for `queue.approve` / `queue.reject`. */
export interface QueueInterruption {
  callId: string;
  toolName: string;
  arguments: Record<string, unknown>;
}

/**
 * A run job's return value (BullMQ `job.returnvalue`). `status: 'interrupted'` is the "waiting for approval"
 * state: the job is complete, the run is parked in its session until a decision enqueues a continuation.
 */
export interface RunJobResult {
  v: number;
  runId: string;
  sessionId: string;
  agent: string;
  status: 'completed' | 'interrupted' | 'blocked';
  /** Text of the last answer when completed. */
  finalOutput?: string;
  interruptions: QueueInterruption[];
  /** Model calls of the run so far (across resumes). */
  turns: number;
  [key: string]: unknown;
}

/**
 * A run event as published by the worker (job progress): a summary of the agent event (no text deltas).
 * `seq` counts the events of one job attempt from 0.
 */
export interface RunJobEvent {
  v: number;
  seq: number;
  /** The agent event's type: `agent_start`, `turn_start`, `message_end`, `tool_execution_start`, ... */
  type: string;
  runId: string;
  turn: number;
  /** Assistant text (`message_end` of an assistant message). */
  text?: string;
  toolName?: string;
  toolCallId?: string;
  /** `tool_execution_end` outcome (`ok`, `error`, `rejected`, ...). */
  outcome?: string;
  /** The worker attempt that published it (1 for the first, more after a retry or a stalled restart). */
  attempt: number;
  [key: string]: unknown;
}

/**
 * Checks enqueue input: a prompt or prompts, as plain text.
 * @throws {InvalidArgumentError} for anything else (objects could carry secrets or functions).
 */
export function checkInput(input: string | readonly string[]): string[] {
  const list = typeof input === 'string' ? [input] : [...input];
  if (list.length === 0 || list.some((p) => typeof p !== 'string')) {
    throw new InvalidArgumentError(
      'Run queue input must be a prompt string or a non-empty array of strings.',
      {
        argument: 'input',
      },
    );
  }
  return list;
}

/**
 * Checks a job id (BullMQ forbids `:` in custom ids).
 * @throws {InvalidArgumentError} when empty, longer than 256 characters, or containing `:`.
 */
export function checkJobId(id: string, argument: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256 || id.includes(':')) {
    throw new InvalidArgumentError(`${argument} must be 1 to 256 characters without ':'.`, { argument });
  }
  return id;
}

/**
 * Reads a job's data.
 * @throws {InvalidArgumentError} when it is not a run job of a version this code knows.
 */
export function parseJobData(value: unknown): RunJobData {
  const data = value as Partial<RunJobData> | null;
  if (
    !data ||
    typeof data !== 'object' ||
    typeof data.agent !== 'string' ||
    typeof data.runId !== 'string' ||
    typeof data.sessionId !== 'string'
  ) {
    throw new InvalidArgumentError('Job data is not an open-agent-sdk run job.', { argument: 'job' });
  }
  if (typeof data.v !== 'number' || data.v > RUN_JOB_VERSION) {
    throw new InvalidArgumentError(`Run job version ${String(data.v)} is newer than this worker knows.`, {
      argument: 'job',
    });
  }
  return data as RunJobData;
}
