/**
 * Open Agent SDK: one streaming client for local model servers (Ollama, LM Studio, llama.cpp, vLLM) and
 * cloud APIs, keyed by wire protocol.
 *
 * @packageDocumentation
 */

export * from './agent/index.js';
export * from './context/index.js';
export { type DebugSink, debugEnabled, enableDebug } from './debug/debug.js';
export * from './errors/index.js';
export { DEFAULT_LIMITS, type StreamLimits } from './http/limits.js';
export {
  isSecretHeader,
  REDACTED,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  requestSecrets,
} from './http/redact.js';
export { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_MS, type RetryOptions } from './http/retry.js';
export { DEFAULT_TIMEOUTS, type TimeoutOptions } from './http/timeouts.js';
export {
  type ImageDetail,
  type ImageOptions,
  imageFromBase64,
  imageFromUrl,
} from './images/image-content.js';
export { IMAGE_MIME_TYPES, imageMimeType } from './images/mime.js';
export * from './multi/index.js';
export * from './output/index.js';
export * from './plugins/index.js';
export { getEnvApiKey } from './presets/env-api-key.js';
export * from './presets/index.js';
export { applyProfile, type ProbeOptions, probe } from './presets/probe.js';
export {
  DEFAULT_PROBE_TTL_MS,
  MemoryProbeCache,
  type ProbeCache,
  probeCacheKey,
} from './presets/probe-cache.js';
export {
  type DiscoverOptions,
  discoverLocalServers,
  LOCAL_PROBE_HOST,
  type LocalPort,
  STANDARD_LOCAL_PORTS,
} from './presets/probe-local.js';
export { checkStructured, PROBE_SCHEMA, type StructuredCheck } from './presets/probe-structured.js';
export type { ProbedModel, ServerKind, ServerProfile } from './presets/probe-types.js';
export { streamAnthropicMessages } from './providers/anthropic-messages/index.js';
export {
  defineProvider,
  type HandlerInput,
  type Provider,
  type ProviderDefinition,
  type ProviderRequest,
  type RequestInput,
} from './providers/define.js';
export { streamOpenAIChat } from './providers/openai-chat/index.js';
export { streamOpenAIResponses } from './providers/openai-responses/index.js';
export {
  createRegistry,
  getProvider,
  globalRegistry,
  type Registry,
  registerProvider,
  type StreamFunction,
} from './providers/registry.js';
export { isSameModel, PORTABLE_TOOL_CALL_ID, prepareHistory } from './providers/shared/cross-provider.js';
export { DEFAULT_THINKING_BUDGETS } from './providers/shared/reasoning.js';
export { getSupportedThinkingLevels, type ThinkingLevel } from './providers/thinking-levels.js';
export { MemoryStore } from './sessions/memory-store.js';
export type * from './sessions/store.js';
export { AssistantStream } from './stream/assistant-stream.js';
export type { ResultSource } from './stream/result-stream.js';
export { complete, stream } from './stream.js';
export * from './tools/index.js';
export * from './types/index.js';
