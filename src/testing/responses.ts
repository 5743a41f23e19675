import type { ScriptedResponse } from './fixture-server.js';

/**
 * Response builders for the fixture server (`startFixtureServer({ responses: [...] })`): synthetic OpenAI
 * Chat Completions streams (`text/event-stream`, `chat.completion.chunk` objects, a usage chunk, then
 * `data: [DONE]`), as every OpenAI-compatible server sends them.
 *
 * Source: https://platform.openai.com/docs/api-reference/chat-streaming
 */

/** Options shared by the builders. */
export interface ResponseOptions {
  /** Token usage `[prompt, completion]` reported in the trailing usage chunk. @default [10, 5] */
  usage?: [number, number];
  /** Model id in the chunks. @default 'test-model' */
  model?: string;
  /** Byte offsets where the server splits the body into writes (see `ScriptedResponse.splits`). */
  splits?: number[];
}

/** A tool call in {@link toolCallResponse}. */
export interface ResponseToolCall {
  /** Call id. @default `call_<index>` */
  id?: string;
  /** Tool name. */
  name: string;
  /** Arguments: an object (serialized) or raw JSON text (sent as is, in two fragments). */
  arguments?: Record<string, unknown> | string;
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null = null): string {
  const body = { id: 'chatcmpl-fixture', object: 'chat.completion.chunk', created: 1, model };
  return `data: ${JSON.stringify({ ...body, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

function end(model: string, finish: string, options: ResponseOptions): string {
  const [prompt, completion] = options.usage ?? [10, 5];
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const tail = {
    id: 'chatcmpl-fixture',
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [],
    usage,
  };
  return `${chunk(model, {}, finish)}data: ${JSON.stringify(tail)}\n\ndata: [DONE]\n\n`;
}

function response(body: string, options: ResponseOptions): ScriptedResponse {
  return {
    contentType: 'text/event-stream',
    body,
    ...(options.splits !== undefined && { splits: options.splits }),
  };
}

/**
 * A streamed text answer: a role chunk, one chunk per piece, `finish_reason: "stop"`, usage, `[DONE]`.
 * @param text - the answer, or its pieces (one `text_delta` each).
 */
export function textResponse(text: string | string[], options: ResponseOptions = {}): ScriptedResponse {
  const model = options.model ?? 'test-model';
  let body = chunk(model, { role: 'assistant', content: '' });
  for (const piece of typeof text === 'string' ? [text] : text) body += chunk(model, { content: piece });
  return response(body + end(model, 'stop', options), options);
}

/**
 * A streamed tool-call answer: optional text first, then each call with its arguments in two fragments,
 * `finish_reason: "tool_calls"`, usage, `[DONE]`.
 */
export function toolCallResponse(
  calls: ResponseToolCall[],
  options: ResponseOptions & { text?: string } = {},
): ScriptedResponse {
  const model = options.model ?? 'test-model';
  let body = chunk(model, { role: 'assistant', content: options.text ?? null });
  calls.forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
    const half = Math.floor(args.length / 2);
    const fn = { name: call.name, arguments: args.slice(0, half) };
    const id = call.id ?? `call_${index}`;
    body += chunk(model, { tool_calls: [{ index, id, type: 'function', function: fn }] });
    body += chunk(model, { tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  return response(body + end(model, 'tool_calls', options), options);
}
