import { SdkError, type SdkErrorOptions } from '../errors/sdk-error.js';

/** Fields of a {@link CompactionError}. */
export interface CompactionErrorOptions extends SdkErrorOptions {
  /** How many messages would have been summarized. */
  replacedCount: number;
}

/**
 * Summarizing older turns failed (the model call ended in an error or returned no text, or the
 * `summarize` function threw). Nothing was replaced: the transcript is as it was.
 */
export class CompactionError extends SdkError {
  static override readonly errorName: string = 'CompactionError';
  override readonly name: string = 'CompactionError';
  /** How many messages would have been summarized. */
  readonly replacedCount: number;

  constructor(message: string, options: CompactionErrorOptions) {
    super(message, options);
    this.replacedCount = options.replacedCount;
  }
}
