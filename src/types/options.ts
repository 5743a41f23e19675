import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { StreamLimits } from '../http/limits.js';
import type { RetryOptions } from '../http/retry.js';
import type { CredentialHook } from '../http/send.js';
import type { TimeoutOptions } from '../http/timeouts.js';
import type { JsonSchema } from './tool.js';

/** Reasoning effort. `off` asks the server not to reason where it can. */
export type ReasoningLevel = 'off' | 'minimal' | 'low' | 'medium' | 'high';

/** Which tool the model must use: `auto`, `none`, `required` (any tool), or one named tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * Output format: free text, any JSON object, or JSON matching a schema.
 *
 * Source: OpenAI Chat Completions `response_format`.
 */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name?: string;
      /**
       * A JSON Schema, or any Standard Schema (zod ≥ 4.2, Valibot, ArkType) converted to one before sending
       * (a schema that cannot be converted ends the call with an `InvalidArgumentError`).
       */
      schema: JsonSchema | StandardSchemaV1;
      strict?: boolean;
    };

/**
 * Anthropic thinking budgets per reasoning level, in tokens (`budget_tokens`; at least 1,024 and below
 * `max_tokens`). Missing levels use the defaults: minimal 1,024, low 2,048, medium 8,192, high 16,384.
 *
 * Source: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export type ThinkingBudgets = Partial<Record<Exclude<ReasoningLevel, 'off'>, number>>;

/**
 * Prompt-cache retention (Anthropic `cache_control`): `none` sends no breakpoints, `short` the default
 * 5-minute cache, `long` the 1-hour cache (`ttl: "1h"`).
 *
 * Source: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export type CacheRetention = 'none' | 'short' | 'long';

/**
 * What happens to reasoning produced by another provider or model when a conversation continues
 * elsewhere: `text` keeps it as text wrapped in `<thinking>` tags, `drop` removes it.
 */
export type ForeignThinking = 'text' | 'drop';

/** Limits for {@link StreamOptions.inlineImageUrls}. */
export interface InlineImageUrlsOptions {
  /** Largest image downloaded, in bytes. @default 10485760 (10 MiB) */
  maxBytes?: number;
  /** Time limit per image (headers and body), in ms. @default 15000 */
  timeoutMs?: number;
  /** Redirects followed per image (each hop is checked again). @default 3 */
  maxRedirects?: number;
}

/** Options of one model call. One object with few fields; settings a server cannot honour become warnings. */
export interface StreamOptions {
  /** Aborts the request and ends the stream with an `aborted` message. */
  signal?: AbortSignal;
  /**
   * API key, sent as `Authorization: Bearer …`. When absent, the preset's environment variable is used
   * only if the model's base URL has the preset's origin; with no key no `Authorization` header is sent.
   */
  apiKey?: string;
  /** Extra request headers (override the model's). */
  headers?: Record<string, string>;
  /** Output token limit, sent in the field the server wants (`max_tokens` or `max_completion_tokens`). */
  maxTokens?: number;
  /** Sampling temperature (0–2 for most servers). */
  temperature?: number;
  /** Nucleus sampling probability mass (0–1). */
  topP?: number;
  /** Stop sequences (up to 4 for OpenAI). */
  stop?: string[];
  /** Seed for reproducible sampling where the server supports it. */
  seed?: number;
  /** Reasoning effort, where the model and server support it. */
  reasoning?: ReasoningLevel;
  /** Tool choice. @default 'auto' (the server's default: the field is not sent) */
  toolChoice?: ToolChoice;
  /** Allow several tool calls in one response. Not sent unless set. */
  parallelToolCalls?: boolean;
  /** Structured output. */
  responseFormat?: ResponseFormat;
  /** Stream the response (Server-Sent Events). `false` sends one request and emits the same events. @default true */
  streaming?: boolean;
  /** Sees (and may replace, by returning a new object) the JSON request body just before it is sent. */
  // biome-ignore lint/suspicious/noConfusingVoidType: callbacks that only inspect the payload return nothing.
  onPayload?: (payload: Record<string, unknown>) => Record<string, unknown> | undefined | void;
  /** Sees the HTTP status and headers of the response (credentials never appear there). */
  onResponse?: (response: { status: number; headers: Record<string, string> }) => void;
  /**
   * Credential headers per attempt (e.g. a fresh OAuth bearer token), merged over the request's headers;
   * their values are scrubbed from errors. A `401` asks once more with `refresh: true` and retries at once
   * (a `retry` event with reason `HTTP 401, credentials refreshed`). See `CredentialHook`.
   */
  credentials?: CredentialHook;
  /** `fetch` implementation to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Extra body fields merged into the request last, keyed by API (`{ 'openai-chat': { top_k: 40 } }`). */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Retries of a failed request (HTTP 408, 409, 429, 5xx, connection errors), never once a response body
   * byte was received. Defaults: `maxRetries` 2 (env `OPEN_AGENT_MAX_RETRIES`), `baseMs` 500 (env
   * `OPEN_AGENT_RETRY_BASE_MS`; backoff `min(baseMs × 2^n, 8000)` ms minus up to 25 % jitter), a server's
   * `retry-after-ms` / `Retry-After` obeyed when 0–60 s. Each retry is a `retry` event.
   */
  retry?: RetryOptions;
  /**
   * Most requests open at once to this server's origin (`scheme://host:port`), across every call of this
   * process; more wait in line (first come, first served) and each waiting call emits a `queued` event.
   * A slot is held from sending a request until its response body ends (a streamed answer: until its
   * terminal event); a retry frees it during the backoff and queues again. An abort while waiting ends
   * the call as `aborted`. `Infinity` means no limit. Falls back to the env
   * `OPEN_AGENT_MAX_CONCURRENT_REQUESTS` (`none` = no limit), then to `model.maxConcurrentRequests`
   * (a probe fills it from llama.cpp's `total_slots`).
   * @default no limit
   * @throws an `error` event with `InvalidArgumentError` for a value that is not an integer ≥ 1 or `Infinity`.
   */
  maxConcurrentRequests?: number;
  /**
   * Time limits in ms: `connectMs` 10,000, `firstByteMs` 600,000 (model loading and prefill), `idleMs`
   * 120,000 between chunks, `totalMs` 1,800,000 for the whole call; env `OPEN_AGENT_*_TIMEOUT_MS`. A limit
   * that fires ends the call with a `TimeoutError` naming it.
   */
  timeouts?: TimeoutOptions;
  /**
   * Hostile-stream limits: one SSE event 16 MiB, 128 tool calls, 128 choices, 16 MiB of arguments per tool
   * call, JSON depth 128, 256 MiB per response. Exceeding one ends the call with a `StreamParseError`
   * (kind `limit`).
   */
  limits?: StreamLimits;
  /** Anthropic thinking budget per reasoning level (tokens). @default see {@link ThinkingBudgets} */
  thinkingBudgets?: ThinkingBudgets;
  /** Anthropic prompt-cache breakpoints on the system prompt, the tools and the last user turn. @default 'short' */
  cacheRetention?: CacheRetention;
  /**
   * Download `http(s)` image URLs and send them as base64 (local servers such as Ollama want base64). Off by
   * default: the SDK never fetches a URL the caller did not allow. Loopback, private and link-local
   * addresses are refused, also after a redirect. `true` uses the default limits.
   * @default false
   */
  inlineImageUrls?: boolean | InlineImageUrlsOptions;
  /** OpenAI Responses `previous_response_id`: continue a stored response (sends `store: true`). */
  previousResponseId?: string;
  /** Reasoning from another provider or model in the history. @default 'text' */
  foreignThinking?: ForeignThinking;
  /**
   * A stable key (e.g. a session id) sent as `prompt_cache_key` so requests sharing a prompt prefix reach
   * the same cache (OpenAI Chat Completions and Responses). Sent only where the compat flag
   * `sendPromptCacheKey` is on (the `openai` preset); ignored elsewhere. The agent fills it with the
   * session id when a run uses a session and no key is given.
   */
  promptCacheKey?: string;
}
