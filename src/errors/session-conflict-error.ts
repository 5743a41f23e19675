import { SdkError, type SdkErrorOptions } from './sdk-error.js';

/** Fields of a {@link SessionConflictError}. */
export interface SessionConflictErrorOptions extends SdkErrorOptions {
  /** The session whose log moved. */
  sessionId: string;
  /** The `expectedSeq` the caller passed. */
  expectedSeq: number;
  /** The log's actual last `seq` when the write was refused. */
  actualSeq: number;
}

/**
 * A compare-and-set write (`append` or `rewrite` with `expectedSeq`) was refused because another writer moved
 * the session's log first. Nothing was written: reload the session (`load`) and decide again.
 */
export class SessionConflictError extends SdkError {
  static override readonly errorName: string = 'SessionConflictError';
  override readonly name: string = 'SessionConflictError';
  /** The session whose log moved. */
  readonly sessionId: string;
  /** The `expectedSeq` the caller passed. */
  readonly expectedSeq: number;
  /** The log's actual last `seq`. */
  readonly actualSeq: number;

  constructor(message: string, options: SessionConflictErrorOptions) {
    super(message, options);
    this.sessionId = options.sessionId;
    this.expectedSeq = options.expectedSeq;
    this.actualSeq = options.actualSeq;
  }
}
