/**
 * Events of a {@link RealtimeSession}: typed views of the OpenAI Realtime server events (GA names and
 * their beta aliases), plus the session's own tool and lifecycle events.
 *
 * @module
 */

import type { SdkError } from '../errors/sdk-error.js';

/** A server event as received (`type` plus the event's fields). */
export interface RealtimeServerEvent {
  type: string;
  event_id?: string;
  [key: string]: unknown;
}

/** One event of a realtime session. */
export type RealtimeSessionEvent =
  /** Every server event, as received (including the ones also reported below). */
  | { type: 'server_event'; event: RealtimeServerEvent }
  /** Output audio (`response.output_audio.delta`, beta `response.audio.delta`), decoded from base64. */
  | { type: 'audio'; audio: Uint8Array; responseId?: string; itemId?: string }
  /** Output text (`response.output_text.delta`, beta `response.text.delta`). */
  | { type: 'text_delta'; delta: string; responseId?: string }
  /** Transcript of the assistant's audio, or of the user's (`conversation.item.input_audio_transcription.*`). */
  | { type: 'transcript_delta'; role: 'assistant' | 'user'; delta: string; itemId?: string }
  /** A function call is about to run (after the approval, when one is configured). */
  | { type: 'tool_start'; callId: string; name: string; arguments: Record<string, unknown> }
  /** A function call finished; `output` was sent back as a `function_call_output` item. */
  | { type: 'tool_end'; callId: string; name: string; output: string; isError: boolean }
  /** `response.done`. */
  | { type: 'response_done'; response: Record<string, unknown> }
  /** A server `error` event, an unparsable message, or a failed send (typed). */
  | { type: 'error'; error: SdkError }
  /** The connection closed (last event). */
  | { type: 'closed'; code: number; reason: string };
