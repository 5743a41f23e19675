/**
 * A cascaded voice pipeline: speech-to-text → agent → text-to-speech, sentence by sentence while the agent
 * still writes, with barge-in. Every HTTP call goes through the SDK's request layer (`send()` and its
 * streaming twin), so retries, time limits, abort and redaction are those of the chat path.
 *
 * @module
 */

import type { Agent } from '../agent/agent.js';
import { Channel } from '../agent/channel.js';
import { AbortError } from '../errors/abort-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { OrderedSpeech } from './ordered-speech.js';
import { SentenceSplitter } from './sentence-splitter.js';
import { generateSpeech, type SpeechOptions } from './speech.js';
import { streamTranscription, type TranscribeOptions, transcribe } from './transcribe.js';
import { EnergyTurnDetector, type TurnDetectorOptions } from './turn-detector.js';
import type { VoiceEvent, VoiceLatency } from './voice-events.js';
import { encodeWav } from './wav.js';

/** Options of a {@link VoicePipeline}. */
export interface VoicePipelineOptions {
  /** Speech-to-text: server and model (the audio is supplied per turn). `stream: true` uses SSE transcription. */
  stt: Omit<TranscribeOptions, 'audio' | 'signal'> & { stream?: boolean };
  /** The agent that answers; its transcript keeps every turn (an interrupted answer as far as it got). */
  agent: Agent;
  /** Text-to-speech: server, model, voice, format (`wav` or `pcm` for playback without decoding). */
  tts: Omit<SpeechOptions, 'input' | 'signal'>;
  /** Speech requests in flight at once; audio is emitted in sentence order anyway. @default 2 */
  ttsConcurrency?: number;
  /** End-of-utterance detection for streamed PCM input. */
  turnDetection?: TurnDetectorOptions;
  /**
   * After a barge-in, the agent's aborted answer (the text written so far, tool calls removed) is marked
   * as a complete answer, so the next model call sees what the assistant had said; the chat providers
   * drop aborted messages otherwise. `false` leaves the aborted message as the agent stored it.
   * @default true
   */
  keepInterruptedAnswer?: boolean;
  /** Shortest sentence sent to TTS alone (shorter ones join the next), characters. @default 12 */
  minSentenceLength?: number;
}

/** An explicit end of the user's turn in a streamed input (push-to-talk release). */
export interface VoiceTurnBoundary {
  type: 'end_of_turn';
}

/**
 * Input of {@link VoicePipeline.run}: one whole audio file (one turn), or a stream of signed 16-bit
 * little-endian mono PCM chunks at `turnDetection.sampleRate`, optionally with explicit turn boundaries.
 */
export type VoiceInput = Uint8Array | AsyncIterable<Uint8Array | VoiceTurnBoundary>;

interface ActiveTurn {
  controller: AbortController;
  done: Promise<void>;
  turn: number;
  /** `turn_end` was emitted. */
  ended: boolean;
}

/**
 * `new VoicePipeline({ stt, agent, tts }).run(input, { signal })` → an async iterable of
 * {@link VoiceEvent}s. With streamed input, the energy detector (see `turn-detector.ts` for what it does
 * not do) cuts utterances; each becomes a turn. New speech during a turn's answer is a barge-in: the agent
 * run and the pending speech requests are aborted (the servers see the connections close) and the
 * partial answer stays in the agent's history. Stopping the iteration or aborting `signal` ends the
 * session the same way; nothing is left open.
 */
export class VoicePipeline {
  readonly #options: VoicePipelineOptions;
  #seq = 0;
  #turns = 0;

  constructor(options: VoicePipelineOptions) {
    this.#options = options;
  }

  /** Runs a session over `input`; see {@link VoicePipeline}. Errors of a stage arrive as `error` events. */
  async *run(
    input: VoiceInput,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<VoiceEvent, void, undefined> {
    const channel = new Channel<VoiceEvent>();
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    const task = this.#drive(input, channel, controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) channel.push({ type: 'error', error: typed(error) });
      })
      .finally(() => channel.close());
    try {
      yield* channel;
    } finally {
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
      await task;
    }
  }

  async #drive(input: VoiceInput, out: Channel<VoiceEvent>, signal: AbortSignal): Promise<void> {
    if (input instanceof Uint8Array) {
      const turn = this.#startTurn(input, out, signal);
      await turn.done;
      return;
    }
    const detector = new EnergyTurnDetector(this.#options.turnDetection);
    let active: ActiveTurn | undefined;
    const onAbort = (): void => active?.controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const iterator = input[Symbol.asyncIterator]();
      for (;;) {
        const step = await raceAbort(iterator.next(), signal);
        if (step === undefined) {
          await iterator.return?.();
          break;
        }
        if (step.done) break;
        const item = step.value;
        const events = item instanceof Uint8Array ? detector.push(item) : detector.flush();
        for (const event of events) {
          if (event.type === 'speech_start' && active && !active.ended && !active.controller.signal.aborted) {
            out.push({ type: 'barge_in', turn: active.turn });
            active.controller.abort();
          } else if (event.type === 'speech_end') {
            await active?.done;
            active = this.#startTurn(encodeWav(event.samples, detector.sampleRate), out, signal);
          }
        }
      }
      for (const event of detector.flush()) {
        if (event.type !== 'speech_end' || signal.aborted) continue;
        await active?.done;
        active = this.#startTurn(encodeWav(event.samples, detector.sampleRate), out, signal);
      }
      await active?.done;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #startTurn(audio: Uint8Array, out: Channel<VoiceEvent>, session: AbortSignal): ActiveTurn {
    const controller = new AbortController();
    const onSession = (): void => controller.abort();
    if (session.aborted) controller.abort();
    else session.addEventListener('abort', onSession, { once: true });
    const turn = ++this.#turns;
    const active: ActiveTurn = { controller, turn, ended: false, done: Promise.resolve() };
    active.done = this.#turn(audio, turn, out, controller.signal).finally(() => {
      active.ended = true;
      session.removeEventListener('abort', onSession);
    });
    return active;
  }

  /** One turn: transcript, agent answer with sentence-chunked speech, `turn_end`. Never rejects. */
  async #turn(audio: Uint8Array, turn: number, out: Channel<VoiceEvent>, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const since = (): number => Math.round(performance.now() - started);
    const latency: VoiceLatency = {};
    let answer = '';
    let speech: OrderedSpeech | undefined;
    out.push({ type: 'turn_start', turn });
    try {
      const text = await this.#transcribe(audio, turn, out, signal);
      latency.transcriptMs = since();
      out.push({ type: 'transcript_done', turn, text, latencyMs: latency.transcriptMs });
      if (text.trim() === '') {
        out.push({ type: 'turn_end', turn, text: '', interrupted: false, latency });
        return;
      }
      speech = this.#speech(turn, out, latency, since);
      const splitter = new SentenceSplitter({ minLength: this.#options.minSentenceLength ?? 12 });
      const tts = speech;
      await this.#answer(text, signal, (delta) => {
        latency.firstTokenMs ??= since();
        answer += delta;
        out.push({ type: 'text_delta', turn, delta, latencyMs: since() });
        for (const sentence of splitter.push(delta)) tts.add(sentence);
      });
      const rest = splitter.flush();
      if (rest !== undefined) tts.add(rest);
      tts.end();
      await raceAbort(tts.done, signal);
      if (signal.aborted) throw new AbortError('The turn was interrupted.');
      out.push({ type: 'turn_end', turn, text: answer, interrupted: false, latency });
    } catch (error) {
      speech?.abort();
      if (!signal.aborted) out.push({ type: 'error', turn, error: typed(error) });
      out.push({ type: 'turn_end', turn, text: answer, interrupted: signal.aborted, latency });
    }
  }

  async #transcribe(
    audio: Uint8Array,
    turn: number,
    out: Channel<VoiceEvent>,
    signal: AbortSignal,
  ): Promise<string> {
    const { stream, ...stt } = this.#options.stt;
    const request = { ...stt, audio, signal };
    if (!stream) return (await transcribe(request)).text;
    let text = '';
    for await (const event of streamTranscription(request)) {
      if (event.type === 'transcript.text.delta')
        out.push({ type: 'transcript_delta', turn, delta: event.delta });
      else text = event.text;
    }
    return text;
  }

  /** Runs the agent on `text`; aborting `signal` aborts the run. Rejects with the run's error. */
  async #answer(text: string, signal: AbortSignal, onDelta: (delta: string) => void): Promise<void> {
    const agent = this.#options.agent;
    if (signal.aborted) throw new AbortError('The turn was interrupted.');
    const unsubscribe = agent.subscribe((event) => {
      if (event.type === 'message_update' && event.event.type === 'text_delta' && !signal.aborted) {
        onDelta(event.event.delta);
      }
    });
    const onAbort = (): void => agent.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await agent.prompt(text);
      if (signal.aborted) {
        if (this.#options.keepInterruptedAnswer !== false) keepPartialAnswer(agent);
        throw new AbortError('The turn was interrupted.');
      }
      if (result.error) throw result.error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
    }
  }

  #speech(turn: number, out: Channel<VoiceEvent>, latency: VoiceLatency, since: () => number): OrderedSpeech {
    const tts = this.#options.tts;
    return new OrderedSpeech(
      (input, signal) => generateSpeech({ ...tts, input, signal }),
      this.#options.ttsConcurrency ?? 2,
      (result, sentence, text) => {
        latency.firstAudioMs ??= since();
        out.push({
          type: 'audio_chunk',
          turn,
          seq: this.#seq++,
          sentence,
          text,
          audio: result.audio,
          mimeType: result.mimeType,
          latencyMs: since(),
        });
      },
    );
  }
}

/** Turns the agent's last, aborted assistant message into a finished answer holding its text only. */
function keepPartialAnswer(agent: Agent): void {
  const messages = [...agent.state.messages];
  const index = messages.length - 1;
  const last = messages[index];
  if (last?.role !== 'assistant' || last.stopReason !== 'aborted') return;
  const content = last.content.filter((block) => block.type === 'text' && block.text !== '');
  if (content.length === 0) return;
  const { errorMessage: _dropped, ...rest } = last;
  messages[index] = { ...rest, content, stopReason: 'stop' };
  agent.replaceMessages(messages);
}

function typed(error: unknown): SdkError {
  if (SdkError.isInstance(error)) return error;
  return new SdkError(error instanceof Error ? error.message : String(error));
}

/** Resolves with the promise's value, or `undefined` once `signal` aborts (the promise is left to settle). */
async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => {});
    return undefined;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    promise.catch(() => {});
  }
}
