import { ApiError } from '../../errors/api-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import { readServerError } from '../../http/error-body.js';
import type { SseEvent } from '../../http/sse.js';
import type { MessageBuilder, ToolCallState } from '../../stream/message-builder.js';
import type { ProviderData, TextContent, ThinkingContent } from '../../types/content.js';
import { parseEventData } from '../shared/parse-event.js';
import type { EndResult, ResponseHandler } from '../shared/response-handler.js';
import {
  mapStopReason,
  mapUsage,
  mergeUsage,
  type WireBlock,
  type WireDelta,
  type WireEvent,
  type WireMessage,
  type WireUsage,
} from './wire.js';

/** What a wire block index is being assembled into. */
type BlockState =
  | { kind: 'text' | 'thinking'; contentIndex: number }
  | { kind: 'tool'; call: ToolCallState; startInput: unknown }
  | { kind: 'opaque'; contentIndex: number; raw: WireBlock; json: string };

/**
 * Parses an Anthropic Messages response (SSE events or one JSON message) into the message builder.
 *
 * Blocks are keyed by the wire `index` and kept apart exactly as sent: `text` (citations in
 * `providerData.citations`), `thinking` (signature in `providerData.signature`), `redacted_thinking` (a
 * thinking block with `redacted: true` and the opaque `providerData.data`), `tool_use` (a tool call; no
 * `input_json_delta` text, or only `""`, means `{}`), and every other block type (server tools such as
 * `server_tool_use` and `web_search_tool_result`) as an empty text block whose `providerData.anthropicBlock`
 * holds the block as received, so it round-trips to the same model.
 */
export class AnthropicResponseHandler implements ResponseHandler {
  readonly #builder: MessageBuilder;
  readonly #url: string;
  readonly #blocks = new Map<number, BlockState>();
  #usage: WireUsage | undefined;
  #stopReason: string | undefined;
  #stopDetails: Record<string, unknown> | undefined;
  #started = false;
  #sawStop = false;
  #error: Error | undefined;

  constructor(builder: MessageBuilder, url: string) {
    this.#builder = builder;
    this.#url = url;
  }

  sse(event: SseEvent): boolean | undefined {
    const data = event.data;
    if (data.length === 0 || data === '[DONE]') return data === '[DONE]' ? true : undefined;
    const parsed = parseEventData<WireEvent>(data, this.#url);
    return parsed === undefined ? undefined : this.#event(parsed);
  }

  json(value: unknown): void {
    const body = value as WireMessage | null;
    if (
      typeof body !== 'object' ||
      body === null ||
      (!Array.isArray(body.content) && body.error === undefined)
    ) {
      throw new StreamParseError(
        `Response from ${this.#url} is JSON but not an Anthropic message (no "content").`,
        {
          kind: 'unexpected_body',
          url: this.#url,
        },
      );
    }
    if (body.type === 'error' || (body.error !== undefined && !Array.isArray(body.content))) {
      this.#inStreamError(body.error);
      return;
    }
    this.#messageStart(body);
    (body.content ?? []).forEach((block, index) => {
      this.#blockStart(index, block, true);
      this.#blockStop(index);
    });
    if (typeof body.stop_reason === 'string') this.#stopReason = body.stop_reason;
    if (body.stop_details) this.#stopDetails = body.stop_details;
    this.#sawStop = true;
  }

  #event(event: WireEvent): boolean | undefined {
    switch (event.type) {
      case 'message_start':
        if (event.message) this.#messageStart(event.message);
        return undefined;
      case 'content_block_start':
        if (typeof event.index === 'number' && event.content_block)
          this.#blockStart(event.index, event.content_block, false);
        return undefined;
      case 'content_block_delta':
        if (typeof event.index === 'number' && event.delta) this.#blockDelta(event.index, event.delta);
        return undefined;
      case 'content_block_stop':
        if (typeof event.index === 'number') this.#blockStop(event.index);
        return undefined;
      case 'message_delta': {
        const delta = event.delta;
        if (typeof delta?.stop_reason === 'string') this.#stopReason = delta.stop_reason;
        if (delta?.stop_details) this.#stopDetails = delta.stop_details;
        if (event.usage) this.#setUsage(event.usage);
        return undefined;
      }
      case 'message_stop':
        this.#sawStop = true;
        return true;
      case 'error':
        this.#inStreamError(event.error ?? event);
        return true;
      default:
        return undefined; // ping, and event types added later
    }
  }

  #messageStart(message: WireMessage): void {
    if (this.#started) return; // a repeated message_start (seen from some proxies) changes nothing
    this.#started = true;
    if (typeof message.id === 'string' && message.id.length > 0)
      this.#builder.message.responseId = message.id;
    if (message.usage) this.#setUsage(message.usage);
  }

  #setUsage(usage: WireUsage): void {
    this.#usage = mergeUsage(this.#usage ?? {}, usage);
    this.#builder.setUsage(mapUsage(this.#usage));
  }

  #blockStart(index: number, block: WireBlock, whole: boolean): void {
    const builder = this.#builder;
    switch (block.type) {
      case 'text': {
        const data: ProviderData | undefined =
          Array.isArray(block.citations) && block.citations.length > 0
            ? { citations: [...block.citations] }
            : undefined;
        const contentIndex = builder.openBlock('text', data);
        this.#blocks.set(index, { kind: 'text', contentIndex });
        if (typeof block.text === 'string') builder.text(block.text);
        return;
      }
      case 'thinking': {
        const contentIndex = builder.openBlock('thinking');
        this.#blocks.set(index, { kind: 'thinking', contentIndex });
        if (typeof block.thinking === 'string') builder.thinking(block.thinking);
        if (typeof block.signature === 'string' && block.signature.length > 0)
          this.#signature(contentIndex, block.signature);
        return;
      }
      case 'redacted_thinking': {
        const redacted: ThinkingContent = {
          type: 'thinking',
          thinking: '',
          redacted: true,
          providerData: { data: block.data ?? '' },
        };
        const contentIndex = builder.addBlock(redacted);
        this.#blocks.set(index, { kind: 'thinking', contentIndex });
        return;
      }
      case 'tool_use': {
        const call = builder.startToolCall(block.id, block.name);
        this.#blocks.set(index, { kind: 'tool', call, startInput: block.input });
        if (whole && block.input !== undefined) builder.toolCallArguments(call, JSON.stringify(block.input));
        return;
      }
      default: {
        const raw: WireBlock = { ...block };
        const placeholder: TextContent = { type: 'text', text: '', providerData: { anthropicBlock: raw } };
        const contentIndex = builder.addBlock(placeholder);
        this.#blocks.set(index, { kind: 'opaque', contentIndex, raw, json: '' });
      }
    }
  }

  #signature(contentIndex: number, signature: string): void {
    const block = this.#builder.message.content[contentIndex];
    if (block?.type !== 'thinking') return;
    const previous = typeof block.providerData?.signature === 'string' ? block.providerData.signature : '';
    block.providerData = { ...block.providerData, signature: previous + signature };
  }

  #blockDelta(index: number, delta: WireDelta): void {
    const state = this.#blocks.get(index);
    const builder = this.#builder;
    if (!state) return;
    switch (delta.type) {
      case 'text_delta':
        if (state.kind === 'text' && typeof delta.text === 'string') builder.text(delta.text);
        return;
      case 'thinking_delta':
        if (state.kind === 'thinking' && typeof delta.thinking === 'string') builder.thinking(delta.thinking);
        return;
      case 'signature_delta':
        if (state.kind === 'thinking' && typeof delta.signature === 'string')
          this.#signature(state.contentIndex, delta.signature);
        return;
      case 'input_json_delta':
        if (typeof delta.partial_json !== 'string') return;
        if (state.kind === 'tool') builder.toolCallArguments(state.call, delta.partial_json);
        else if (state.kind === 'opaque') state.json += delta.partial_json;
        return;
      case 'citations_delta': {
        if (state.kind !== 'text' || delta.citation === undefined) return;
        const block = builder.message.content[state.contentIndex];
        if (block?.type !== 'text') return;
        const citations = Array.isArray(block.providerData?.citations) ? block.providerData.citations : [];
        block.providerData = { ...block.providerData, citations: [...citations, delta.citation] };
        return;
      }
      default:
        return;
    }
  }

  #blockStop(index: number): void {
    const state = this.#blocks.get(index);
    if (!state) return;
    if (state.kind === 'tool') {
      // No input_json_delta text (or only ""): the input is content_block.input, `{}` for calls without arguments.
      if (state.call.raw === '') {
        const input =
          typeof state.startInput === 'object' && state.startInput !== null ? state.startInput : {};
        this.#builder.toolCallArguments(state.call, JSON.stringify(input));
      }
      this.#builder.endToolCall(state.call);
    } else if (state.kind === 'opaque') {
      if (state.json.trim() !== '') {
        try {
          state.raw.input = JSON.parse(state.json);
        } catch {
          state.raw.input = {};
        }
      }
    } else if (this.#builder.openBlockIndex === state.contentIndex) {
      this.#builder.closeBlock();
    }
  }

  #inStreamError(raw: unknown): void {
    const info = readServerError(
      typeof raw === 'object' && raw !== null && 'error' in raw ? raw : { error: raw },
    );
    const message = info.message ?? 'the server reported an error';
    // overloaded_error is Anthropic's HTTP 529 inside a stream: a retry may succeed.
    const retryable =
      info.code === 'overloaded_error' || info.code === 'api_error' || info.code === 'rate_limit_error';
    this.#error = new ApiError(`Error from ${this.#url} inside the response stream: ${message}`, {
      status: 200,
      url: this.#url,
      serverMessage: message,
      ...(info.code !== undefined && { code: info.code }),
      retryable,
    });
  }

  end(): EndResult {
    const raw = this.#stopReason;
    const rawInfo = raw !== undefined ? { rawStopReason: raw } : {};
    if (this.#error) return { info: { stopReason: 'error', ...rawInfo }, error: this.#error };
    if (!this.#sawStop && raw === undefined) {
      throw new StreamParseError(
        this.#started
          ? `The stream from ${this.#url} ended before the response was complete (no message_stop).`
          : `The stream from ${this.#url} ended without any response data.`,
        { kind: 'truncated', url: this.#url },
      );
    }
    const stopReason = mapStopReason(raw, this.#builder.toolCalls.length > 0);
    if (stopReason === 'error') {
      const explanation =
        typeof this.#stopDetails?.explanation === 'string' ? `: ${this.#stopDetails.explanation}` : '';
      return {
        info: { stopReason, ...rawInfo },
        error: new ApiError(
          `The model declined to answer (stop_reason "refusal") at ${this.#url}${explanation}`,
          {
            status: 200,
            url: this.#url,
            code: 'refusal',
            retryable: false,
          },
        ),
      };
    }
    return { info: { stopReason, ...rawInfo } };
  }
}
