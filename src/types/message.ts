import type { AssistantContent, ImageContent, TextContent, UserContent } from './content.js';
import type { Usage } from './usage.js';

/**
 * Why an assistant turn ended.
 * - `stop`: the model finished (or hit a stop sequence).
 * - `length`: the output token limit was reached.
 * - `toolUse`: the model asked for tool calls (decided by the presence of tool calls, not by the
 *   server's finish reason: Ollama reports `stop`).
 * - `error`: the request or stream failed, or the server filtered the output; see `errorMessage`.
 * - `aborted`: the caller aborted or stopped reading.
 */
export type StopReason = 'stop' | 'length' | 'toolUse' | 'error' | 'aborted';

/**
 * The wire protocols the SDK ships a provider for. This list is the one place they are named: the config
 * schema, the provider registry and the presets read it.
 */
export const BUILTIN_APIS = ['openai-chat', 'openai-responses', 'anthropic-messages', 'ollama-chat'] as const;

/** A wire protocol the SDK ships a provider for (see {@link BUILTIN_APIS}). */
export type BuiltinApi = (typeof BUILTIN_APIS)[number];

/**
 * A wire protocol: a built-in one, or any name a provider registered with `registerProvider` or a scoped
 * registry (`createRegistry()`) answers for (e.g. `'ollama-chat'`, `'scripted'`). Open, so plugins and
 * in-process engines add protocols without changing this type; the built-in names still autocomplete.
 */
export type Api = BuiltinApi | (string & {});

/** A message from the user. */
export interface UserMessage {
  role: 'user';
  /** Plain text, or text and image parts. */
  content: string | UserContent[];
  /** When the message was created, ms since the Unix epoch. */
  timestamp?: number;
}

/** A model response. Plain JSON: it can be stored and replayed to any provider. */
export interface AssistantMessage {
  role: 'assistant';
  /** Text, thinking and tool-call blocks in the order the model produced them. */
  content: AssistantContent[];
  /** Wire protocol that produced it. */
  api: Api;
  /** Provider name from the model record (`ollama`, `openai`, ...). */
  provider: string;
  /** Model id as requested (the server's reported model, if different, is not used). */
  model: string;
  /** Server response id, when sent. */
  responseId?: string;
  /** Token usage of this call. */
  usage: Usage;
  /** Why the turn ended. */
  stopReason: StopReason;
  /** The server's own finish reason (`stop`, `tool_calls`, `end_turn`, ...), when sent. */
  rawStopReason?: string;
  /** What went wrong, for `error` and `aborted`. Never contains API keys. */
  errorMessage?: string;
  /** When the response started, ms since the Unix epoch. */
  timestamp: number;
  /**
   * The answer parsed and validated against `responseFormat.schema` (set by `complete()` only when the
   * JSON value extracted from the text passes the schema).
   */
  parsed?: unknown;
}

/** The result of running a tool, sent back to the model. */
export interface ToolResultMessage {
  role: 'toolResult';
  /** Id of the tool call this answers. */
  toolCallId: string;
  /** Name of the tool that ran. */
  toolName: string;
  /** Result content (text and images). */
  content: (TextContent | ImageContent)[];
  /** True when the tool failed or was refused; the content says why. */
  isError: boolean;
  /** When the result was produced, ms since the Unix epoch. */
  timestamp?: number;
}

/** Any message the model sees. */
export type Message = UserMessage | AssistantMessage | ToolResultMessage;
