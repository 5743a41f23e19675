import { wireJsonSchema } from '../../output/schema.js';
import type { ImageContent, TextContent } from '../../types/content.js';
import type { Context } from '../../types/context.js';
import type { AssistantMessage } from '../../types/message.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { prepareHistory } from '../shared/cross-provider.js';
import { IMAGE_PLACEHOLDER, imageSource } from '../shared/images.js';
import { reasoningUnsupportedByModel } from '../shared/reasoning.js';
import { setTemperatureAndTopP, validMaxTokens } from '../shared/sampling.js';
import type { OllamaChatCompat } from './compat.js';

/** Marks, in a tool call's `providerData`, an id the SDK generated (never sent back to the server). */
export const GENERATED_ID = 'ollamaGeneratedId';

type WireMessage = Record<string, unknown>;

/** Text joined with newlines, and base64 images (no `data:` prefix: Ollama's `images` field). */
function split(parts: readonly (TextContent | ImageContent)[], warn: (text: string) => void) {
  const text: string[] = [];
  const images: string[] = [];
  for (const part of parts) {
    if (part.type === 'text') text.push(part.text);
    else {
      const source = imageSource(part);
      if (source.kind === 'base64') images.push(source.data);
      else {
        text.push(IMAGE_PLACEHOLDER);
        warn(
          'an image URL was replaced by a text placeholder: Ollama takes base64 images only (set inlineImageUrls)',
        );
      }
    }
  }
  return { content: text.join('\n'), ...(images.length > 0 && { images }) };
}

/** Ids the server gave (same API, not generated): the only ones sent back. */
function serverIds(message: AssistantMessage, ids: Set<string>): void {
  if (message.api !== 'ollama-chat') return;
  for (const b of message.content)
    if (b.type === 'toolCall' && b.providerData?.[GENERATED_ID] !== true) ids.add(b.id);
}

function assistant(message: AssistantMessage, ids: Set<string>): WireMessage {
  let content = '';
  let thinking = '';
  const calls: WireMessage[] = [];
  for (const b of message.content) {
    if (b.type === 'text') content += b.text;
    else if (b.type === 'thinking') thinking += b.thinking;
    else {
      const fn = { name: b.name, arguments: b.arguments };
      calls.push(ids.has(b.id) ? { id: b.id, function: fn } : { function: fn });
    }
  }
  return {
    role: 'assistant',
    content,
    ...(thinking !== '' && { thinking }),
    ...(calls.length > 0 && { tool_calls: calls }),
  };
}

function messages(model: Model, context: Context, options: StreamOptions, warn: (t: string) => void) {
  const out: WireMessage[] = [];
  if (context.systemPrompt) out.push({ role: 'system', content: context.systemPrompt });
  const history = prepareHistory(context.messages, model, {
    ...(options.foreignThinking !== undefined && { foreignThinking: options.foreignThinking }),
  });
  for (const w of history.warnings) warn(w);
  const ids = new Set<string>();
  for (const m of history.messages) {
    if (m.role === 'user') {
      out.push({
        role: 'user',
        ...(typeof m.content === 'string' ? { content: m.content } : split(m.content, warn)),
      });
    } else if (m.role === 'assistant') {
      serverIds(m, ids);
      out.push(assistant(m, ids));
    } else {
      const id = ids.has(m.toolCallId) ? { tool_call_id: m.toolCallId } : {};
      out.push({ role: 'tool', tool_name: m.toolName, ...id, ...split(m.content, warn) });
    }
  }
  return out;
}

/** `think`: `false` for `off`, else `true` or a level; nothing when the caller did not ask. */
function think(model: Model, options: StreamOptions, compat: OllamaChatCompat, warn: (t: string) => void) {
  const level = options.reasoning;
  const unsupported = reasoningUnsupportedByModel(model, level);
  if (unsupported) warn(unsupported);
  if (level === undefined || unsupported) return undefined;
  if (level === 'off') return false;
  return compat.thinkLevels ? (level === 'minimal' ? 'low' : level) : true;
}

/** `options`: `num_ctx`, `num_predict` and the sampling settings Ollama reads. */
function modelOptions(model: Model, options: StreamOptions, compat: OllamaChatCompat) {
  const out: Record<string, unknown> = {};
  if (compat.sendContextWindow && model.contextWindow !== undefined) out.num_ctx = model.contextWindow;
  const max = validMaxTokens(options.maxTokens);
  if (max !== undefined) out.num_predict = max;
  setTemperatureAndTopP(out, options);
  if (options.stop !== undefined && options.stop.length > 0) out.stop = options.stop;
  if (options.seed !== undefined) out.seed = options.seed;
  return out;
}

/**
 * Builds the body of `POST /api/chat`. `providerOptions['ollama-chat']` is merged last (its `options`
 * into `options`), e.g. `{ keep_alive: '30m', options: { num_gpu: 20 } }`.
 *
 * Source: ollama/ollama `api/types.go` (`ChatRequest`, `Message`, `ToolCall`, `Options`) and `docs/api.md`.
 * @throws {InvalidArgumentError} for a bad `maxTokens` or an image without data or URL.
 */
export function buildOllamaRequest(
  model: Model,
  context: Context,
  options: StreamOptions,
  compat: OllamaChatCompat,
): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (text: string) => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const body: Record<string, unknown> = {
    model: model.id,
    messages: messages(model, context, options, warn),
  };
  if (context.tools && context.tools.length > 0) {
    body.tools = context.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description && { description: t.description }),
        parameters: t.parameters,
      },
    }));
  }
  if (options.toolChoice !== undefined) warn('tool_choice is not supported by Ollama and was not sent');
  const thinkValue = think(model, options, compat, warn);
  if (thinkValue !== undefined) body.think = thinkValue;
  // Ollama's native grammar field (docs/capabilities/structured-outputs.mdx): `format: "json" | <schema>`.
  const format = options.responseFormat;
  if (format?.type === 'json_object') body.format = 'json';
  else if (format?.type === 'json_schema') {
    body.format = wireJsonSchema(format.schema);
    warn('structured output: used rung "native" (format with the JSON Schema)');
  }
  const { options: extraOptions, ...extra } = options.providerOptions?.['ollama-chat'] ?? {};
  body.options = { ...modelOptions(model, options, compat), ...(extraOptions as Record<string, unknown>) };
  body.stream = options.streaming !== false;
  Object.assign(body, extra);
  return { body, warnings };
}
