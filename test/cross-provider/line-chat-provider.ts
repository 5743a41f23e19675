// A whole provider written with defineProvider, as a plugin would: POST {baseUrl}/line-chat, answered by
// NDJSON lines {"text"} | {"tool": {id, name, args}}, then {"done": true, "input_tokens", "output_tokens"}.
import { StreamParseError } from '../../src/index.js';
import {
  defineProvider,
  type EndResult,
  emptyUsage,
  type MessageBuilder,
  type ResponseHandler,
} from '../../src/provider/index.js';

/** Flags of this API; the one resolver reads them from model records, probes and presets. */
export interface LineChatCompat {
  /** Send the tool list (servers without tools need `false`). */
  tools: boolean;
}

type Line = { text?: string; tool?: { id?: string; name?: string; args?: unknown }; done?: boolean } & {
  input_tokens?: number;
  output_tokens?: number;
};

class LineChatHandler implements ResponseHandler {
  #ended = false;
  constructor(
    private readonly builder: MessageBuilder,
    private readonly url: string,
  ) {}

  ndjson(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) {
      throw new StreamParseError(`Not an object in ${this.url}`, { kind: 'invalid_json', url: this.url });
    }
    const line = value as Line;
    if (typeof line.text === 'string') this.builder.text(line.text);
    if (line.tool) {
      const call = this.builder.startToolCall(line.tool.id, line.tool.name);
      this.builder.toolCallArguments(call, JSON.stringify(line.tool.args ?? {}));
      this.builder.endToolCall(call);
    }
    if (line.done !== true) return false;
    const [input, output] = [line.input_tokens ?? 0, line.output_tokens ?? 0];
    this.builder.setUsage({ ...emptyUsage(), input, output, total: input + output });
    this.#ended = true;
    return true;
  }

  json(value: unknown): void {
    this.ndjson(value);
  }

  end(): EndResult {
    const kind = 'truncated';
    if (!this.#ended) throw new StreamParseError(`Ended early: ${this.url}`, { kind, url: this.url });
    return { info: { stopReason: this.builder.toolCalls.length > 0 ? 'toolUse' : 'stop' } };
  }
}

export const lineChat = defineProvider<LineChatCompat>({
  api: 'line-chat',
  defaultCompat: { tools: true },
  streamAccept: 'application/x-ndjson',
  buildRequest: ({ model, context, options, compat }) => ({
    path: '/line-chat',
    body: {
      model: model.id,
      messages: context.messages,
      ...(compat.tools && context.tools && { tools: context.tools.map((t) => t.name) }),
      stream: options.streaming !== false,
    },
  }),
  createEventHandler: (builder, { url }) => new LineChatHandler(builder, url),
});
