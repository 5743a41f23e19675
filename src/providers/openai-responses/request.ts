import { wireJsonSchema } from '../../output/schema.js';
import type { OpenAIResponsesCompat } from '../../types/compat.js';
import type { ImageContent, TextContent, UserContent } from '../../types/content.js';
import type { Context } from '../../types/context.js';
import type { AssistantMessage, Message, ToolResultMessage } from '../../types/message.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { isSameModel, prepareHistory } from '../shared/cross-provider.js';
import { imageUrlString } from '../shared/images.js';
import { reasoningUnsupportedByModel } from '../shared/reasoning.js';
import { setTemperatureAndTopP, validMaxTokens } from '../shared/sampling.js';

/** A built request body and the warnings about settings the server cannot honour. */
export interface BuiltResponsesRequest {
  /** JSON body for POST /responses. */
  body: Record<string, unknown>;
  /** One line per setting that was dropped or downgraded. */
  warnings: string[];
}

type Item = Record<string, unknown>;
type Warn = (text: string) => void;

function imagePart(image: ImageContent): Item {
  return { type: 'input_image', image_url: imageUrlString(image), detail: image.detail ?? 'auto' };
}

function userItem(content: string | UserContent[]): Item {
  const parts =
    typeof content === 'string'
      ? [{ type: 'input_text', text: content }]
      : content.map((p) => (p.type === 'image' ? imagePart(p) : { type: 'input_text', text: p.text }));
  return { type: 'message', role: 'user', content: parts };
}

function record(value: unknown): Item | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : undefined;
}

/**
 * Items of one assistant message. The same model gets its reasoning items back verbatim (with
 * `encrypted_content`, for stateless replay), its server-tool items, and the output item ids of messages and
 * calls (only when a reasoning item is replayed with them: OpenAI pairs reasoning with the item after it).
 * A function call's `call_id` is the tool call's `id`.
 */
function assistantItems(message: AssistantMessage, model: Model, freeform: Set<string>): Item[] {
  const same = isSameModel(message, model);
  const replaysReasoning =
    same && message.content.some((b) => b.type === 'thinking' && record(b.providerData?.item) !== undefined);
  const items: Item[] = [];
  for (const block of message.content) {
    const itemId =
      replaysReasoning && typeof block.providerData?.itemId === 'string'
        ? block.providerData.itemId
        : undefined;
    if (block.type === 'thinking') {
      const item = same ? record(block.providerData?.item) : undefined;
      if (item) items.push({ ...item });
    } else if (block.type === 'text') {
      const opaque = same ? record(block.providerData?.responsesItem) : undefined;
      if (opaque) items.push({ ...opaque });
      else if (block.text !== '') {
        const item: Item = {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: block.text, annotations: [] }],
          status: 'completed',
        };
        if (itemId) item.id = itemId;
        if (same && typeof block.providerData?.phase === 'string') item.phase = block.providerData.phase;
        items.push(item);
      }
    } else if (block.providerData?.freeform === true && same) {
      freeform.add(block.id);
      const input = typeof block.arguments.input === 'string' ? block.arguments.input : '';
      items.push({
        type: 'custom_tool_call',
        call_id: block.id,
        name: block.name,
        input,
        ...(itemId && { id: itemId }),
      });
    } else {
      items.push({
        type: 'function_call',
        call_id: block.id,
        name: block.name,
        arguments: JSON.stringify(block.arguments),
        ...(itemId && { id: itemId }),
      });
    }
  }
  return items;
}

function toolOutputItem(message: ToolResultMessage, freeform: Set<string>): Item {
  const parts = message.content as (TextContent | ImageContent)[];
  const custom = freeform.has(message.toolCallId);
  const text = parts
    .filter((p): p is TextContent => p.type === 'text')
    .map((p) => p.text)
    .join('\n');
  const output =
    custom || !parts.some((p) => p.type === 'image')
      ? text
      : parts.map((p) => (p.type === 'image' ? imagePart(p) : { type: 'input_text', text: p.text }));
  return {
    type: custom ? 'custom_tool_call_output' : 'function_call_output',
    call_id: message.toolCallId,
    output,
  };
}

function inputItems(messages: Message[], model: Model): Item[] {
  const freeform = new Set<string>();
  const items: Item[] = [];
  for (const message of messages) {
    if (message.role === 'user') items.push(userItem(message.content));
    else if (message.role === 'assistant') items.push(...assistantItems(message, model, freeform));
    else items.push(toolOutputItem(message, freeform));
  }
  return items;
}

/** With `previousResponseId`, only what came after that response is sent (the server has the rest). */
function afterPrevious(messages: Message[], id: string | undefined, warn: Warn): Message[] {
  if (id === undefined) return messages;
  const index = messages.findLastIndex((m) => m.role === 'assistant' && m.responseId === id);
  if (index < 0) {
    warn(`previousResponseId ${id} is not in the history; the whole history was sent as well`);
    return messages;
  }
  return messages.slice(index + 1);
}

function textFormat(
  options: StreamOptions,
  compat: OpenAIResponsesCompat,
  instructions: string[],
  warn: Warn,
) {
  const format = options.responseFormat;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && compat.responseFormat === 'json_schema') {
    return {
      type: 'json_schema',
      name: format.name ?? 'response',
      schema: wireJsonSchema(format.schema),
      ...(format.strict !== undefined && { strict: format.strict }),
    };
  }
  if (format.type === 'json_schema') {
    instructions.push(
      `Answer with one JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(wireJsonSchema(format.schema))}`,
    );
    warn(
      `text.format json_schema is not supported by this server; sent ${compat.responseFormat === 'json_object' ? 'json_object' : 'no format'} with the schema in the instructions`,
    );
    return compat.responseFormat === 'json_object' ? { type: 'json_object' } : undefined;
  }
  if (compat.responseFormat !== 'none') return { type: 'json_object' };
  instructions.push('Answer with one JSON object and nothing else.');
  warn('text.format json_object is not supported by this server; asked for JSON in the instructions');
  return undefined;
}

function toolFields(
  body: Item,
  context: Context,
  options: StreamOptions,
  compat: OpenAIResponsesCompat,
  warn: Warn,
): void {
  if (context.tools && context.tools.length > 0) {
    body.tools = context.tools.map((tool) => {
      // Responses treats a missing `strict` as true, which rejects most hand-written schemas: always send it.
      let strict = false;
      if (tool.strict && compat.strictTools) strict = true;
      else if (tool.strict)
        warn(`strict tool schemas are not supported by this server; sent "${tool.name}" without strict`);
      return {
        type: 'function',
        name: tool.name,
        ...(tool.description && { description: tool.description }),
        parameters: tool.parameters,
        strict,
      };
    });
  }
  if (options.toolChoice !== undefined) {
    if (!compat.toolChoice) warn('tool_choice is not supported by this server and was not sent');
    else {
      const choice = options.toolChoice;
      body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
    }
  }
  if (options.parallelToolCalls !== undefined) {
    if (!compat.parallelToolCalls)
      warn('parallel_tool_calls is not supported by this server and was not sent');
    else body.parallel_tool_calls = options.parallelToolCalls;
  }
}

function reasoningFields(
  body: Item,
  model: Model,
  options: StreamOptions,
  compat: OpenAIResponsesCompat,
  warn: Warn,
): void {
  const level = options.reasoning;
  const modelWarning = reasoningUnsupportedByModel(model, level);
  if (modelWarning) warn(modelWarning);
  else if (level !== undefined && !compat.reasoningEffort)
    warn(`reasoning effort "${level}" is not supported by this server and was not sent`);
  else if (level !== undefined) {
    const reasoning: Item = { effort: level === 'off' ? 'none' : level };
    if (level !== 'off' && compat.reasoningSummary !== 'none') reasoning.summary = compat.reasoningSummary;
    body.reasoning = reasoning;
  }
  if (options.previousResponseId !== undefined) {
    body.previous_response_id = options.previousResponseId;
    body.store = true; // the next call can only chain to a stored response
  } else if (compat.statelessStore) {
    body.store = false;
    const reasons =
      model.reasoning === true || (level !== undefined && level !== 'off' && model.reasoning !== false);
    if (compat.encryptedReasoning && reasons) body.include = ['reasoning.encrypted_content'];
  }
}

/**
 * Builds the OpenAI Responses request body: `instructions`, input items (messages, images, reasoning items,
 * `function_call` / `function_call_output`), tools, `tool_choice`, `parallel_tool_calls`,
 * `max_output_tokens`, sampling, `reasoning: { effort, summary }`, `store: false` with
 * `include: ["reasoning.encrypted_content"]` (stateless replay), `previous_response_id`, and `text.format`.
 * Settings the server cannot honour are dropped or downgraded with a warning.
 *
 * Source: https://platform.openai.com/docs/api-reference/responses/create
 * @throws {InvalidArgumentError} for malformed input (bad `maxTokens`, an image without data or URL).
 */
export function buildResponsesRequest(
  model: Model,
  context: Context,
  options: StreamOptions,
  compat: OpenAIResponsesCompat,
): BuiltResponsesRequest {
  const warnings: string[] = [];
  const warn: Warn = (text) => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const history = prepareHistory(context.messages, model, {
    ...(options.foreignThinking !== undefined && { foreignThinking: options.foreignThinking }),
  });
  for (const w of history.warnings) warn(w);
  const body: Item = { model: model.id };
  const instructions = context.systemPrompt ? [context.systemPrompt] : [];
  const format = textFormat(options, compat, instructions, warn);
  if (instructions.length > 0) body.instructions = instructions.join('\n\n');
  body.input = inputItems(afterPrevious(history.messages, options.previousResponseId, warn), model);
  toolFields(body, context, options, compat, warn);
  const maxTokens = validMaxTokens(options.maxTokens);
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens;
  setTemperatureAndTopP(body, options);
  if (options.stop !== undefined && options.stop.length > 0)
    warn('stop sequences are not supported by OpenAI Responses and were not sent');
  if (options.seed !== undefined) warn('seed is not supported by OpenAI Responses and was not sent');
  reasoningFields(body, model, options, compat, warn);
  if (format) body.text = { format };
  body.stream = options.streaming !== false;
  if (options.promptCacheKey !== undefined && compat.sendPromptCacheKey)
    body.prompt_cache_key = options.promptCacheKey;
  const extra = options.providerOptions?.['openai-responses'];
  if (extra) Object.assign(body, extra);
  return { body, warnings };
}
