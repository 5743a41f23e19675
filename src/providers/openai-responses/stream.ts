import { ApiError } from '../../errors/api-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import { readServerError } from '../../http/error-body.js';
import type { SseEvent } from '../../http/sse.js';
import type { MessageBuilder, ToolCallState } from '../../stream/message-builder.js';
import type { ProviderData } from '../../types/content.js';
import type { StopReason } from '../../types/message.js';
import { parseEventData } from '../shared/parse-event.js';
import type { EndResult, ResponseHandler } from '../shared/response-handler.js';
import { mapUsage, type WireEvent, type WireItem, type WireResponse } from './wire.js';

/** What one output item (by `output_index`) is being assembled into. */
type ItemState =
  | { kind: 'message' | 'reasoning'; contentIndex: number; received: Set<string> }
  | { kind: 'call'; call: ToolCallState; freeform: boolean }
  | { kind: 'opaque'; contentIndex: number };

/**
 * Parses an OpenAI Responses stream (or one JSON response) into the message builder. State is keyed by
 * `output_index`, never by ids (proxies rotate them). Each output item becomes one block, in order:
 * `message` a text block (`providerData.itemId`, `phase`, `annotations`), `reasoning` a thinking block
 * (summary and reasoning-text deltas joined as sent; `providerData.item` is the completed item with
 * `encrypted_content`, replayed verbatim), `function_call` a tool call whose id is the `call_id`
 * (`providerData.itemId` keeps the item id), `custom_tool_call` a tool call with `arguments: { input }`
 * (`providerData.freeform`), anything else (web search and other server tools) an empty text block with
 * `providerData.responsesItem`. Text that arrives only in a `*.done` event or the completed item (LM Studio)
 * is used when no deltas came.
 */
export class ResponsesResponseHandler implements ResponseHandler {
  readonly #builder: MessageBuilder;
  readonly #url: string;
  readonly #items = new Map<number, ItemState>();
  #lastIndex = -1;
  #final: WireResponse | undefined;
  #started = false;
  #error: Error | undefined;

  constructor(builder: MessageBuilder, url: string) {
    this.#builder = builder;
    this.#url = url;
  }

  sse(event: SseEvent): boolean | undefined {
    const data = event.data;
    if (data === '[DONE]') return true;
    if (data.length === 0) return undefined;
    const parsed = parseEventData<WireEvent>(data, this.#url);
    return parsed === undefined ? undefined : this.#event(parsed);
  }

  json(value: unknown): void {
    const body = value as (WireResponse & { error?: unknown }) | null;
    if (typeof body !== 'object' || body === null) {
      throw new StreamParseError(`Response from ${this.#url} is JSON but not a response object.`, {
        kind: 'unexpected_body',
        url: this.#url,
      });
    }
    if (!Array.isArray(body.output)) {
      if (body.error) {
        this.#inStreamError(body);
        return;
      }
      const excerpt = JSON.stringify(value).slice(0, 200);
      throw new StreamParseError(
        `Response from ${this.#url} is JSON but not a response object ("output" is not an array). Body starts: ${JSON.stringify(excerpt)}`,
        { kind: 'unexpected_body', url: this.#url, excerpt },
      );
    }
    this.#start(body);
    body.output.forEach((item, index) => {
      this.#added(index, item);
      this.#done(index, item);
    });
    this.#finish(body);
  }

  #event(event: WireEvent): boolean | undefined {
    const type = event.type ?? '';
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        if (event.response) this.#start(event.response);
        return undefined;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        if (event.response) this.#finish(event.response);
        else this.#final = { status: type.slice('response.'.length) };
        return true;
      case 'error':
        this.#inStreamError(event);
        return undefined; // response.failed usually follows
      case 'response.output_item.added':
        if (event.item) this.#added(event.output_index ?? this.#lastIndex + 1, event.item);
        return undefined;
      case 'response.output_item.done':
        if (event.item) this.#done(event.output_index ?? this.#lastIndex, event.item);
        return undefined;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.#text(event, 'message', `t${event.content_index ?? 0}`, event.delta, false);
        return undefined;
      case 'response.output_text.done':
        this.#text(event, 'message', `t${event.content_index ?? 0}`, event.text, true);
        return undefined;
      case 'response.refusal.done':
        this.#text(
          event,
          'message',
          `t${event.content_index ?? 0}`,
          (event as { refusal?: string }).refusal,
          true,
        );
        return undefined;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_summary_text.done':
        this.#text(
          event,
          'reasoning',
          `s${event.summary_index ?? 0}`,
          type.endsWith('.delta') ? event.delta : event.text,
          type.endsWith('.done'),
        );
        return undefined;
      case 'response.reasoning_text.delta':
      case 'response.reasoning_text.done':
        this.#text(
          event,
          'reasoning',
          `r${event.content_index ?? 0}`,
          type.endsWith('.delta') ? event.delta : event.text,
          type.endsWith('.done'),
        );
        return undefined;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const state = this.#state(event);
        if (state?.kind === 'call' && typeof event.delta === 'string')
          this.#builder.toolCallArguments(state.call, event.delta);
        return undefined;
      }
      case 'response.function_call_arguments.done':
      case 'response.custom_tool_call_input.done': {
        const state = this.#state(event);
        const whole = event.arguments ?? event.input;
        if (state?.kind === 'call' && state.call.raw === '' && typeof whole === 'string')
          this.#builder.toolCallArguments(state.call, whole);
        return undefined;
      }
      case 'response.output_text.annotation.added': {
        const state = this.#state(event);
        const block =
          state?.kind === 'message' ? this.#builder.message.content[state.contentIndex] : undefined;
        if (block?.type === 'text' && event.annotation !== undefined) {
          const list = Array.isArray(block.providerData?.annotations) ? block.providerData.annotations : [];
          block.providerData = { ...block.providerData, annotations: [...list, event.annotation] };
        }
        return undefined;
      }
      default:
        return undefined; // content_part.*, web_search_call.*, and event types added later
    }
  }

  #state(event: WireEvent): ItemState | undefined {
    return this.#items.get(typeof event.output_index === 'number' ? event.output_index : this.#lastIndex);
  }

  #start(response: WireResponse): void {
    if (!this.#started && typeof response.id === 'string' && response.id.length > 0)
      this.#builder.message.responseId = response.id;
    this.#started = true;
  }

  #added(index: number, item: WireItem): void {
    if (this.#items.has(index)) return;
    this.#lastIndex = Math.max(this.#lastIndex, index);
    const builder = this.#builder;
    const type = item.type;
    if (type === 'message') {
      const data: ProviderData = {};
      if (typeof item.id === 'string') data.itemId = item.id;
      if (typeof item.phase === 'string') data.phase = item.phase;
      this.#items.set(index, {
        kind: 'message',
        contentIndex: builder.openBlock('text', data),
        received: new Set(),
      });
    } else if (type === 'reasoning') {
      this.#items.set(index, {
        kind: 'reasoning',
        contentIndex: builder.openBlock('thinking'),
        received: new Set(),
      });
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const call = builder.startToolCall(item.call_id, item.name);
      const freeform = type === 'custom_tool_call';
      call.block.providerData = {
        ...(typeof item.id === 'string' && { itemId: item.id }),
        ...(freeform && { freeform: true }),
      };
      this.#items.set(index, { kind: 'call', call, freeform });
    } else {
      const contentIndex = builder.addBlock({
        type: 'text',
        text: '',
        providerData: { responsesItem: { ...item } },
      });
      this.#items.set(index, { kind: 'opaque', contentIndex });
    }
  }

  /** Appends text to the item's block; a `done` text is used only when no delta of that part arrived. */
  #text(
    event: WireEvent,
    kind: 'message' | 'reasoning',
    part: string,
    text: string | undefined,
    done: boolean,
  ): void {
    const state = this.#state(event);
    if (state?.kind !== kind || typeof text !== 'string') return;
    if (done && state.received.has(part)) return;
    state.received.add(part);
    if (kind === 'message') this.#builder.text(text);
    else this.#builder.thinking(text);
  }

  #done(index: number, item: WireItem): void {
    if (!this.#items.has(index)) this.#added(index, item);
    const state = this.#items.get(index);
    if (!state) return;
    const builder = this.#builder;
    if (state.kind === 'call') {
      const whole = state.freeform ? item.input : item.arguments;
      if (state.call.raw === '' && typeof whole === 'string') builder.toolCallArguments(state.call, whole);
      if (state.call.block.name === '' && typeof item.name === 'string') state.call.block.name = item.name;
      builder.endToolCall(state.call, { freeform: state.freeform });
      return;
    }
    if (state.kind === 'opaque') {
      const block = builder.message.content[state.contentIndex];
      if (block) block.providerData = { responsesItem: { ...item } };
      return;
    }
    const event = { output_index: index };
    if (state.kind === 'message') {
      (item.content ?? []).forEach((part, i) => {
        this.#text(event, 'message', `t${i}`, part.type === 'refusal' ? part.refusal : part.text, true);
      });
    } else {
      (item.summary ?? []).forEach((part, i) => {
        this.#text(event, 'reasoning', `s${i}`, part.text, true);
      });
      (item.content ?? []).forEach((part, i) => {
        this.#text(event, 'reasoning', `r${i}`, part.text, true);
      });
      const block = builder.message.content[state.contentIndex];
      if (block) block.providerData = { item: { ...item } };
    }
    if (builder.openBlockIndex === state.contentIndex) builder.closeBlock();
  }

  #finish(response: WireResponse): void {
    this.#start(response);
    this.#final = response;
    if (typeof response.id === 'string' && response.id.length > 0)
      this.#builder.message.responseId = response.id;
    if (response.usage) this.#builder.setUsage(mapUsage(response.usage));
    if (response.status === 'failed' && !this.#error) this.#inStreamError({ error: response.error ?? {} });
  }

  #inStreamError(raw: unknown): void {
    if (this.#error) return; // the first report is the most specific (error event, then response.failed)
    const info = readServerError(raw);
    const message = info.message ?? 'the server reported an error';
    this.#error = new ApiError(`Error from ${this.#url} inside the response stream: ${message}`, {
      status: 200,
      url: this.#url,
      serverMessage: message,
      ...(info.code !== undefined && { code: info.code }),
      retryable: info.code === 'server_error' || info.code === 'rate_limit_exceeded',
    });
  }

  end(): EndResult {
    const status = this.#final?.status;
    const raw = status !== undefined ? { rawStopReason: status } : {};
    if (this.#error) return { info: { stopReason: 'error', ...raw }, error: this.#error };
    if (!this.#final) {
      throw new StreamParseError(
        this.#started
          ? `The stream from ${this.#url} ended before the response was complete (no response.completed).`
          : `The stream from ${this.#url} ended without any response data.`,
        { kind: 'truncated', url: this.#url },
      );
    }
    const hasCalls = this.#builder.toolCalls.length > 0;
    let stopReason: StopReason = hasCalls ? 'toolUse' : 'stop';
    if (status === 'incomplete') {
      const reason = this.#final.incomplete_details?.reason ?? 'unknown';
      if (reason === 'content_filter') {
        return {
          info: { stopReason: 'error', ...raw },
          error: new ApiError(`The output from ${this.#url} was stopped by the server's content filter.`, {
            status: 200,
            url: this.#url,
            code: 'content_filter',
            retryable: false,
          }),
        };
      }
      stopReason = 'length'; // max_output_tokens (the only other documented reason)
    } else if (status === 'cancelled') {
      return {
        info: { stopReason: 'error', ...raw },
        error: new ApiError(`The response from ${this.#url} was cancelled.`, {
          status: 200,
          url: this.#url,
          retryable: false,
        }),
      };
    }
    return { info: { stopReason, ...raw } };
  }
}
