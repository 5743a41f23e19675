import type { AgentMessage } from '../agent/config.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { type CompactionEntry, compactMessages, type Summarizer } from './compact.js';
import { estimateTokens } from './estimate.js';
import { contextWindowOf, type ProbedWindow } from './window.js';

/** Options of {@link compactionStrategy}. */
export interface CompactionStrategyOptions {
  /** Compact when the estimate exceeds this fraction of the window (0 < threshold ≤ 1). @default 0.8 */
  threshold?: number;
  /** Messages kept verbatim (see `compactMessages`). @default 6 */
  keepLast?: number;
  /** The model whose window is watched and which writes the summary. */
  model: Model;
  /** The window in tokens, when the model record has none. @default contextWindowOf(model, probed) */
  window?: number;
  /** A probe result for `contextWindowOf`. */
  probed?: ProbedWindow;
  /** Writes the summary instead of the default model call. */
  summarize?: Summarizer;
  /** Options of the summary call. */
  streamOptions?: StreamOptions;
  /** Told about every compaction: store the entry in the run log, show it to the user. */
  onCompaction?: (entry: CompactionEntry) => void;
}

/** A `transformContext` function (the agent loop's hook before every model call). */
export type TransformContext = (messages: AgentMessage[], signal: AbortSignal) => Promise<AgentMessage[]>;

function sameMessage(a: AgentMessage | undefined, b: AgentMessage | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * A ready `transformContext` for the agent loop: when the transcript's estimate crosses `threshold` ×
 * window, the older turns are summarized (`compactMessages`) and the model sees the summary plus the
 * recent messages. The stored transcript is not changed; the strategy remembers which prefix its summary
 * replaces and reuses it on the next turns (summarizing again, summary included, when the threshold is
 * crossed again). Each compaction is reported through `onCompaction`.
 *
 * @throws {InvalidArgumentError} at creation when no window is known or `threshold` is out of range.
 *   The returned function rejects with `CompactionError` when a summary fails.
 */
export function compactionStrategy(options: CompactionStrategyOptions): TransformContext {
  const threshold = options.threshold ?? 0.8;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InvalidArgumentError(`threshold must be in (0, 1], got ${threshold}.`, {
      argument: 'threshold',
    });
  }
  const window = options.window ?? contextWindowOf(options.model, options.probed);
  if (window === undefined) {
    throw new InvalidArgumentError(
      'compactionStrategy needs a context window: set model.contextWindow, or pass window or probed.',
      { argument: 'window' },
    );
  }
  const limit = threshold * window;
  let prefix: AgentMessage[] = [];
  let summary: AgentMessage | undefined;
  return async (messages, signal) => {
    const reuse = summary !== undefined && prefix.every((m, i) => sameMessage(m, messages[i]));
    const working = reuse && summary ? [summary, ...messages.slice(prefix.length)] : messages;
    if (estimateTokens(working, options.model).total <= limit) return working;
    const result = await compactMessages(
      working,
      {
        model: options.model,
        ...(options.keepLast !== undefined && { keepLast: options.keepLast }),
        ...(options.summarize !== undefined && { summarize: options.summarize }),
        ...(options.streamOptions !== undefined && { streamOptions: options.streamOptions }),
      },
      signal,
    );
    if (result.summaryMessage === undefined || result.entry === undefined) return working;
    const replacedOfOriginal = (reuse ? prefix.length - 1 : 0) + result.compactedCount;
    prefix = messages.slice(0, replacedOfOriginal);
    summary = result.summaryMessage;
    options.onCompaction?.({ ...result.entry, replacedCount: replacedOfOriginal });
    return result.messages;
  };
}
