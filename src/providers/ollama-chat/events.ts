import { ApiError } from '../../errors/api-error.js';
import { ContextOverflowError } from '../../errors/context-overflow-error.js';
import { matchContextOverflow } from '../../errors/context-overflow-messages.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import { readServerError } from '../../http/error-body.js';
import type { MessageBuilder } from '../../stream/message-builder.js';
import type { EndResult, ResponseHandler } from '../shared/response-handler.js';
import { GENERATED_ID } from './request.js';

/** One NDJSON line of `POST /api/chat` (or the whole non-streaming body). Source: `api/types.go`. */
interface WireLine {
  message?: {
    content?: string;
    thinking?: string;
    tool_calls?: { id?: string; function?: { index?: number; name?: string; arguments?: unknown } }[];
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * Reads Ollama's `/api/chat` response into the builder: `message.thinking` and `message.content` deltas,
 * whole tool calls (arguments are an object; a missing id is generated and marked so it is never sent
 * back), usage from `prompt_eval_count`/`eval_count` on the `done` line, and `{"error": "..."}` lines.
 */
export class OllamaChatHandler implements ResponseHandler {
  #done: string | undefined;
  #sawDone = false;
  #sawLine = false;
  #error: Error | undefined;

  constructor(
    private readonly builder: MessageBuilder,
    private readonly url: string,
  ) {}

  ndjson(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) {
      throw new StreamParseError(`A line of the response from ${this.url} is not a JSON object.`, {
        kind: 'unexpected_body',
        url: this.url,
      });
    }
    const line = value as WireLine;
    this.#sawLine = true;
    if (line.error !== undefined) {
      this.#error = this.#serverError(line);
      return true;
    }
    const { builder } = this;
    const m = line.message;
    if (typeof m?.thinking === 'string') builder.thinking(m.thinking);
    if (typeof m?.content === 'string') builder.text(m.content);
    for (const call of Array.isArray(m?.tool_calls) ? m.tool_calls : []) {
      const fn = call.function;
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
      const state = builder.startToolCall(id, fn?.name, fn?.index);
      if (id === undefined) state.block.providerData = { [GENERATED_ID]: true };
      const args = fn?.arguments;
      builder.toolCallArguments(state, typeof args === 'string' ? args : JSON.stringify(args ?? {}));
      builder.endToolCall(state);
    }
    if (line.done !== true) return false;
    this.#sawDone = true;
    this.#done = line.done_reason;
    const input = count(line.prompt_eval_count);
    const output = count(line.eval_count);
    builder.setUsage({ input, output, cacheRead: 0, cacheWrite: 0, total: input + output });
    return true;
  }

  json(value: unknown): void {
    this.ndjson(value);
  }

  #serverError(line: WireLine): Error {
    const info = readServerError(line);
    const serverMessage = info.message ?? 'the server reported an error';
    const family = matchContextOverflow(serverMessage);
    const options = { status: 200, url: this.url, serverMessage };
    const message = `Error from ${this.url} inside the response stream: ${serverMessage}`;
    return family !== undefined
      ? new ContextOverflowError(
          `${message} (the prompt does not fit the context window: raise contextWindow or shorten the history)`,
          { ...options, family },
        )
      : new ApiError(message, { ...options, retryable: false });
  }

  end(): EndResult {
    const raw = this.#done !== undefined ? { rawStopReason: this.#done } : {};
    if (this.#error) return { info: { stopReason: 'error', ...raw }, error: this.#error };
    if (!this.#sawDone) {
      throw new StreamParseError(
        `The stream from ${this.url} ${this.#sawLine ? 'ended before its "done": true line' : 'ended without any response data'}.`,
        { kind: 'truncated', url: this.url },
      );
    }
    const toolUse = this.builder.toolCalls.length > 0;
    const stopReason = this.#done === 'length' ? 'length' : toolUse ? 'toolUse' : 'stop';
    return { info: { stopReason, ...raw } };
  }
}
