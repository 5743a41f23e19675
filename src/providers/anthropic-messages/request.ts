import { wireJsonSchema } from '../../output/schema.js';
import type { AnthropicMessagesCompat } from '../../types/compat.js';
import type { ImageContent, TextContent, UserContent } from '../../types/content.js';
import type { Context } from '../../types/context.js';
import type { AssistantMessage, Message, ToolResultMessage } from '../../types/message.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { prepareHistory } from '../shared/cross-provider.js';
import { imageSource } from '../shared/images.js';
import { MIN_THINKING_BUDGET, reasoningUnsupportedByModel, thinkingBudget } from '../shared/reasoning.js';
import { validMaxTokens } from '../shared/sampling.js';

/** A built request body and the warnings about settings the server cannot honour. */
export interface BuiltAnthropicRequest {
  /** JSON body for POST /messages. */
  body: Record<string, unknown>;
  /** One line per setting that was dropped or downgraded. */
  warnings: string[];
}

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

function imageBlock(image: ImageContent): Block {
  const source = imageSource(image);
  return source.kind === 'url'
    ? { type: 'image', source: { type: 'url', url: source.url } }
    : { type: 'image', source: { type: 'base64', media_type: source.mimeType, data: source.data } };
}

function userBlocks(content: string | UserContent[]): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: Block[] = [];
  for (const part of content) {
    if (part.type === 'image') blocks.push(imageBlock(part));
    else if (part.text !== '') blocks.push({ type: 'text', text: part.text }); // empty text blocks are rejected
  }
  return blocks;
}

function toolResultBlock(message: ToolResultMessage): Block {
  const block: Block = { type: 'tool_result', tool_use_id: message.toolCallId };
  const parts = userBlocks(message.content as (TextContent | ImageContent)[]);
  if (parts.length > 0)
    block.content = parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n') : parts;
  if (message.isError) block.is_error = true;
  return block;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Assistant history blocks. Thinking keeps its signature (same-model replay; `prepareHistory` already turned
 * other models' reasoning into text), redacted thinking goes back opaque, server-tool blocks go back as
 * received, and thinking without a signature (which the API would reject) is left out.
 */
function assistantBlocks(message: AssistantMessage): Block[] {
  const blocks: Block[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      const raw = block.providerData?.anthropicBlock;
      if (typeof raw === 'object' && raw !== null) blocks.push(raw as Block);
      else if (block.text !== '') blocks.push({ type: 'text', text: block.text });
    } else if (block.type === 'thinking') {
      const data = str(block.providerData?.data);
      const signature = str(block.providerData?.signature);
      if (block.redacted && data !== undefined) blocks.push({ type: 'redacted_thinking', data });
      else if (signature) blocks.push({ type: 'thinking', thinking: block.thinking, signature });
    } else {
      blocks.push({ type: 'tool_use', id: block.id, name: block.name, input: block.arguments });
    }
  }
  return blocks;
}

/**
 * Wire messages with strictly alternating roles: consecutive messages of one role are merged (tool results
 * of one turn become one user message whose `tool_result` blocks come first), empty ones are dropped, and a
 * history that starts with the assistant gets a short user turn first (the API requires `user` first).
 */
function wireMessages(messages: Message[], warn: (text: string) => void): WireMessage[] {
  const out: WireMessage[] = [];
  const push = (role: 'user' | 'assistant', content: Block[]) => {
    if (content.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const message of messages) {
    if (message.role === 'user') push('user', userBlocks(message.content));
    else if (message.role === 'toolResult') push('user', [toolResultBlock(message)]);
    else push('assistant', assistantBlocks(message));
  }
  if (out[0]?.role === 'assistant') {
    out.unshift({ role: 'user', content: [{ type: 'text', text: '(continued)' }] });
    warn('the history started with an assistant message; a "(continued)" user turn was put first');
  }
  return out;
}

function cacheControl(retention: StreamOptions['cacheRetention']): Block | undefined {
  if (retention === 'none') return undefined;
  return retention === 'long' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
}

function markLast(blocks: Block[] | undefined, control: Block): void {
  const last = blocks?.[blocks.length - 1];
  if (last && last.type !== 'thinking' && last.type !== 'redacted_thinking') last.cache_control = control;
}

interface Sampling {
  maxTokens: number;
  budget: number | undefined;
}

/** `max_tokens` (required) and the thinking budget, which must stay below it and at or above 1,024. */
function sampling(
  model: Model,
  options: StreamOptions,
  compat: AnthropicMessagesCompat,
  warn: (t: string) => void,
): Sampling {
  const explicit = validMaxTokens(options.maxTokens);
  let maxTokens = explicit ?? model.maxOutputTokens ?? compat.defaultMaxTokens;
  const level = options.reasoning;
  if (level === undefined || level === 'off') return { maxTokens, budget: undefined };
  const modelWarning = reasoningUnsupportedByModel(model, level);
  if (modelWarning) {
    warn(modelWarning);
    return { maxTokens, budget: undefined };
  }
  if (!compat.extendedThinking) {
    warn(`reasoning "${level}" was not sent: this server does not support extended thinking`);
    return { maxTokens, budget: undefined };
  }
  let budget = thinkingBudget(level, options.thinkingBudgets) ?? MIN_THINKING_BUDGET;
  if (explicit === undefined && maxTokens <= budget) {
    maxTokens = Math.min(budget + compat.defaultMaxTokens, model.maxOutputTokens ?? Number.POSITIVE_INFINITY);
  }
  if (budget >= maxTokens) budget = maxTokens - 1;
  if (budget < MIN_THINKING_BUDGET) {
    warn(
      `reasoning "${level}" was not sent: max_tokens ${maxTokens} leaves no room for the 1024-token minimum thinking budget`,
    );
    return { maxTokens, budget: undefined };
  }
  return { maxTokens, budget };
}

function toolChoice(options: StreamOptions, thinking: boolean, warn: (t: string) => void): Block | undefined {
  const choice = options.toolChoice;
  let wire: Block | undefined;
  if (choice === 'auto') wire = { type: 'auto' };
  else if (choice === 'none') wire = { type: 'none' };
  else if (choice === 'required') wire = { type: 'any' };
  else if (choice !== undefined) wire = { type: 'tool', name: choice.name };
  if (thinking && (wire?.type === 'any' || wire?.type === 'tool')) {
    warn('a forced tool choice is not allowed with extended thinking; sent tool_choice auto');
    wire = { type: 'auto' };
  }
  if (options.parallelToolCalls === false) {
    wire ??= { type: 'auto' };
    if (wire.type !== 'none') wire.disable_parallel_tool_use = true;
  }
  return wire;
}

function systemText(context: Context, options: StreamOptions, warn: (t: string) => void): string {
  const parts = context.systemPrompt ? [context.systemPrompt] : [];
  const format = options.responseFormat;
  if (format?.type === 'json_schema') {
    parts.push(
      `Answer with one JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(wireJsonSchema(format.schema))}`,
    );
    warn(
      'responseFormat json_schema is not supported by Anthropic Messages; the schema was put in the system prompt',
    );
  } else if (format?.type === 'json_object') {
    parts.push('Answer with one JSON object and nothing else.');
    warn(
      'responseFormat json_object is not supported by Anthropic Messages; asked for JSON in the system prompt',
    );
  }
  return parts.join('\n\n');
}

/**
 * Builds the Anthropic Messages request body: system prompt, alternating messages (thinking with
 * signatures, redacted thinking, `tool_use`, `tool_result` with images), tools, `tool_choice`,
 * `max_tokens` (required; from the options, the model record or the compat default), sampling, stop
 * sequences, thinking budgets and prompt-cache breakpoints. Settings the server cannot honour are dropped or
 * downgraded with a warning.
 *
 * Source: https://docs.anthropic.com/en/api/messages
 * @throws {InvalidArgumentError} for malformed input (bad `maxTokens`, an image without data or URL).
 */
export function buildAnthropicRequest(
  model: Model,
  context: Context,
  options: StreamOptions,
  compat: AnthropicMessagesCompat,
): BuiltAnthropicRequest {
  const warnings: string[] = [];
  const warn = (text: string) => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const history = prepareHistory(context.messages, model, {
    ...(options.foreignThinking !== undefined && { foreignThinking: options.foreignThinking }),
  });
  for (const w of history.warnings) warn(w);
  const { maxTokens, budget } = sampling(model, options, compat, warn);
  const control = compat.promptCaching ? cacheControl(options.cacheRetention) : undefined;
  if (!compat.promptCaching && options.cacheRetention !== undefined && options.cacheRetention !== 'none')
    warn('prompt caching is not supported by this server; no cache_control was sent');

  const body: Record<string, unknown> = { model: model.id, max_tokens: maxTokens };
  const system = systemText(context, options, warn);
  if (system !== '')
    body.system = control ? [{ type: 'text', text: system, cache_control: control }] : system;
  const messages = wireMessages(history.messages, warn);
  if (control) {
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    markLast(lastUser?.content, control);
  }
  body.messages = messages;
  if (context.tools && context.tools.length > 0) {
    const tools: Block[] = context.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description && { description: tool.description }),
      input_schema: tool.parameters,
    }));
    if (control) markLast(tools, control);
    body.tools = tools;
  }
  const choice = toolChoice(options, budget !== undefined, warn);
  if (choice) body.tool_choice = choice;
  if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    if (options.temperature !== undefined && options.temperature !== 1)
      warn('temperature is not allowed with extended thinking and was not sent');
    if (options.topP !== undefined && options.topP < 0.95)
      warn('top_p below 0.95 is not allowed with extended thinking and was not sent');
    else if (options.topP !== undefined) body.top_p = options.topP;
  } else {
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
  }
  if (options.stop !== undefined && options.stop.length > 0) body.stop_sequences = options.stop;
  if (options.seed !== undefined) warn('seed is not supported by Anthropic Messages and was not sent');
  body.stream = options.streaming !== false;
  const extra = options.providerOptions?.['anthropic-messages'];
  if (extra) Object.assign(body, extra);
  return { body, warnings };
}
