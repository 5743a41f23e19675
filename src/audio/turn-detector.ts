/**
 * An energy-based end-of-utterance detector for 16-bit mono PCM: no model, no network. It finds speech
 * as frames whose RMS level is above a threshold, and the end of an utterance as a run of quieter
 * frames. It does NOT tell speech from other loud sound (music, a door, the assistant's own voice played
 * back without echo cancellation), adapt to background noise, or predict turn ends semantically; use a
 * server-side VAD (Realtime `turn_detection`) or explicit turn boundaries for that.
 *
 * @module
 */

import { rms } from './wav.js';

/** Options of {@link EnergyTurnDetector}. */
export interface TurnDetectorOptions {
  /** Sample rate of the PCM given, Hz. @default 16000 */
  sampleRate?: number;
  /** RMS level (0..1 of full scale) above which a frame counts as speech. @default 0.02 */
  threshold?: number;
  /** Speech needed before an utterance starts, ms. @default 100 */
  minSpeechMs?: number;
  /** Quiet after speech that ends the utterance, ms. @default 600 */
  silenceMs?: number;
  /** Frame length, ms. @default 20 */
  frameMs?: number;
  /** An utterance longer than this ends anyway, ms. @default 30000 */
  maxUtteranceMs?: number;
}

/** What the detector found in the audio pushed. */
export type TurnDetectorEvent =
  | { type: 'speech_start' }
  /** The utterance ended: its samples (from the first speech frame to the end of the trailing quiet). */
  | { type: 'speech_end'; samples: Int16Array };

/** Frame-by-frame state machine over pushed PCM bytes (split anywhere, odd byte counts included). */
export class EnergyTurnDetector {
  readonly sampleRate: number;
  readonly #threshold: number;
  readonly #frame: number;
  readonly #minSpeech: number;
  readonly #silence: number;
  readonly #maxFrames: number;
  #carry = new Uint8Array(0);
  #pending: Int16Array[] = [];
  #voicedRun = 0;
  #quietRun = 0;
  #speaking = false;
  #utterance: Int16Array[] = [];
  #partial = new Int16Array(0);

  constructor(options: TurnDetectorOptions = {}) {
    this.sampleRate = options.sampleRate ?? 16_000;
    const frameMs = options.frameMs ?? 20;
    this.#frame = Math.max(1, Math.round((this.sampleRate * frameMs) / 1000));
    this.#threshold = options.threshold ?? 0.02;
    this.#minSpeech = Math.max(1, Math.ceil((options.minSpeechMs ?? 100) / frameMs));
    this.#silence = Math.max(1, Math.ceil((options.silenceMs ?? 600) / frameMs));
    this.#maxFrames = Math.ceil((options.maxUtteranceMs ?? 30_000) / frameMs);
  }

  /** True between `speech_start` and `speech_end`. */
  get speaking(): boolean {
    return this.#speaking;
  }

  /** Feeds signed 16-bit little-endian PCM bytes; returns what they completed. */
  push(bytes: Uint8Array): TurnDetectorEvent[] {
    const joined = new Uint8Array(this.#carry.length + bytes.length);
    joined.set(this.#carry);
    joined.set(bytes, this.#carry.length);
    const even = joined.length & ~1;
    this.#carry = joined.slice(even);
    const view = new DataView(joined.buffer, 0, even);
    const fresh = new Int16Array(even / 2);
    for (let i = 0; i < fresh.length; i++) fresh[i] = view.getInt16(i * 2, true);
    const samples = new Int16Array(this.#partial.length + fresh.length);
    samples.set(this.#partial);
    samples.set(fresh, this.#partial.length);
    const events: TurnDetectorEvent[] = [];
    let offset = 0;
    for (; offset + this.#frame <= samples.length; offset += this.#frame) {
      this.#onFrame(samples.slice(offset, offset + this.#frame), events);
    }
    this.#partial = samples.slice(offset);
    return events;
  }

  /** An explicit turn boundary (or the end of the input): ends the utterance in progress, if any. */
  flush(): TurnDetectorEvent[] {
    const events: TurnDetectorEvent[] = [];
    if (this.#speaking) {
      if (this.#partial.length > 0) this.#utterance.push(this.#partial);
      events.push(this.#end());
    }
    this.#partial = new Int16Array(0);
    this.#pending = [];
    this.#voicedRun = 0;
    return events;
  }

  #onFrame(frame: Int16Array, events: TurnDetectorEvent[]): void {
    const voiced = rms(frame) >= this.#threshold;
    if (!this.#speaking) {
      if (!voiced) {
        this.#voicedRun = 0;
        this.#pending = [];
        return;
      }
      this.#pending.push(frame);
      if (++this.#voicedRun < this.#minSpeech) return;
      this.#speaking = true;
      this.#utterance = this.#pending;
      this.#pending = [];
      this.#quietRun = 0;
      events.push({ type: 'speech_start' });
      return;
    }
    this.#utterance.push(frame);
    this.#quietRun = voiced ? 0 : this.#quietRun + 1;
    if (this.#quietRun >= this.#silence || this.#utterance.length >= this.#maxFrames)
      events.push(this.#end());
  }

  #end(): TurnDetectorEvent {
    let length = 0;
    for (const f of this.#utterance) length += f.length;
    const samples = new Int16Array(length);
    let offset = 0;
    for (const f of this.#utterance) {
      samples.set(f, offset);
      offset += f.length;
    }
    this.#utterance = [];
    this.#speaking = false;
    this.#voicedRun = 0;
    this.#quietRun = 0;
    return { type: 'speech_end', samples };
  }
}
