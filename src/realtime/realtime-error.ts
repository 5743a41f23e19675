import { SdkError, type SdkErrorOptions } from '../errors/sdk-error.js';

/** Fields of a {@link RealtimeError}. */
export interface RealtimeErrorOptions extends SdkErrorOptions {
  /** The server's error `type` / `code` (`invalid_request_error`, `conversation_already_has_active_response`). */
  code?: string;
  /** The id of the client event the error is about, when the server said. */
  eventId?: string;
  /** HTTP status of a refused WebSocket handshake. */
  status?: number;
}

/**
 * A realtime session failed: the server sent an `error` event, refused the handshake (`status`), or the
 * connection closed unexpectedly. Messages never contain the API key.
 */
export class RealtimeError extends SdkError {
  static override readonly errorName: string = 'RealtimeError';
  override readonly name: string = 'RealtimeError';
  readonly code: string | undefined;
  readonly eventId: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: RealtimeErrorOptions = {}) {
    super(message, options);
    this.code = options.code;
    this.eventId = options.eventId;
    this.status = options.status;
  }
}
