import type { NativeSchemaField, StructuredRung } from '../output/rungs.js';
import type { OllamaChatCompat } from '../providers/ollama-chat/compat.js';

/**
 * Behaviour flags for a server that speaks OpenAI Chat Completions. Every quirk of a local or hosted
 * server is handled here, not in code paths keyed by vendor. Resolved from (first wins): the model
 * record's `compat`, probed server facts, the preset, {@link DEFAULT_OPENAI_CHAT_COMPAT}.
 *
 * There is no flag for merging system messages: requests always carry exactly one system message, at
 * index 0, because Jinja chat templates (llama.cpp, vLLM, LM Studio) reject a second one.
 */
export interface OpenAIChatCompat {
  /** Role used for the system prompt. OpenAI reasoning models prefer `developer`; most local servers reject it. */
  systemRole: 'system' | 'developer';
  /** Request field for the output token limit. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Send `stream_options: { include_usage: true }` (servers that reject unknown fields need `false`). */
  usageInStream: boolean;
  /** Forward `strict: true` on tool schemas when a tool asks for it. */
  strictTools: boolean;
  /** The server honours `tool_choice`. */
  toolChoice: boolean;
  /** The server honours `parallel_tool_calls`. */
  parallelToolCalls: boolean;
  /** Best structured-output mode the server supports: JSON Schema, JSON object, or none. */
  responseFormat: 'json_schema' | 'json_object' | 'none';
  /** The server honours `reasoning_effort`. */
  reasoningEffort: boolean;
  /** Field used when replaying reasoning on assistant history (`replayReasoning`). */
  reasoningField: 'reasoning_content' | 'reasoning';
  /** Send earlier reasoning back on assistant messages (some servers need it between tool calls). */
  replayReasoning: boolean;
  /** Treat `<think>…</think>` at the start of the content as reasoning. */
  thinkTags: boolean;
  /**
   * The structured-output ladder of this server, best first (rungs the server rejects or ignores are left
   * out; `responseFormat` still caps it). The first rung is used; a probe (`probe({ structured: true })`)
   * drops the rungs it saw ignored. Table: `src/presets/structured-ladder.ts`.
   */
  structuredRungs: readonly StructuredRung[];
  /** The server's native JSON Schema field, used by the `native` rung. */
  nativeSchemaField: NativeSchemaField;
  /**
   * The server applies a grammar (schema constraint) while tools are offered. `false` (llama.cpp: "Cannot
   * use custom grammar constraints with tools") sends the schema in the prompt on turns with tools; the
   * agent's final-output repair turn is then sent without tools.
   */
  grammarWithTools: boolean;
  /**
   * Send the smallest body: leave out optional fields whose value is the server's default
   * (`stream_options`, `tool_choice: "auto"`, `parallel_tool_calls: true`), for servers that reject
   * fields they do not know. Alias: `VLLM_MIN_PAYLOAD`.
   */
  minimalPayload: boolean;
  /**
   * `tool_choice` sent on requests with tools when the call does not set one (`unset`: none sent).
   * Alias: `VLLM_TOOL_CHOICE`.
   */
  defaultToolChoice: 'unset' | 'auto' | 'none' | 'required';
  /**
   * Send `parallel_tool_calls: false` on requests with tools when the call does not set it.
   * Alias: `VLLM_DISABLE_PARALLEL_TOOL_CALLS`.
   */
  disableParallelToolCalls: boolean;
  /**
   * Send the tools to the server. `false` sends no `tools` (nor `tool_choice`, `parallel_tool_calls`), with
   * a warning, for servers whose tool parser breaks requests. Alias: `VLLM_DISABLE_TOOLS_IN_LLM=1`.
   */
  sendTools: boolean;
  /**
   * Speak the legacy function-calling shape (before `tools`, 2023): send `functions` / `function_call`
   * instead of `tools` / `tool_choice`, assistant calls as `function_call` and results as
   * `{ role: 'function', name, content }`. The shape carries one call per assistant message, so a turn
   * with several calls is sent as consecutive assistant/function pairs. Responses with
   * `delta.function_call` / `message.function_call` are read whatever this flag says.
   * @default false
   */
  legacyFunctions: boolean;
  /**
   * Parse raw Harmony tokens (`<|channel|>analysis<|message|>…`) in the content, as gpt-oss servers that do
   * not parse them pass them through: `analysis` becomes thinking, `final` text, a message
   * `to=functions.NAME` a tool call. `'auto'` parses only when the content starts with `<|channel|>` or
   * `<|start|>`; `true` always; `false` never (the tokens stay text).
   * @default 'auto'
   */
  harmonyTokens: 'auto' | boolean;
  /**
   * Send `StreamOptions.promptCacheKey` as `prompt_cache_key` (prompt-cache routing affinity; OpenAI).
   * Off for other servers, which may reject the unknown field.
   * @default false
   */
  sendPromptCacheKey: boolean;
}

/**
 * Safe defaults for an unknown OpenAI-compatible server: `system` role, `max_tokens`, no `strict`, usage
 * requested in streams, `<think>` tags parsed, tools sent, no default `tool_choice` or
 * `parallel_tool_calls`.
 */
export const DEFAULT_OPENAI_CHAT_COMPAT: Readonly<OpenAIChatCompat> = Object.freeze({
  systemRole: 'system',
  maxTokensField: 'max_tokens',
  usageInStream: true,
  strictTools: false,
  toolChoice: true,
  parallelToolCalls: true,
  responseFormat: 'json_schema',
  reasoningEffort: false,
  reasoningField: 'reasoning_content',
  replayReasoning: false,
  thinkTags: true,
  structuredRungs: ['json_schema', 'json_object', 'prompt'] as readonly StructuredRung[],
  nativeSchemaField: 'none',
  grammarWithTools: true,
  minimalPayload: false,
  defaultToolChoice: 'unset',
  disableParallelToolCalls: false,
  sendTools: true,
  legacyFunctions: false,
  harmonyTokens: 'auto',
  sendPromptCacheKey: false,
});

/**
 * Behaviour flags for a server that speaks Anthropic Messages (`POST /v1/messages`): api.anthropic.com and
 * Anthropic-compatible gateways. Resolved like {@link OpenAIChatCompat}; defaults in
 * {@link DEFAULT_ANTHROPIC_MESSAGES_COMPAT}.
 *
 * Source: https://docs.anthropic.com/en/api/messages (headers, `thinking`, `cache_control`).
 */
export interface AnthropicMessagesCompat {
  /** How the key is sent: `x-api-key` (api.anthropic.com) or `Authorization: Bearer` (some gateways). */
  authHeader: 'x-api-key' | 'bearer';
  /** Value of the `anthropic-version` header. */
  anthropicVersion: string;
  /** Values joined into the `anthropic-beta` header (none by default). */
  betas: string[];
  /** The server honours `thinking: { type: 'enabled', budget_tokens }`. */
  extendedThinking: boolean;
  /** The server accepts `cache_control` on system, tool and message blocks. */
  promptCaching: boolean;
  /** `max_tokens` (required by the API) when neither the options nor the model record give one. */
  defaultMaxTokens: number;
}

/** Defaults for api.anthropic.com: `x-api-key`, version `2023-06-01`, thinking and prompt caching on. */
export const DEFAULT_ANTHROPIC_MESSAGES_COMPAT: Readonly<AnthropicMessagesCompat> = Object.freeze({
  authHeader: 'x-api-key',
  anthropicVersion: '2023-06-01',
  betas: [],
  extendedThinking: true,
  promptCaching: true,
  defaultMaxTokens: 4096,
});

/**
 * Behaviour flags for a server that speaks OpenAI Responses (`POST /v1/responses`): api.openai.com, Azure,
 * LM Studio, OpenRouter and other compatible servers. The flags `strictTools`, `toolChoice`,
 * `parallelToolCalls`, `responseFormat` and `reasoningEffort` mean the same as in {@link OpenAIChatCompat}.
 *
 * Source: https://platform.openai.com/docs/api-reference/responses/create
 */
export interface OpenAIResponsesCompat {
  /** Forward `strict: true` on tool schemas when a tool asks for it (else `strict: false` is sent). */
  strictTools: boolean;
  /** The server honours `tool_choice`. */
  toolChoice: boolean;
  /** The server honours `parallel_tool_calls`. */
  parallelToolCalls: boolean;
  /** Best structured-output mode (`text.format`): JSON Schema, JSON object, or none. */
  responseFormat: 'json_schema' | 'json_object' | 'none';
  /** The server honours `reasoning.effort`. */
  reasoningEffort: boolean;
  /** `reasoning.summary` sent with an effort (`none`: not sent). */
  reasoningSummary: 'auto' | 'concise' | 'detailed' | 'none';
  /** Send `store: false` so nothing is kept server-side (servers that reject the field need `false`). */
  statelessStore: boolean;
  /** Ask for `include: ["reasoning.encrypted_content"]` on reasoning models, to replay reasoning statelessly. */
  encryptedReasoning: boolean;
  /** Send `StreamOptions.promptCacheKey` as `prompt_cache_key` (OpenAI). @default false */
  sendPromptCacheKey: boolean;
}

/** Defaults for an unknown Responses server: no strict tools, stateless, encrypted reasoning requested. */
export const DEFAULT_OPENAI_RESPONSES_COMPAT: Readonly<OpenAIResponsesCompat> = Object.freeze({
  strictTools: false,
  toolChoice: true,
  parallelToolCalls: true,
  responseFormat: 'json_schema',
  reasoningEffort: true,
  reasoningSummary: 'auto',
  statelessStore: true,
  encryptedReasoning: true,
  sendPromptCacheKey: false,
});

/**
 * Compat overrides on a model record or preset: any subset of the flags of every wire protocol (each
 * provider reads the flags of its own profile; shared names mean the same thing).
 */
export type ModelCompat = Partial<
  OpenAIChatCompat & AnthropicMessagesCompat & OpenAIResponsesCompat & OllamaChatCompat
>;
