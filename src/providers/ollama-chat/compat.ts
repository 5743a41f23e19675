/**
 * Behaviour flags for a server that speaks Ollama's native chat API (`POST /api/chat`). Resolved like
 * every profile (model record's `compat` > probed facts > preset > {@link DEFAULT_OLLAMA_CHAT_COMPAT}).
 *
 * Source: ollama/ollama `api/types.go` (`ChatRequest.Think`, `Options`).
 */
export interface OllamaChatCompat {
  /**
   * Send a reasoning level as `think: "low" | "medium" | "high"` (models that take levels, e.g. gpt-oss)
   * instead of `think: true`. `minimal` is sent as `low`.
   */
  thinkLevels: boolean;
  /**
   * Send the model record's `contextWindow` as `options.num_ctx`, so Ollama loads the model with that
   * context instead of its small default (which silently truncates long prompts).
   */
  sendContextWindow: boolean;
}

/** Defaults for an unknown Ollama server: `think` as a boolean, `num_ctx` from the model record. */
export const DEFAULT_OLLAMA_CHAT_COMPAT: Readonly<OllamaChatCompat> = Object.freeze({
  thinkLevels: false,
  sendContextWindow: true,
});
