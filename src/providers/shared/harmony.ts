/**
 * A streaming parser of raw OpenAI Harmony tokens, as gpt-oss servers that do not parse them pass them
 * through in the content: `<|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…`.
 *
 * Source: the Harmony response format (github.com/openai/harmony, "OpenAI Harmony Response Format"):
 * a message is `<|start|>{role}[ to={recipient}]<|channel|>{channel}[ to={recipient}][ {content-type}]
 * [<|constrain|>{format}]<|message|>{body}` ended by `<|end|>`, `<|call|>` (a tool call) or `<|return|>`
 * (the last message). The first message of a completion usually starts at `<|channel|>` (the server's
 * prompt already holds `<|start|>assistant`).
 *
 * @module
 */

/** Where the parsed pieces go. */
export interface HarmonySink {
  /** Text of the `final` channel (and `commentary` without a recipient, the user-visible preamble). */
  text(delta: string): void;
  /** Text of the `analysis` channel (reasoning). */
  thinking(delta: string): void;
  /** A message addressed `to=functions.NAME` begins: a tool call named `name`. */
  toolCallStart(name: string): void;
  /** Argument text (JSON) of the tool call begun last. */
  toolCallArguments(delta: string): void;
}

const START = '<|start|>';
const CHANNEL = '<|channel|>';
const MESSAGE = '<|message|>';
const ENDS = ['<|end|>', '<|call|>', '<|return|>'] as const;
const TOKENS = [START, CHANNEL, MESSAGE, '<|constrain|>', ...ENDS] as const;
/** A header longer than this (in characters) without `<|message|>` is not a Harmony header. */
const MAX_HEADER = 512;

/** True when `text` starts the way raw Harmony output does (`<|channel|>` or `<|start|>`, after whitespace). */
export function looksLikeHarmony(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed.startsWith(CHANNEL) || trimmed.startsWith(START);
}

/** True while `text` (after whitespace) could still become the start of raw Harmony output. */
export function mayBecomeHarmony(text: string): boolean {
  const trimmed = text.trimStart();
  return CHANNEL.startsWith(trimmed) || START.startsWith(trimmed);
}

type Kind = 'text' | 'thinking' | 'tool';
type Mode = 'outside' | 'header' | 'body';

/** The token at the start of `rest`, `'partial'` when `rest` is a proper prefix of one, else undefined. */
function tokenAt(rest: string): string | 'partial' | undefined {
  for (const token of TOKENS) if (rest.startsWith(token)) return token;
  for (const token of TOKENS) if (token.startsWith(rest)) return 'partial';
  return undefined;
}

/**
 * Splits raw Harmony output into text, thinking and tool calls. Correct for any split of the input
 * into {@link HarmonyParser.push} calls (tokens may be cut anywhere): the same input yields the same
 * pieces, possibly cut differently. `<|` that does not begin a Harmony token is text. Call
 * {@link HarmonyParser.flush} at the end of the stream.
 */
export class HarmonyParser {
  readonly #sink: HarmonySink;
  #buffer = '';
  #mode: Mode = 'outside';
  #kind: Kind = 'text';
  /** Whitespace-only text outside a message, not yet emitted. */
  #outside = '';

  /** @param sink - receives the parsed pieces, in order. */
  constructor(sink: HarmonySink) {
    this.#sink = sink;
  }

  /** Parses one content delta (any cut of the stream). */
  push(delta: string): void {
    this.#buffer += delta;
    this.#drain(false);
  }

  /** Ends the stream: held-back characters are emitted; an unfinished header is dropped. */
  flush(): void {
    this.#drain(true);
  }

  #emit(text: string): void {
    if (text.length === 0) return;
    if (this.#mode === 'body') {
      if (this.#kind === 'thinking') this.#sink.thinking(text);
      else if (this.#kind === 'tool') this.#sink.toolCallArguments(text);
      else this.#sink.text(text);
    } else {
      // Text outside any message: whitespace between messages is dropped, other text kept (held until it
      // is known not to be whitespace only, so the result does not depend on how the input was cut).
      this.#outside += text;
      if (this.#outside.trim().length > 0) {
        this.#sink.text(this.#outside);
        this.#outside = '';
      }
    }
  }

  #drain(final: boolean): void {
    for (;;) {
      if (this.#mode === 'header') {
        if (!this.#header(final)) return;
        continue;
      }
      if (!this.#scan(final)) return;
    }
  }

  /** Outside or in a body: emits text up to the next token and acts on it. Returns true to go on. */
  #scan(final: boolean): boolean {
    const buf = this.#buffer;
    let from = 0;
    for (;;) {
      const at = buf.indexOf('<|', from);
      if (at === -1) break;
      const token = tokenAt(buf.slice(at));
      if (token === 'partial') {
        if (final) break;
        this.#emit(buf.slice(0, at));
        this.#buffer = buf.slice(at);
        return false;
      }
      if (token === START || token === CHANNEL) {
        this.#emit(buf.slice(0, at));
        this.#buffer = buf.slice(at);
        this.#mode = 'header';
        this.#outside = '';
        return true;
      }
      if (token !== undefined && (ENDS as readonly string[]).includes(token)) {
        this.#emit(buf.slice(0, at));
        this.#buffer = buf.slice(at + token.length);
        this.#mode = 'outside';
        this.#outside = '';
        return true;
      }
      if (token !== undefined && this.#mode === 'outside') {
        // A stray `<|message|>` / `<|constrain|>` outside a message: control data, dropped.
        this.#emit(buf.slice(0, at));
        this.#buffer = buf.slice(at + token.length);
        return true;
      }
      from = at + 2; // not a token (or a literal one inside a body): text
    }
    if (!final && buf.endsWith('<')) {
      this.#emit(buf.slice(0, -1));
      this.#buffer = '<';
    } else {
      this.#emit(buf);
      this.#buffer = '';
    }
    return false;
  }

  /** In a header: waits for `<|message|>`, then opens the message. Returns true to go on. */
  #header(final: boolean): boolean {
    const buf = this.#buffer;
    const at = buf.indexOf(MESSAGE);
    if (at !== -1 && at <= MAX_HEADER) {
      // A later `<|start|>` / `<|channel|>` before `<|message|>` abandons the earlier header.
      const header = buf.slice(0, at);
      this.#buffer = buf.slice(at + MESSAGE.length);
      this.#open(header);
      return true;
    }
    if (final) {
      this.#buffer = ''; // a header cut off by the end of the stream: control data, dropped
      return false;
    }
    if (buf.length < MAX_HEADER + MESSAGE.length) return false;
    // Too long to be a header: its opening `<|` is text, and scanning goes on after it.
    this.#mode = 'outside';
    this.#sink.text('<|');
    this.#buffer = buf.slice(2);
    return true;
  }

  #open(header: string): void {
    const own = header.slice(Math.max(0, header.lastIndexOf(START)));
    const channels = [...own.matchAll(/<\|channel\|>\s*([A-Za-z0-9_-]+)/g)];
    const channel = channels.at(-1)?.[1];
    const recipient = /(?:^|\s|>)to=([^\s<]+)/.exec(own)?.[1];
    this.#mode = 'body';
    if (recipient?.startsWith('functions.')) {
      this.#kind = 'tool';
      this.#sink.toolCallStart(recipient.slice('functions.'.length));
    } else if (channel === 'analysis' || recipient !== undefined) {
      // Messages to built-in tools (`browser.search`, `python`) are the model's own work: reasoning.
      this.#kind = 'thinking';
    } else {
      this.#kind = 'text';
    }
  }
}
