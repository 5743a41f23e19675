/**
 * Splits streamed text into sentences, so each can go to text-to-speech while the rest is still being
 * written. A sentence ends at `.`, `!`, `?`, `…` (or the CJK `。！？`) followed by whitespace, or at a
 * newline. Decimal points (`3.5`) and abbreviations without a following space do not split. It does not
 * know abbreviations such as "e.g. " or "Dr. " (they split there: a short pause in the speech).
 *
 * @module
 */

const END = /[.!?…]+["')\]]*\s+|[。！？]+|\n+/g;

/** Options of {@link SentenceSplitter}. */
export interface SentenceSplitterOptions {
  /** Sentences shorter than this (in characters) are joined to the next one. @default 12 */
  minLength?: number;
}

/** Incremental sentence splitter: {@link SentenceSplitter.push} text deltas, {@link SentenceSplitter.flush} at the end. */
export class SentenceSplitter {
  readonly #min: number;
  #buffer = '';

  constructor(options: SentenceSplitterOptions = {}) {
    this.#min = options.minLength ?? 12;
  }

  /** Adds text; returns the sentences it completed (trimmed, non-empty), in order. */
  push(delta: string): string[] {
    this.#buffer += delta;
    const out: string[] = [];
    let start = 0;
    END.lastIndex = 0;
    for (let match = END.exec(this.#buffer); match !== null; match = END.exec(this.#buffer)) {
      const end = match.index + match[0].length;
      const sentence = this.#buffer.slice(start, end).trim();
      if (sentence.length >= this.#min) {
        out.push(sentence);
        start = end;
      }
    }
    this.#buffer = this.#buffer.slice(start);
    return out;
  }

  /** The rest of the text (trimmed), or `undefined` when there is none. Resets the splitter. */
  flush(): string | undefined {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return rest === '' ? undefined : rest;
  }
}
