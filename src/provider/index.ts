/**
 * `open-agent-sdk/provider`: the kit for writing a provider (a wire protocol) on the SDK's request layer
 * and stream driver. See docs/writing-a-provider.md.
 *
 * - {@link defineProvider}: one definition (`api`, `defaultCompat`, `buildRequest`, `createEventHandler`)
 *   becomes a stream function with retries, time limits, abort, redaction and the event grammar built in.
 * - {@link MessageBuilder}: what an event handler feeds (text, thinking, tool calls, usage, finish).
 * - {@link createRegistry} / `registerProvider` / `registerPreset`: where providers and presets live.
 * - {@link resolveCompatFor}: the one compat resolver (model record > probed > preset > defaults).
 * - Decoders and request builders of the built-in providers, for reuse.
 *
 * @packageDocumentation
 */

export { NdjsonDecoder, type NdjsonDecoderOptions } from '../http/ndjson.js';
export { SseDecoder, type SseDecoderOptions, type SseEvent } from '../http/sse.js';
export { PresetTable } from '../presets/preset-table.js';
export { registerPreset } from '../presets/presets.js';
export {
  anthropicMessagesProvider,
  buildAnthropicRequest,
  resolveAnthropicCompat,
} from '../providers/anthropic-messages/index.js';
export {
  defineProvider,
  type HandlerInput,
  isDefinedProvider,
  type Provider,
  type ProviderDefinition,
  type ProviderRequest,
  type RequestInput,
  type StreamFunction,
} from '../providers/define.js';
export {
  buildOllamaRequest,
  DEFAULT_OLLAMA_CHAT_COMPAT,
  type OllamaChatCompat,
  ollamaChatProvider,
} from '../providers/ollama-chat/index.js';
export {
  buildRequest as buildOpenAIChatRequest,
  openAIChatProvider,
  resolveCompat,
} from '../providers/openai-chat/index.js';
export {
  buildResponsesRequest,
  openAIResponsesProvider,
  resolveResponsesCompat,
} from '../providers/openai-responses/index.js';
export {
  createRegistry,
  getProvider,
  globalRegistry,
  type Registry,
  registerProvider,
} from '../providers/registry.js';
export { resolveCompatFor } from '../providers/resolve-compat.js';
export type { EndResult, ResponseHandler } from '../providers/shared/response-handler.js';
export { transformMessages } from '../providers/shared/transform-messages.js';
export type { FinishInfo, MessageBuilder, ToolCallState } from '../stream/message-builder.js';
export { emptyUsage } from '../types/usage.js';
