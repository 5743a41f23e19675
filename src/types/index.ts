export {
  type AnthropicMessagesCompat,
  DEFAULT_ANTHROPIC_MESSAGES_COMPAT,
  DEFAULT_OPENAI_CHAT_COMPAT,
  DEFAULT_OPENAI_RESPONSES_COMPAT,
  type ModelCompat,
  type OpenAIChatCompat,
  type OpenAIResponsesCompat,
} from './compat.js';
export type {
  AssistantContent,
  ImageContent,
  ProviderData,
  TextContent,
  ThinkingContent,
  ToolCall,
  UserContent,
} from './content.js';
export type { Context } from './context.js';
export type * from './events.js';
export type {
  Api,
  AssistantMessage,
  BuiltinApi,
  Message,
  StopReason,
  ToolResultMessage,
  UserMessage,
} from './message.js';
export { BUILTIN_APIS } from './message.js';
export type { Model, ModelCost } from './model.js';
export type {
  CacheRetention,
  ForeignThinking,
  InlineImageUrlsOptions,
  ReasoningLevel,
  ResponseFormat,
  StreamOptions,
  ThinkingBudgets,
  ToolChoice,
} from './options.js';
export type { JsonSchema, ToolSpec } from './tool.js';
export { addUsage, emptyUsage, type Usage, type UsageCost } from './usage.js';
