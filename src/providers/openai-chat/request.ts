import { structuredRequest } from '../../output/ladder.js';
import type { OpenAIChatCompat } from '../../types/compat.js';
import type { ImageContent, TextContent } from '../../types/content.js';
import type { Context } from '../../types/context.js';
import type { AssistantMessage, ToolResultMessage } from '../../types/message.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import type { ToolSpec } from '../../types/tool.js';
import { prepareHistory } from '../shared/cross-provider.js';
import { reasoningUnsupportedByModel } from '../shared/reasoning.js';
import { setTemperatureAndTopP, validMaxTokens } from '../shared/sampling.js';
import {
  functionMessage,
  imagePart,
  legacyTurn,
  toolMessage,
  toolResultBatch,
  type WireImagePart,
} from './tool-messages.js';

/** A built request body and the warnings about settings the server cannot honour. */
export interface BuiltRequest {
  /** JSON body for POST /chat/completions. */
  body: Record<string, unknown>;
  /** One line per setting that was dropped or downgraded. */
  warnings: string[];
}

type WirePart = { type: 'text'; text: string } | WireImagePart;

/** User content for the wire; images for text-only models were already replaced by `prepareHistory`. */
function userContent(content: string | (TextContent | ImageContent)[]): string | WirePart[] {
  if (typeof content === 'string') return content;
  const hasImage = content.some((p) => p.type === 'image');
  if (!hasImage) return content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return content.map(
    (part): WirePart => (part.type === 'text' ? { type: 'text', text: part.text } : imagePart(part)),
  );
}

/** The text of an assistant message, its `tool_calls` and the fields of replayed reasoning. */
function assistantParts(message: AssistantMessage, compat: OpenAIChatCompat) {
  let text = '';
  let thinking = '';
  const toolCalls: Record<string, unknown>[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') thinking += block.thinking;
    else {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.arguments) },
      });
    }
  }
  const extra: Record<string, unknown> = {};
  if (compat.replayReasoning && thinking !== '') extra[compat.reasoningField] = thinking;
  return { text, toolCalls, extra };
}

function assistantMessage(message: AssistantMessage, compat: OpenAIChatCompat): Record<string, unknown> {
  const { text, toolCalls, extra } = assistantParts(message, compat);
  const wire: Record<string, unknown> = {
    role: 'assistant',
    content: toolCalls.length > 0 && text === '' ? null : text,
  };
  if (toolCalls.length > 0) wire.tool_calls = toolCalls;
  return Object.assign(wire, extra);
}

function wireMessages(
  model: Model,
  context: Context,
  options: StreamOptions,
  compat: OpenAIChatCompat,
  systemExtra: string[],
  warn: (text: string) => void,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const system = [context.systemPrompt, ...systemExtra].filter((s): s is string => !!s && s.length > 0);
  // Exactly one system message, at index 0: Jinja chat templates reject any other layout.
  if (system.length > 0) out.push({ role: compat.systemRole, content: system.join('\n\n') });
  // The shared cross-provider step: failed turns dropped, orphaned calls answered, foreign reasoning as
  // <thinking> text, tool-call ids made portable, images replaced for text-only models.
  const history = prepareHistory(context.messages, model, {
    ...(options.foreignThinking !== undefined && { foreignThinking: options.foreignThinking }),
  });
  for (const w of history.warnings) warn(w);
  const messages = history.messages;
  /** The consecutive tool results starting at `from`. */
  const batchAt = (from: number): ToolResultMessage[] => {
    const batch: ToolResultMessage[] = [];
    for (let j = from; j < messages.length; j++) {
      const m = messages[j];
      if (m?.role !== 'toolResult') break;
      batch.push(m);
    }
    return batch;
  };
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as (typeof messages)[number];
    if (message.role === 'user') {
      out.push({ role: 'user', content: userContent(message.content) });
    } else if (message.role === 'assistant') {
      const parts = compat.legacyFunctions ? assistantParts(message, compat) : undefined;
      if (parts && parts.toolCalls.length > 0) {
        // One call per assistant message in the legacy shape: the turn and its results become pairs.
        const results = batchAt(i + 1);
        out.push(...legacyTurn(message, parts.text, parts.extra, results, model, warn));
        i += results.length;
      } else out.push(assistantMessage(message, compat));
    } else {
      const batch = batchAt(i);
      out.push(
        ...toolResultBatch(batch, model, warn, compat.legacyFunctions ? functionMessage : toolMessage),
      );
      i += batch.length - 1;
    }
  }
  return out;
}

/**
 * `tools` / `tool_choice` / `parallel_tool_calls`, or their legacy `functions` / `function_call` forms
 * (compat `legacyFunctions`). `tools` is what is sent (empty with compat `sendTools: false`); the defaults
 * of compat `defaultToolChoice` and `disableParallelToolCalls` apply, and `minimalPayload` leaves out the
 * values that are the server's defaults.
 */
function setTools(
  body: Record<string, unknown>,
  tools: readonly ToolSpec[],
  options: StreamOptions,
  compat: OpenAIChatCompat,
  warn: (text: string) => void,
): void {
  const legacy = compat.legacyFunctions;
  if (tools.length > 0) {
    const functions = tools.map((tool) => {
      const fn: Record<string, unknown> = { name: tool.name, parameters: tool.parameters };
      if (tool.description) fn.description = tool.description;
      if (tool.strict) {
        if (compat.strictTools && !legacy) fn.strict = true;
        else warn(`strict tool schemas are not supported by this server; sent "${tool.name}" without strict`);
      }
      return fn;
    });
    if (legacy) body.functions = functions;
    else body.tools = functions.map((fn) => ({ type: 'function', function: fn }));
  }
  const choice = toolChoiceOf(options, compat, tools.length > 0);
  if (choice !== undefined) {
    if (!compat.toolChoice) warn('tool_choice is not supported by this server and was not sent');
    else if (legacy) {
      if (choice === 'required')
        warn('tool_choice "required" cannot be sent as a legacy function_call and was not sent');
      else if (!(compat.minimalPayload && choice === 'auto'))
        body.function_call = typeof choice === 'string' ? choice : { name: choice.name };
    } else if (!(compat.minimalPayload && choice === 'auto')) {
      body.tool_choice =
        typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
    }
  }
  const parallel =
    options.parallelToolCalls ?? (compat.disableParallelToolCalls && tools.length > 0 ? false : undefined);
  if (parallel !== undefined && compat.sendTools) {
    if (!compat.parallelToolCalls || legacy)
      warn('parallel_tool_calls is not supported by this server and was not sent');
    else if (!(compat.minimalPayload && parallel)) body.parallel_tool_calls = parallel;
  }
}

/**
 * The `tool_choice` of a request: the call's, else the compat `defaultToolChoice` on requests with tools;
 * none when the tools are not sent (`sendTools: false`).
 */
function toolChoiceOf(
  options: StreamOptions,
  compat: OpenAIChatCompat,
  withTools: boolean,
): StreamOptions['toolChoice'] {
  if (!compat.sendTools) return undefined;
  if (options.toolChoice !== undefined) return options.toolChoice;
  return withTools && compat.defaultToolChoice !== 'unset' ? compat.defaultToolChoice : undefined;
}

/**
 * Builds the Chat Completions request body for a model, context and options, following the compat
 * profile. Settings the server cannot honour are dropped or downgraded with a warning.
 *
 * Source: https://platform.openai.com/docs/api-reference/chat/create
 * @throws {InvalidArgumentError} for malformed input (an image without data or URL).
 */
export function buildRequest(
  model: Model,
  context: Context,
  options: StreamOptions,
  compat: OpenAIChatCompat,
): BuiltRequest {
  const warnings: string[] = [];
  const warn = (text: string) => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const systemExtra: string[] = [];
  const body: Record<string, unknown> = { model: model.id };
  const streaming = options.streaming !== false;

  // The structured-output ladder (src/output/ladder.ts): one rung per request, chosen from the compat flags.
  // Compat `sendTools: false` (VLLM_DISABLE_TOOLS_IN_LLM): no tools, nor the fields about them.
  const tools = compat.sendTools ? (context.tools ?? []) : [];
  if (!compat.sendTools && (context.tools?.length ?? 0) > 0)
    warn('tools were not sent: the compat flag sendTools is false');
  const structured = structuredRequest(options.responseFormat, compat, tools.length > 0);
  if (structured) {
    Object.assign(body, structured.fields);
    systemExtra.push(...structured.systemExtra);
    warn(structured.warning);
  }

  body.messages = wireMessages(model, context, options, compat, systemExtra, warn);

  setTools(body, tools, options, compat, warn);
  setTemperatureAndTopP(body, options);
  if (options.stop !== undefined && options.stop.length > 0) body.stop = options.stop;
  if (options.seed !== undefined) body.seed = options.seed;
  const maxTokens = validMaxTokens(options.maxTokens);
  if (maxTokens !== undefined) body[compat.maxTokensField] = maxTokens;
  const modelCannotReason = reasoningUnsupportedByModel(model, options.reasoning);
  if (modelCannotReason) warn(modelCannotReason);
  else if (options.reasoning !== undefined) {
    if (compat.reasoningEffort)
      body.reasoning_effort = options.reasoning === 'off' ? 'none' : options.reasoning;
    else warn(`reasoning effort "${options.reasoning}" is not supported by this server and was not sent`);
  }
  body.stream = streaming;
  if (streaming && compat.usageInStream && !compat.minimalPayload)
    body.stream_options = { include_usage: true };
  if (options.promptCacheKey !== undefined && compat.sendPromptCacheKey)
    body.prompt_cache_key = options.promptCacheKey;
  const extra = options.providerOptions?.['openai-chat'];
  if (extra) Object.assign(body, extra);
  return { body, warnings };
}
