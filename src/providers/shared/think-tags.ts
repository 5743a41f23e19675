const OPEN = '<think>';
const CLOSE = '</think>';

/** Where a piece of content text goes. */
export interface ThinkTagSink {
  text(delta: string): void;
  thinking(delta: string): void;
}

type State = 'start' | 'inside' | 'after';

/**
 * Splits inline `<think>…</think>` reasoning at the start of the content (DeepSeek-R1, Qwen3 and other
 * models on servers that do not separate it) from the answer. Tags may arrive split across deltas.
 * Leading whitespace before `<think>` is dropped; text between the tags goes to `thinking`, everything
 * after `</think>` to `text`, unchanged. Content that does not start with `<think>` passes through.
 */
export class ThinkTagSplitter {
  #state: State = 'start';
  #pending = '';

  constructor(private readonly sink: ThinkTagSink) {}

  /** Routes one content delta. */
  push(delta: string): void {
    if (this.#state === 'after') {
      this.sink.text(delta);
      return;
    }
    const buffer = this.#pending + delta;
    this.#pending = '';
    if (this.#state === 'start') {
      const trimmed = buffer.trimStart();
      if (trimmed.length < OPEN.length) {
        if (OPEN.startsWith(trimmed)) {
          this.#pending = buffer; // could still become "<think>"
          return;
        }
        this.#state = 'after';
        this.sink.text(buffer);
        return;
      }
      if (!trimmed.startsWith(OPEN)) {
        this.#state = 'after';
        this.sink.text(buffer);
        return;
      }
      this.#state = 'inside';
      this.#inside(trimmed.slice(OPEN.length));
      return;
    }
    this.#inside(buffer);
  }

  #inside(buffer: string): void {
    const close = buffer.indexOf(CLOSE);
    if (close >= 0) {
      if (close > 0) this.sink.thinking(buffer.slice(0, close));
      this.#state = 'after';
      const rest = buffer.slice(close + CLOSE.length);
      if (rest.length > 0) this.sink.text(rest);
      return;
    }
    // Hold back a tail that could be the start of "</think>".
    let keep = 0;
    for (let n = Math.min(CLOSE.length - 1, buffer.length); n > 0; n--) {
      if (CLOSE.startsWith(buffer.slice(buffer.length - n))) {
        keep = n;
        break;
      }
    }
    const emit = buffer.slice(0, buffer.length - keep);
    this.#pending = buffer.slice(buffer.length - keep);
    if (emit.length > 0) this.sink.thinking(emit);
  }

  /** True once everything from here on is plain text with nothing held back (the splitter can be dropped). */
  get settled(): boolean {
    return this.#state === 'after' && this.#pending.length === 0;
  }

  /** End of content: flushes held-back text (an unclosed `<think>` stays reasoning). */
  flush(): void {
    const pending = this.#pending;
    this.#pending = '';
    if (pending.length === 0) return;
    if (this.#state === 'inside') this.sink.thinking(pending);
    else this.sink.text(pending);
    this.#state = 'after';
  }
}
