import { SdkError, type SdkErrorOptions } from '../errors/sdk-error.js';

/** Fields of a {@link QueueError}. */
export interface QueueErrorOptions extends SdkErrorOptions {
  /**
   * What went wrong: `ERR_MODULE_NOT_FOUND` (bullmq/ioredis missing), `job_failed` (the job ended failed),
   * `not_found` (no such job), `not_waiting` (the run is not waiting for that decision), `timeout`.
   */
  code: 'ERR_MODULE_NOT_FOUND' | 'job_failed' | 'not_found' | 'not_waiting' | 'timeout';
  /** The BullMQ job concerned, when there is one. */
  jobId?: string;
}

/**
 * The run queue (`open-agent-sdk/queue`) failed: a package is missing, a job failed for good, a job id is
 * unknown, or a decision names a call the run is not waiting for. Messages never hold connection secrets.
 */
export class QueueError extends SdkError {
  static override readonly errorName: string = 'QueueError';
  override readonly name: string = 'QueueError';
  /** What went wrong (see {@link QueueErrorOptions.code}). */
  readonly code: QueueErrorOptions['code'];
  /** The job concerned, if any. */
  readonly jobId: string | undefined;

  constructor(message: string, options: QueueErrorOptions) {
    super(message, options);
    this.code = options.code;
    this.jobId = options.jobId;
  }
}
