/**
 * Events of the voice pipeline (`VoicePipeline.run`). Times are milliseconds from the turn's start (the
 * end of the user's utterance, or the call for a whole-file input).
 *
 * @module
 */

import type { SdkError } from '../errors/sdk-error.js';

/** Per-stage latency of a turn, ms from the turn's start; a stage that did not happen is absent. */
export interface VoiceLatency {
  /** The transcript was complete. */
  transcriptMs?: number;
  /** The agent's first text delta. */
  firstTokenMs?: number;
  /** The first audio chunk was emitted. */
  firstAudioMs?: number;
}

/** One event of a voice session. */
export type VoiceEvent =
  /** A user utterance ended and is being handled. */
  | { type: 'turn_start'; turn: number }
  /** Streaming transcription produced more text. */
  | { type: 'transcript_delta'; turn: number; delta: string }
  /** The user's words. */
  | { type: 'transcript_done'; turn: number; text: string; latencyMs: number }
  /** The agent wrote more of its answer. */
  | { type: 'text_delta'; turn: number; delta: string; latencyMs: number }
  /**
   * Audio of one sentence of the answer. `seq` counts chunks over the whole session (0, 1, 2 ...);
   * `sentence` counts sentences within the turn.
   */
  | {
      type: 'audio_chunk';
      turn: number;
      seq: number;
      sentence: number;
      text: string;
      audio: Uint8Array;
      mimeType: string;
      latencyMs: number;
    }
  /** New speech began while this turn was answering: the agent and pending speech are being aborted. */
  | { type: 'barge_in'; turn: number }
  /**
   * The turn is over. `interrupted` when barge-in or the run's signal aborted it; `text` is the answer
   * as far as it got (the agent keeps that partial answer in its history).
   */
  | { type: 'turn_end'; turn: number; text: string; interrupted: boolean; latency: VoiceLatency }
  /** A stage failed (typed error); the turn ends, the session goes on with the next utterance. */
  | { type: 'error'; turn?: number; error: SdkError };
