import type { ToolCall } from './content.js';
import type { AssistantMessage } from './message.js';

/**
 * Events of one model call, in order: `start`, then for each content block `*_start`, `*_delta`…,
 * `*_end`, then exactly one terminal `done` or `error`. Every block event carries `contentIndex`, the
 * block's index in `message.content`. Events carry no copies of the message; read the live partial
 * message from `AssistantStream.partial` when needed.
 */
export type AssistantEvent =
  | StartEvent
  | TextStartEvent
  | TextDeltaEvent
  | TextEndEvent
  | ThinkingStartEvent
  | ThinkingDeltaEvent
  | ThinkingEndEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | RetryEvent
  | QueuedEvent
  | DoneEvent
  | ErrorEvent;

/** The request was accepted (or, for argument errors, is about to end in `error`). */
export interface StartEvent {
  type: 'start';
  /** Settings the server cannot honour, and what was done instead. */
  warnings: string[];
}
/** A text block begins. */
export interface TextStartEvent {
  type: 'text_start';
  contentIndex: number;
}
/** More text. */
export interface TextDeltaEvent {
  type: 'text_delta';
  contentIndex: number;
  /** The new text. */
  delta: string;
}
/** A text block is complete. */
export interface TextEndEvent {
  type: 'text_end';
  contentIndex: number;
  /** The whole text of the block. */
  content: string;
}
/** A thinking block begins. */
export interface ThinkingStartEvent {
  type: 'thinking_start';
  contentIndex: number;
}
/** More reasoning. */
export interface ThinkingDeltaEvent {
  type: 'thinking_delta';
  contentIndex: number;
  /** The new reasoning text. */
  delta: string;
}
/** A thinking block is complete. */
export interface ThinkingEndEvent {
  type: 'thinking_end';
  contentIndex: number;
  /** The whole reasoning text of the block. */
  content: string;
}
/** A tool call begins (id and name known; generated id when the server sent none). */
export interface ToolCallStartEvent {
  type: 'toolcall_start';
  contentIndex: number;
  /** Tool call id. */
  id: string;
  /** Tool name ('' if the server has not sent it yet). */
  name: string;
}
/** More argument text for a tool call. */
export interface ToolCallDeltaEvent {
  type: 'toolcall_delta';
  contentIndex: number;
  /** The raw argument fragment, exactly as received. */
  delta: string;
  /**
   * The arguments received so far, parsed leniently (incomplete strings, arrays and objects closed).
   * Computed on first read, so consumers that do not look pay nothing.
   */
  readonly arguments: Record<string, unknown>;
}
/** A tool call is complete. */
export interface ToolCallEndEvent {
  type: 'toolcall_end';
  contentIndex: number;
  /** The finished call (arguments parsed; `rawArguments` set when they were not valid JSON). */
  toolCall: ToolCall;
}
/**
 * The previous attempt failed before any response byte was received and the request will be sent again
 * after `delayMs`. Comes after `start` and before any block event; carries no `contentIndex`.
 */
export interface RetryEvent {
  type: 'retry';
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** Wait before it, in ms (the server's `retry-after-ms` / `Retry-After` when 0–60 s, else the backoff). */
  delayMs: number;
  /** Why, in a few words: `HTTP 429`, `connection ECONNRESET`, `x-should-retry: true`, `connect timeout`. */
  reason: string;
  /** The typed error of the failed attempt (secrets redacted). */
  error: Error;
}
/**
 * The request waits for a free slot of its server origin (`maxConcurrentRequests`, see
 * `http/origin-limiter.ts`) before it is sent; it is sent once a slot frees. Comes after `start` (or after
 * a `retry`: a retry queues again) and before any block event; carries no `contentIndex`.
 */
export interface QueuedEvent {
  type: 'queued';
  /** Its place in the origin's line when it started waiting: 1 = next to be sent. */
  position: number;
  /** The origin's limit of concurrent requests. */
  limit: number;
  /** The server origin, `scheme://host:port` (never a path or credentials). */
  origin: string;
}
/** The call finished normally. */
export interface DoneEvent {
  type: 'done';
  /** `stop`, `length` or `toolUse`. */
  reason: 'stop' | 'length' | 'toolUse';
  /** The final message. */
  message: AssistantMessage;
}
/** The call failed or was aborted. The message keeps all partial content. */
export interface ErrorEvent {
  type: 'error';
  /** `error` or `aborted`. */
  reason: 'error' | 'aborted';
  /** The final message, `stopReason` `error` or `aborted`, with `errorMessage`. */
  message: AssistantMessage;
  /** The typed error (an `SdkError` subclass) that ended the call. */
  error: Error;
}
