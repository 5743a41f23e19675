/**
 * Text-to-speech for a sequence of sentences with a few requests in flight and the audio delivered in
 * sentence order. Used by the voice pipeline.
 *
 * @module
 */

import type { Speech } from './speech.js';

/** Synthesizes one sentence. */
export type Synthesize = (text: string, signal: AbortSignal) => Promise<Speech>;

/**
 * Starts up to `concurrency` syntheses at once and calls `onAudio` in sentence order. `done` settles when
 * {@link OrderedSpeech.end} was called and every sentence was delivered, or rejects with the first
 * failure (then nothing more is delivered). `abort()` aborts the requests in flight.
 */
export class OrderedSpeech {
  readonly done: Promise<void>;
  readonly #synthesize: Synthesize;
  readonly #concurrency: number;
  readonly #onAudio: (speech: Speech, index: number, text: string) => void;
  readonly #controller = new AbortController();
  readonly #items: { text: string; result?: Promise<Speech> }[] = [];
  #started = 0;
  #delivered = 0;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(
    synthesize: Synthesize,
    concurrency: number,
    onAudio: (speech: Speech, index: number, text: string) => void,
  ) {
    this.#synthesize = synthesize;
    this.#concurrency = Math.max(1, concurrency);
    this.#onAudio = onAudio;
    this.done = this.#deliver();
    this.done.catch(() => {});
  }

  /** The abort signal of every request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Queues a sentence. */
  add(text: string): void {
    this.#items.push({ text });
    this.#pump();
    this.#wake?.();
  }

  /** No more sentences. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Aborts the requests in flight and delivers nothing more. */
  abort(): void {
    this.#controller.abort();
    this.#ended = true;
    this.#wake?.();
  }

  #pump(): void {
    while (this.#started < this.#items.length && this.#started - this.#delivered < this.#concurrency) {
      const item = this.#items[this.#started++];
      if (item === undefined || this.#controller.signal.aborted) return;
      item.result = this.#synthesize(item.text, this.#controller.signal);
      item.result.catch(() => {});
    }
  }

  async #deliver(): Promise<void> {
    for (;;) {
      if (this.#controller.signal.aborted) throw this.#controller.signal.reason;
      const item = this.#items[this.#delivered];
      if (item?.result !== undefined) {
        const speech = await item.result;
        if (this.#controller.signal.aborted) throw this.#controller.signal.reason;
        this.#onAudio(speech, this.#delivered, item.text);
        this.#delivered++;
        this.#pump();
        continue;
      }
      if (this.#ended && this.#delivered >= this.#items.length) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
