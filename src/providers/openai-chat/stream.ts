import { ApiError } from '../../errors/api-error.js';
import { ContextOverflowError } from '../../errors/context-overflow-error.js';
import { matchContextOverflow } from '../../errors/context-overflow-messages.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import { readServerError } from '../../http/error-body.js';
import { limitError } from '../../http/limits.js';
import type { SseEvent } from '../../http/sse.js';
import type { MessageBuilder, ToolCallState } from '../../stream/message-builder.js';
import type { OpenAIChatCompat } from '../../types/compat.js';
import { HarmonyParser, looksLikeHarmony, mayBecomeHarmony } from '../shared/harmony.js';
import { parseEventData } from '../shared/parse-event.js';
import type { EndResult, ResponseHandler } from '../shared/response-handler.js';
import { ThinkTagSplitter } from '../shared/think-tags.js';
import { mapFinishReason, mapUsage, type WireChunk, type WireDelta, type WireToolCall } from './wire.js';

/**
 * Parses a Chat Completions response (SSE chunks or one JSON body) into the message builder.
 *
 * Tool-call fragments are correlated by this rule, which reproduces every recorded server: a non-empty
 * `id` seen before selects that call; else the same `index` selects the latest call with that index
 * (unless it has a different id); a fragment with neither continues the latest call; anything else
 * starts a new call. Empty-string ids and names never overwrite.
 */
export class ChatResponseHandler implements ResponseHandler {
  readonly #builder: MessageBuilder;
  readonly #url: string;
  /** Splits inline `<think>` reasoning; dropped once settled (less held per open stream). */
  #think: ThinkTagSplitter | undefined;
  #finishReason: string | undefined;
  #sawDone = false;
  #sawChunk = false;
  #error: Error | undefined;
  #hasUsage = false;
  /** Parses raw Harmony tokens in the content, once they were seen (or always, per compat). */
  #harmony: HarmonyParser | undefined;
  /** Content held while it may still turn out to start Harmony output (`harmonyTokens: 'auto'`). */
  #pending: string | undefined;
  /** The tool call raw Harmony output is filling. */
  #harmonyCall: ToolCallState | undefined;

  constructor(builder: MessageBuilder, url: string, compat: OpenAIChatCompat) {
    this.#builder = builder;
    this.#url = url;
    this.#think = compat.thinkTags
      ? new ThinkTagSplitter({ text: (d) => builder.text(d), thinking: (d) => builder.thinking(d) })
      : undefined;
    if (compat.harmonyTokens === true) this.#startHarmony();
    else if (compat.harmonyTokens === 'auto') this.#pending = '';
  }

  #startHarmony(): void {
    const builder = this.#builder;
    this.#think = undefined;
    this.#harmony = new HarmonyParser({
      text: (d) => builder.text(d),
      thinking: (d) => builder.thinking(d),
      toolCallStart: (name) => {
        this.#harmonyCall = builder.startToolCall(undefined, name);
      },
      toolCallArguments: (d) => {
        if (this.#harmonyCall) builder.toolCallArguments(this.#harmonyCall, d);
      },
    });
  }

  /** Decides on held content: Harmony when it starts that way, else plain content. */
  #settlePending(final: boolean): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    if (!final && !looksLikeHarmony(pending) && mayBecomeHarmony(pending)) return;
    this.#pending = undefined;
    if (looksLikeHarmony(pending)) {
      this.#startHarmony();
      this.#harmony?.push(pending);
    } else if (pending.length > 0) this.#plainContent(pending);
  }

  sse(event: SseEvent): boolean | undefined {
    const data = event.data;
    if (data === '[DONE]') {
      this.#sawDone = true;
      return true;
    }
    if (data.length === 0) return undefined;
    const chunk = parseEventData<WireChunk>(data, this.#url);
    if (chunk === undefined) return undefined;
    if (event.event === 'error' || chunk.error !== undefined) this.#inStreamError(chunk.error ?? chunk);
    this.#chunk(chunk, false);
    return undefined;
  }

  json(value: unknown): void {
    if (typeof value !== 'object' || value === null) {
      throw new StreamParseError(`Response from ${this.#url} is JSON but not a chat completion.`, {
        kind: 'unexpected_body',
        url: this.#url,
      });
    }
    const body = value as WireChunk;
    if (body.error !== undefined && !Array.isArray(body.choices)) {
      this.#inStreamError(body.error);
      return;
    }
    if (!Array.isArray(body.choices)) {
      throw new StreamParseError(
        `Response from ${this.#url} is JSON but not a chat completion (no "choices"). Body starts: ${JSON.stringify(JSON.stringify(value).slice(0, 200))}`,
        { kind: 'unexpected_body', url: this.#url },
      );
    }
    this.#chunk(body, true);
    this.#sawDone = true;
  }

  #inStreamError(raw: unknown): void {
    const info = readServerError(
      typeof raw === 'object' && raw !== null && 'error' in raw ? raw : { error: raw },
    );
    const message = info.message ?? 'the server reported an error';
    const family = matchContextOverflow(message) ?? matchContextOverflow(info.code);
    if (family !== undefined) {
      this.#error = new ContextOverflowError(
        `Error from ${this.#url} inside the response stream: ${message} (the prompt does not fit the model's context window: shorten or compact the history, lower maxTokens, or load the model with a larger context)`,
        {
          status: 200,
          url: this.#url,
          serverMessage: message,
          family,
          ...(info.code !== undefined && { code: info.code }),
        },
      );
      return;
    }
    this.#error = new ApiError(`Error from ${this.#url} inside the response stream: ${message}`, {
      status: 200,
      url: this.#url,
      serverMessage: message,
      ...(info.code !== undefined && { code: info.code }),
      retryable: false,
    });
  }

  #chunk(chunk: WireChunk, whole: boolean): void {
    this.#sawChunk = true;
    const builder = this.#builder;
    if (typeof chunk.id === 'string' && chunk.id.length > 0 && builder.message.responseId === undefined) {
      builder.message.responseId = chunk.id;
    }
    if (chunk.usage) {
      builder.setUsage(mapUsage(chunk.usage));
      this.#hasUsage = true;
    } else if (!this.#hasUsage && chunk.x_groq?.usage) {
      builder.setUsage(mapUsage(chunk.x_groq.usage));
    }
    const choices = chunk.choices;
    if (!choices || choices.length === 0) return;
    const maxChoices = builder.limits.maxChoices;
    if (choices.length > maxChoices)
      throw limitError('too many choices', 'maxChoices', maxChoices, this.#url);
    let choice = choices[0];
    if (choices.length > 1) {
      for (const c of choices) {
        if ((c.index ?? 0) === 0) {
          choice = c;
          break;
        }
      }
    }
    if (!choice) return;
    const delta = whole ? choice.message : choice.delta;
    if (delta) this.#delta(delta);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason.length > 0) {
      this.#finishReason = choice.finish_reason;
    }
  }

  #delta(delta: WireDelta): void {
    const builder = this.#builder;
    const reasoning =
      typeof delta.reasoning_content === 'string' && delta.reasoning_content.length > 0
        ? delta.reasoning_content
        : typeof delta.reasoning === 'string' && delta.reasoning.length > 0
          ? delta.reasoning
          : delta.reasoning_text;
    if (typeof reasoning === 'string' && reasoning.length > 0) builder.thinking(reasoning);
    const content = delta.content;
    if (typeof content === 'string') {
      if (content.length > 0) this.#content(content);
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text' && typeof part.text === 'string') this.#content(part.text);
        else if (part.type === 'thinking') {
          const thinking = part.thinking;
          if (typeof thinking === 'string') builder.thinking(thinking);
          else if (Array.isArray(thinking)) {
            for (const t of thinking) if (typeof t.text === 'string') builder.thinking(t.text);
          }
        }
      }
    }
    if (typeof delta.refusal === 'string' && delta.refusal.length > 0) this.#content(delta.refusal);
    const calls = delta.tool_calls;
    if (Array.isArray(calls)) for (const call of calls) this.#toolCall(call);
    // Legacy shape: no id and no index; fragments continue the message's one call (its id is generated).
    const legacy = delta.function_call;
    if (typeof legacy === 'object' && legacy !== null) this.#toolCall({ function: legacy });
  }

  #content(text: string): void {
    if (this.#harmony) {
      this.#harmony.push(text);
      return;
    }
    if (this.#pending !== undefined) {
      this.#pending += text;
      this.#settlePending(false);
      return;
    }
    this.#plainContent(text);
  }

  #plainContent(text: string): void {
    const think = this.#think;
    if (think) {
      think.push(text);
      if (think.settled) this.#think = undefined;
    } else this.#builder.text(text);
  }

  #toolCall(fragment: WireToolCall): void {
    const builder = this.#builder;
    const id = typeof fragment.id === 'string' && fragment.id.length > 0 ? fragment.id : undefined;
    const index = typeof fragment.index === 'number' ? fragment.index : undefined;
    const fn = fragment.function;
    const name = typeof fn?.name === 'string' && fn.name.length > 0 ? fn.name : undefined;
    const calls = builder.toolCalls;
    let state: ToolCallState | undefined;
    if (id !== undefined) state = calls.find((c) => c.serverId && c.block.id === id);
    if (!state && index !== undefined) {
      for (let i = calls.length - 1; i >= 0; i--) {
        const c = calls[i];
        if (c && c.wireIndex === index) {
          if (id === undefined || !c.serverId) state = c;
          break;
        }
      }
    }
    if (!state && id === undefined && index === undefined) state = calls[calls.length - 1];
    if (!state) {
      this.#settlePending(true);
      this.#think?.flush();
      state = builder.startToolCall(id, name, index);
    } else {
      if (id !== undefined && !state.serverId) {
        state.block.id = id;
        state.serverId = true;
      }
      if (name !== undefined && state.block.name === '') state.block.name = name;
    }
    const args = fn?.arguments;
    if (typeof args === 'string') builder.toolCallArguments(state, args);
    else if (typeof args === 'object' && args !== null)
      builder.toolCallArguments(state, JSON.stringify(args));
  }

  end(): EndResult {
    this.#settlePending(true);
    this.#harmony?.flush();
    this.#think?.flush();
    const hasToolCalls = this.#builder.toolCalls.length > 0;
    if (this.#error) {
      return {
        info: {
          stopReason: 'error',
          ...(this.#finishReason !== undefined && { rawStopReason: this.#finishReason }),
        },
        error: this.#error,
      };
    }
    if (this.#finishReason === undefined && !this.#sawDone) {
      throw new StreamParseError(
        this.#sawChunk
          ? `The stream from ${this.#url} ended before the response was complete (no finish_reason and no [DONE]).`
          : `The stream from ${this.#url} ended without any response data.`,
        { kind: 'truncated', url: this.#url },
      );
    }
    const stopReason = mapFinishReason(this.#finishReason, hasToolCalls);
    const info = {
      stopReason,
      ...(this.#finishReason !== undefined && { rawStopReason: this.#finishReason }),
    };
    if (stopReason === 'error') {
      return {
        info,
        error: new ApiError(`The output from ${this.#url} was stopped by the server's content filter.`, {
          status: 200,
          url: this.#url,
          code: 'content_filter',
          retryable: false,
        }),
      };
    }
    return { info };
  }
}
