import { DEFAULT_LIMITS, JsonDepthTracker, limitError, type ResolvedLimits } from '../http/limits.js';
import type { ProviderData, TextContent, ThinkingContent, ToolCall } from '../types/content.js';
import type { AssistantEvent, ToolCallDeltaEvent } from '../types/events.js';
import type { AssistantMessage, StopReason } from '../types/message.js';
import type { Model } from '../types/model.js';
import { emptyUsage, type Usage } from '../types/usage.js';
import { applyCost } from './cost.js';
import { generateToolCallId } from './ids.js';
import { boundServerData } from './server-data.js';
import { parseFinalArguments, parsePartialArguments } from './tool-arguments.js';

/** A token count as a finite non-negative integer: anything else (NaN, negative, `"12"`, 1e400) is 0. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

/** A `toolcall_delta` event whose `arguments` are parsed on first read (and serialized by `toJSON`). */
class LazyToolCallDelta implements ToolCallDeltaEvent {
  readonly type = 'toolcall_delta';
  #text: string;
  #parsed: Record<string, unknown> | undefined;

  constructor(
    readonly contentIndex: number,
    readonly delta: string,
    text: string,
  ) {
    this.#text = text;
  }

  get arguments(): Record<string, unknown> {
    if (this.#parsed === undefined) this.#parsed = parsePartialArguments(this.#text);
    return this.#parsed;
  }

  toJSON(): Record<string, unknown> {
    return { type: this.type, contentIndex: this.contentIndex, delta: this.delta, arguments: this.arguments };
  }
}

/** Assembly state of one streamed tool call. */
export interface ToolCallState {
  /** Index of the block in `message.content`. */
  readonly contentIndex: number;
  /** The block being built. */
  readonly block: ToolCall;
  /** Argument text received so far. */
  raw: string;
  /** The server's `index` for this call, if it sent one. */
  wireIndex: number | undefined;
  /** True once the id came from the server (not generated). */
  serverId: boolean;
  /** True once `toolcall_end` was emitted. */
  ended: boolean;
}

/** How a call ended normally. */
export interface FinishInfo {
  /** Mapped stop reason (`error` here means the server reported one, e.g. a content filter). */
  stopReason: StopReason;
  /** The server's own finish reason. */
  rawStopReason?: string;
}

/**
 * Builds an {@link AssistantMessage} from provider deltas and queues the matching events, so every
 * provider emits the same event grammar: blocks open and close in order, text and thinking blocks are
 * closed when another kind starts, tool-call blocks stay open (their deltas may interleave) until the end.
 */
export class MessageBuilder {
  /** The live message; read-only for consumers. */
  readonly message: AssistantMessage;
  /** Events produced since the last {@link drain}. */
  queue: AssistantEvent[] = [];
  #open: { kind: 'text' | 'thinking'; index: number } | undefined;
  #toolCalls: ToolCallState[] = [];
  #finished = false;
  /** Nesting trackers of the tool calls' argument text. */
  readonly #depth = new Map<ToolCallState, JsonDepthTracker>();
  /**
   * Hostile-stream limits enforced here (tool calls, argument size, JSON depth); the driver sets them
   * from `StreamOptions.limits`.
   */
  limits: ResolvedLimits = DEFAULT_LIMITS;
  /** The request URL (secrets redacted), named in limit errors; set by the driver. */
  url: string | undefined;

  constructor(private readonly model: Model) {
    this.message = {
      role: 'assistant',
      content: [],
      api: model.api,
      provider: model.provider,
      model: model.id,
      usage: emptyUsage(),
      stopReason: 'stop',
      timestamp: Date.now(),
    };
  }

  /** True once `done` or `error` was queued. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Tool calls seen so far, in order of first appearance. */
  get toolCalls(): readonly ToolCallState[] {
    return this.#toolCalls;
  }

  /** Returns the queued events and clears the queue. */
  drain(): AssistantEvent[] {
    const events = this.queue;
    this.queue = [];
    return events;
  }

  /** Queues the `start` event. */
  start(warnings: string[]): void {
    this.queue.push({ type: 'start', warnings });
  }

  /** Appends text, opening a text block if needed. Empty deltas are ignored. */
  text(delta: string): void {
    if (delta.length === 0) return;
    const index = this.#ensureOpen('text');
    const block = this.message.content[index] as { text: string };
    block.text += delta;
    this.queue.push({ type: 'text_delta', contentIndex: index, delta });
  }

  /** Appends reasoning, opening a thinking block if needed. Empty deltas are ignored. */
  thinking(delta: string, providerData?: ProviderData): void {
    if (delta.length === 0) return;
    const index = this.#ensureOpen('thinking');
    const block = this.message.content[index] as { thinking: string; providerData?: ProviderData };
    block.thinking += delta;
    if (providerData && !block.providerData) block.providerData = providerData;
    this.queue.push({ type: 'thinking_delta', contentIndex: index, delta });
  }

  /**
   * Opens a new text or thinking block even when one of the same kind is open (APIs with explicit block
   * boundaries, such as Anthropic content blocks and Responses output items, keep their blocks apart).
   * @returns the block's index in `message.content`.
   */
  openBlock(kind: 'text' | 'thinking', providerData?: ProviderData): number {
    this.#closeOpen();
    const index = this.#ensureOpen(kind);
    if (providerData)
      (this.message.content[index] as { providerData?: ProviderData }).providerData = providerData;
    return index;
  }

  /** Closes the open text or thinking block, if any (the next delta starts a new block). */
  closeBlock(): void {
    this.#closeOpen();
  }

  /** Index of the open text or thinking block, or undefined. */
  get openBlockIndex(): number | undefined {
    return this.#open?.index;
  }

  /**
   * Adds a complete block that has no deltas (redacted thinking, an opaque server-tool block kept as an
   * empty text block with `providerData`): queues its start and end events.
   * @returns the block's index in `message.content`.
   */
  addBlock(block: TextContent | ThinkingContent): number {
    this.#closeOpen();
    const index = this.message.content.length;
    this.message.content.push(block);
    if (block.type === 'text') {
      this.queue.push({ type: 'text_start', contentIndex: index });
      this.queue.push({ type: 'text_end', contentIndex: index, content: block.text });
    } else {
      this.queue.push({ type: 'thinking_start', contentIndex: index });
      this.queue.push({ type: 'thinking_end', contentIndex: index, content: block.thinking });
    }
    return index;
  }

  #ensureOpen(kind: 'text' | 'thinking'): number {
    if (this.#open?.kind === kind) return this.#open.index;
    this.#closeOpen();
    const index = this.message.content.length;
    this.message.content.push(
      kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' },
    );
    this.#open = { kind, index };
    this.queue.push({ type: kind === 'text' ? 'text_start' : 'thinking_start', contentIndex: index });
    return index;
  }

  #closeOpen(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    const block = this.message.content[open.index];
    if (block?.type === 'text')
      this.queue.push({ type: 'text_end', contentIndex: open.index, content: block.text });
    else if (block?.type === 'thinking') {
      this.queue.push({ type: 'thinking_end', contentIndex: open.index, content: block.thinking });
    }
  }

  /** Starts a tool call block. A missing or empty id is replaced by a generated one. */
  startToolCall(id: string | undefined, name: string | undefined, wireIndex?: number): ToolCallState {
    if (this.#toolCalls.length >= this.limits.maxToolCalls) {
      throw limitError('too many tool calls', 'maxToolCalls', this.limits.maxToolCalls, this.url);
    }
    this.#closeOpen();
    const contentIndex = this.message.content.length;
    const serverId = typeof id === 'string' && id.length > 0;
    const block: ToolCall = {
      type: 'toolCall',
      id: serverId ? (id as string) : generateToolCallId(),
      name: name ?? '',
      arguments: {},
    };
    this.message.content.push(block);
    const state: ToolCallState = { contentIndex, block, raw: '', wireIndex, serverId, ended: false };
    this.#toolCalls.push(state);
    this.queue.push({ type: 'toolcall_start', contentIndex, id: block.id, name: block.name });
    return state;
  }

  /** Appends argument text to a tool call. Empty fragments are ignored. */
  toolCallArguments(state: ToolCallState, delta: string): void {
    if (delta.length === 0) return;
    const limits = this.limits;
    if (state.raw.length + delta.length > limits.maxArgumentBytes) {
      throw limitError('tool-call arguments too long', 'maxArgumentBytes', limits.maxArgumentBytes, this.url);
    }
    let depth = this.#depth.get(state);
    if (depth === undefined) {
      depth = new JsonDepthTracker();
      this.#depth.set(state, depth);
    }
    if (depth.push(delta) > limits.maxJsonDepth) {
      throw limitError(
        'tool-call arguments nested too deeply',
        'maxJsonDepth',
        limits.maxJsonDepth,
        this.url,
      );
    }
    state.raw += delta;
    this.queue.push(new LazyToolCallDelta(state.contentIndex, delta, state.raw));
  }

  /**
   * Ends one tool call: parses its arguments and queues `toolcall_end`. With `freeform` (OpenAI custom
   * tools, whose input is plain text) the arguments become `{ input: <text> }` and nothing is parsed.
   */
  endToolCall(state: ToolCallState, options: { freeform?: boolean } = {}): void {
    if (state.ended) return;
    state.ended = true;
    if (state.block.providerData) boundServerData(state.block.providerData, this.limits);
    if (options.freeform) {
      state.block.arguments = { input: state.raw };
      this.queue.push({ type: 'toolcall_end', contentIndex: state.contentIndex, toolCall: state.block });
      return;
    }
    const parsed = parseFinalArguments(state.raw);
    state.block.arguments = parsed.arguments;
    if (parsed.rawArguments !== undefined) state.block.rawArguments = parsed.rawArguments;
    this.queue.push({ type: 'toolcall_end', contentIndex: state.contentIndex, toolCall: state.block });
  }

  /** Replaces the usage (servers may repeat it; the latest copy wins) and prices it. */
  setUsage(usage: Usage): void {
    // Servers send what they like: every count becomes a finite non-negative integer (else 0).
    usage.input = count(usage.input);
    usage.output = count(usage.output);
    usage.cacheRead = count(usage.cacheRead);
    usage.cacheWrite = count(usage.cacheWrite);
    if (usage.reasoning !== undefined) usage.reasoning = count(usage.reasoning);
    usage.total = count(usage.total);
    applyCost(usage, this.model);
    this.message.usage = usage;
  }

  #closeAll(): void {
    this.#closeOpen();
    for (const state of this.#toolCalls) this.endToolCall(state);
    // The one point where server data kept in the message is bounded (whatever handler put it there).
    for (const block of this.message.content) {
      if ((block.type === 'text' || block.type === 'thinking') && block.providerData)
        boundServerData(block.providerData, this.limits);
    }
  }

  /**
   * Closes every block and queues `done` (or `error` when `info.stopReason` is `error`). Server data in
   * `providerData` over `limits.maxJsonDepth` / `limits.maxArgumentBytes` is dropped and marked first
   * (see `boundServerData`), so the message always serializes and replays.
   */
  finish(info: FinishInfo, error?: Error): void {
    if (this.#finished) return;
    this.#closeAll();
    this.#finished = true;
    const message = this.message;
    message.stopReason = info.stopReason;
    if (info.rawStopReason !== undefined) message.rawStopReason = info.rawStopReason;
    if (info.stopReason === 'error' || info.stopReason === 'aborted') {
      const err = error ?? new Error(message.errorMessage ?? 'The response ended in an error.');
      message.errorMessage ??= err.message;
      this.queue.push({ type: 'error', reason: info.stopReason, message, error: err });
      return;
    }
    this.queue.push({ type: 'done', reason: info.stopReason, message });
  }

  /** Ends the call with `error` or `aborted`, keeping all partial content. */
  fail(reason: 'error' | 'aborted', error: Error): void {
    if (this.#finished) return;
    this.message.errorMessage = error.message;
    this.finish(
      {
        stopReason: reason,
        ...(this.message.rawStopReason !== undefined && { rawStopReason: this.message.rawStopReason }),
      },
      error,
    );
  }
}
