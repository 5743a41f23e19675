import type { ModelCompat } from './compat.js';
import type { Api } from './message.js';

/** Prices in USD per million tokens. */
export interface ModelCost {
  /** USD per 1M uncached input tokens. */
  input: number;
  /** USD per 1M output tokens. */
  output: number;
  /** USD per 1M cache-read tokens. */
  cacheRead: number;
  /** USD per 1M cache-write tokens. */
  cacheWrite: number;
}

/**
 * A model on a server. Servers and vendors are data: a base URL, headers and a compat profile.
 *
 * `baseUrl` includes the version path (`http://localhost:11434/v1`); the SDK appends
 * `/chat/completions`.
 */
export interface Model {
  /** Model id as the server knows it (`qwen3:8b`, `gpt-4o-mini`). */
  id: string;
  /** Wire protocol. */
  api: Api;
  /** Provider or preset name (`ollama`, `lmstudio`, `openai`, `custom`, ...). */
  provider: string;
  /** Base URL including the version path, e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  /** Extra headers sent with every request (never logged). */
  headers?: Record<string, string>;
  /** Context window in tokens, when known. */
  contextWindow?: number;
  /** Largest output in tokens, when known. */
  maxOutputTokens?: number;
  /**
   * Input kinds the model accepts. When absent, images are sent and the server decides; list `['text']`
   * for a text-only model to get a placeholder and a warning instead.
   */
  input?: ('text' | 'image')[];
  /** The model produces reasoning and accepts a reasoning effort. */
  reasoning?: boolean;
  /** Prices, USD per million tokens, for `usage.cost`. */
  cost?: ModelCost;
  /** Behaviour flags overriding the preset's. */
  compat?: ModelCompat;
  /**
   * Most concurrent requests the server serves (its parallel slots), used as the default of
   * `StreamOptions.maxConcurrentRequests`. `applyProfile` fills it from a probe (llama.cpp `/props`
   * `total_slots`). @default no limit
   */
  maxConcurrentRequests?: number;
}
