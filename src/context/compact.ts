import type { AgentMessage } from '../agent/config.js';
import { AbortError } from '../errors/abort-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { complete } from '../stream.js';
import type { UserMessage } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { CompactionError } from './compaction-error.js';
import { estimateTokens } from './estimate.js';
import { transcriptText } from './transcript-text.js';
import { splitTurns } from './turns.js';

/** The instructions the default summarizer sends as its system prompt. */
export const SUMMARY_PROMPT =
  'You compress conversations. Summarize the conversation you are given so that an assistant can continue it ' +
  'without the original: the user goal, decisions made, facts and numbers learned, files, names and ids ' +
  'mentioned, tool results that still matter, and what is left to do. Be concise; use short bullet points. ' +
  'Answer with the summary only.';

/** Writes a summary of `messages`; the default calls the model through `complete()`. */
export type Summarizer = (messages: readonly AgentMessage[], signal?: AbortSignal) => Promise<string>;

/** Options of {@link compactMessages}. */
export interface CompactOptions {
  /** The model that writes the summary (and whose tokenizer family the token counts use). */
  model: Model;
  /** Messages kept verbatim at the end, at least (the cut moves earlier to a block start, so tool calls keep their results). @default 6 */
  keepLast?: number;
  /** Writes the summary instead of the default model call. */
  summarize?: Summarizer;
  /** Options of the default summarizer's model call (`maxTokens`, `apiKey`, `signal`, ...). */
  streamOptions?: StreamOptions;
}

/**
 * The run-log entry of a compaction: plain JSON, stored after the entries it replaces (which stay in the
 * log, so the compaction is visible and can be undone by dropping this entry).
 */
export interface CompactionEntry {
  type: 'compaction';
  /** Schema version of this entry. */
  v: 1;
  /** The summary text. */
  summary: string;
  /** How many transcript messages (from the start) the summary replaces. */
  replacedCount: number;
  /** How many messages follow verbatim. */
  keptCount: number;
  /** Estimated tokens of the transcript before and after. */
  tokensBefore: number;
  tokensAfter: number;
  /** Model id that wrote the summary (`custom` when a `summarize` function did). */
  model: string;
  /** When it happened, ms since the Unix epoch. */
  timestamp: number;
}

/** The answer of {@link compactMessages}. */
export interface CompactResult {
  /** The summary as a user message, to put before `kept`; undefined when there was nothing to compact. */
  summaryMessage: UserMessage | undefined;
  /** The messages kept verbatim (the same objects). */
  kept: AgentMessage[];
  /** How many messages the summary replaces (0 when nothing was compacted). */
  compactedCount: number;
  /** `[summaryMessage, ...kept]`, or the input when nothing was compacted. */
  messages: AgentMessage[];
  /** The log entry, undefined when nothing was compacted. */
  entry: CompactionEntry | undefined;
}

/** Where the verbatim tail starts: the latest block start that keeps at least `keepLast` messages. */
export function keepBoundary(messages: readonly AgentMessage[], keepLast: number): number {
  const target = Math.max(0, messages.length - keepLast);
  let boundary = messages.length;
  for (const turn of splitTurns(messages)) {
    const starts =
      turn.user >= 0 ? [turn.user, ...turn.blocks.map((b) => b.start)] : turn.blocks.map((b) => b.start);
    for (const start of starts) if (start <= target) boundary = start;
  }
  return boundary === messages.length ? target : boundary;
}

async function defaultSummary(
  messages: readonly AgentMessage[],
  options: CompactOptions,
  signal?: AbortSignal,
): Promise<string> {
  const result = await complete(
    options.model,
    { systemPrompt: SUMMARY_PROMPT, messages: [{ role: 'user', content: transcriptText(messages) }] },
    { ...options.streamOptions, ...(signal !== undefined && { signal }) },
  );
  if (result.stopReason === 'aborted')
    throw new AbortError(result.errorMessage ?? 'The summary call was aborted.');
  if (result.stopReason === 'error') throw new Error(result.errorMessage ?? 'the summary call failed');
  return result.content
    .map((b) => (b.type === 'text' ? b.text : ''))
    .join('')
    .trim();
}

/** The user message that carries a summary. */
export function summaryMessage(summary: string, timestamp = Date.now()): UserMessage {
  return {
    role: 'user',
    content: `<summary of the earlier conversation>\n${summary}\n</summary>`,
    timestamp,
  };
}

/**
 * Summarizes the older part of a transcript with a model call (opt-in compaction): everything before the
 * last `keepLast` messages (moved back so a tool call keeps its results) becomes one summary message.
 * The input is not changed; store `entry` in the run log (the replaced entries stay there).
 *
 * @throws {CompactionError} when the summary call fails or returns no text (nothing is replaced).
 * @throws {AbortError} when the signal aborts.
 * @throws {InvalidArgumentError} for a negative `keepLast`.
 */
export async function compactMessages(
  messages: readonly AgentMessage[],
  options: CompactOptions,
  signal?: AbortSignal,
): Promise<CompactResult> {
  const keepLast = options.keepLast ?? 6;
  if (!(keepLast >= 0))
    throw new InvalidArgumentError(`keepLast must be 0 or more, got ${keepLast}.`, { argument: 'keepLast' });
  const boundary = keepBoundary(messages, keepLast);
  const older = messages.slice(0, boundary);
  const kept = messages.slice(boundary);
  if (older.length === 0)
    return { summaryMessage: undefined, kept, compactedCount: 0, messages: kept, entry: undefined };
  const effectiveSignal = signal ?? options.streamOptions?.signal;
  let summary: string;
  try {
    summary = options.summarize
      ? await options.summarize(older, effectiveSignal)
      : await defaultSummary(older, options, effectiveSignal);
  } catch (error) {
    if (AbortError.isInstance(error) || effectiveSignal?.aborted)
      throw AbortError.isInstance(error) ? error : new AbortError('Compaction was aborted.');
    const why = error instanceof Error ? error.message : String(error);
    throw new CompactionError(
      `Compaction failed: the summary of ${older.length} messages could not be written (${why}).`,
      { replacedCount: older.length, cause: error },
    );
  }
  if (summary.trim() === '') {
    throw new CompactionError(`Compaction failed: the summary of ${older.length} messages came back empty.`, {
      replacedCount: older.length,
    });
  }
  const message = summaryMessage(summary);
  const result = [message, ...kept];
  const entry: CompactionEntry = {
    type: 'compaction',
    v: 1,
    summary,
    replacedCount: older.length,
    keptCount: kept.length,
    tokensBefore: estimateTokens(messages, options.model).total,
    tokensAfter: estimateTokens(result, options.model).total,
    model: options.summarize ? 'custom' : options.model.id,
    timestamp: message.timestamp ?? Date.now(),
  };
  return { summaryMessage: message, kept, compactedCount: older.length, messages: result, entry };
}
