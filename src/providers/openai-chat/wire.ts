/**
 * OpenAI Chat Completions wire shapes, as servers actually send them (every field optional and nullable
 * where some server omits it or sends null), and the pure mappings from them.
 *
 * Source: https://platform.openai.com/docs/api-reference/chat (create, streaming chunk object);
 * quirks observed in the recorded corpus (test/fixtures/recorded/README.md).
 */
import type { StopReason } from '../../types/message.js';
import type { Usage } from '../../types/usage.js';

/** `usage` object (also inside Groq's `x_groq`). */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's cache accounting. */
  prompt_cache_hit_tokens?: number | null;
}

/** A content part of Mistral's array-form content. */
export interface WireContentPart {
  type?: string;
  text?: string;
  thinking?: string | { type?: string; text?: string }[];
}

/** One tool-call fragment of a streamed delta (or a whole call in a non-streamed message). */
export interface WireToolCall {
  index?: number | null;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | Record<string, unknown> | null } | null;
}

/** `choices[].delta` of a chunk, or `choices[].message` of a complete response. */
export interface WireDelta {
  role?: string | null;
  content?: string | WireContentPart[] | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  reasoning_text?: string | null;
  tool_calls?: WireToolCall[] | null;
  /** The legacy (pre-`tools`) call shape: one call per message, no id, fragments of `name` and `arguments`. */
  function_call?: { name?: string | null; arguments?: string | Record<string, unknown> | null } | null;
  refusal?: string | null;
}

/** One choice of a chunk or response. */
export interface WireChoice {
  index?: number;
  delta?: WireDelta | null;
  message?: WireDelta | null;
  finish_reason?: string | null;
}

/** A `chat.completion.chunk`, or a whole `chat.completion`. */
export interface WireChunk {
  id?: string;
  model?: string;
  choices?: WireChoice[] | null;
  usage?: WireUsage | null;
  x_groq?: { usage?: WireUsage | null } | null;
  error?: unknown;
}

function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Maps a Chat Completions `usage` object to {@link Usage}: `input` excludes cached prompt tokens,
 * `output` includes reasoning. xAI reports reasoning apart from `completion_tokens` (its
 * `total_tokens` = prompt + completion + reasoning); that is detected from the total and folded in.
 */
export function mapUsage(wire: WireUsage): Usage {
  const prompt = num(wire.prompt_tokens);
  const completion = num(wire.completion_tokens);
  const cached = num(wire.prompt_tokens_details?.cached_tokens) || num(wire.prompt_cache_hit_tokens);
  const reasoningRaw = wire.completion_tokens_details?.reasoning_tokens;
  const reasoning = num(reasoningRaw);
  let output = completion;
  const total = num(wire.total_tokens);
  if (reasoning > 0 && total === prompt + completion + reasoning && total !== prompt + completion) {
    output = completion + reasoning; // xAI: reasoning tokens are not in completion_tokens
  }
  const input = Math.max(0, prompt - cached);
  const usage: Usage = { input, output, cacheRead: cached, cacheWrite: 0, total: input + cached + output };
  if (typeof reasoningRaw === 'number') usage.reasoning = reasoning;
  return usage;
}

/**
 * Maps `finish_reason` to a {@link StopReason}. Tool calls decide over the reason (Ollama sends `stop`
 * with tool calls); `content_filter` is an error; unknown reasons (`eos`, `end_turn`) are `stop`, and so
 * is `tool_calls` when no call arrived (so a loop never waits on calls that do not exist).
 */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): StopReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'error';
    default:
      return hasToolCalls ? 'toolUse' : 'stop';
  }
}
