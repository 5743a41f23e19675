import { SdkError, type SdkErrorOptions } from './sdk-error.js';

/** Fields of a {@link SessionStoreError}. */
export interface SessionStoreErrorOptions extends SdkErrorOptions {
  /** What failed: `load`, `append`, `rewrite`, `delete`, `close` or `connect`. */
  operation: 'load' | 'append' | 'rewrite' | 'delete' | 'close' | 'connect';
  /** The session concerned, when there is one. */
  sessionId?: string;
  /** System or backend error code when known (`EACCES`, `ENOSPC`, `ECONNREFUSED`, `ELOCKED`, ...). */
  code?: string;
}

/**
 * A session store's backend failed: a file could not be written or parsed, a lock could not be taken in
 * time, the Redis server refused or is unreachable, an optional client package is missing. The message names
 * the operation and what to try; it never holds passwords or URLs with credentials. When a write fails,
 * nothing that was acknowledged before is lost, and the call may be retried with the same `operationId`.
 */
export class SessionStoreError extends SdkError {
  static override readonly errorName: string = 'SessionStoreError';
  override readonly name: string = 'SessionStoreError';
  /** What failed. */
  readonly operation: SessionStoreErrorOptions['operation'];
  /** The session concerned, if any. */
  readonly sessionId: string | undefined;
  /** System or backend error code, if known. */
  readonly code: string | undefined;

  constructor(message: string, options: SessionStoreErrorOptions) {
    super(message, options);
    this.operation = options.operation;
    this.sessionId = options.sessionId;
    this.code = options.code;
  }
}
