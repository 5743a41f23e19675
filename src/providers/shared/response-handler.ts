import type { SseEvent } from '../../http/sse.js';
import type { FinishInfo } from '../../stream/message-builder.js';

/** How a body ended, as judged by a provider's response handler. */
export interface EndResult {
  /** Stop reason and raw finish reason. */
  info: FinishInfo;
  /** Set when the server reported an error (in-stream error object, content filter). */
  error?: Error;
}

/**
 * A provider's parser for one response. The driver decodes the body and calls one of these per unit;
 * the handler feeds the message builder. Handlers throw `SdkError`s for fatal problems.
 */
export interface ResponseHandler {
  /**
   * One Server-Sent Event. Return `true` once the stream's end marker (e.g. `[DONE]`) was seen. Handlers
   * without it reject SSE bodies as unexpected.
   */
  sse?(event: SseEvent): boolean | undefined;
  /**
   * One line of a newline-delimited JSON body (`application/x-ndjson`, as Ollama's native API streams),
   * parsed. Return `true` once the stream's last line (e.g. `"done": true`) was seen. Handlers without it
   * reject NDJSON bodies as unexpected.
   */
  ndjson?(value: unknown): boolean | undefined;
  /** A whole JSON body (non-streaming response, or a proxy that ignored `stream: true`). */
  json(value: unknown): void;
  /** End of body: decides the stop reason, or throws a `StreamParseError` (`truncated`). */
  end(): EndResult;
}
