import type { AgentMessage } from '../agent/config.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Context } from '../types/context.js';
import type { Model } from '../types/model.js';
import { type EstimateOptions, estimateTokens } from './estimate.js';
import { splitTurns, type Turn } from './turns.js';

/** Options of {@link truncateMessages}. */
export interface TruncateOptions extends EstimateOptions {
  /** Budget for the prompt, in tokens (the window minus the output reserve). */
  maxTokens: number;
  /**
   * When the input is a `Context`: its system prompt and tool definitions are kept and count against
   * `maxTokens`. With `false` they are kept but not counted (the caller budgets them). @default true
   */
  keepSystem?: boolean;
  /** Always keep the first user message (the task statement), even when its turn is dropped. @default false */
  keepFirstUser?: boolean;
  /** The model (or id) whose tokenizer family and image rule the estimate uses. */
  model?: Model | string;
}

/** The answer of {@link truncateMessages}. */
export interface TruncateResult {
  /** The kept messages, in their original order (the same objects; the input is not changed). */
  messages: AgentMessage[];
  /** The dropped messages, in their original order. */
  dropped: AgentMessage[];
  /** Estimated tokens of the result (system prompt and tools included when counted). */
  tokens: number;
  /**
   * False when even the smallest valid set (the first user message when kept, the last user message and
   * the last block after it) is over `maxTokens`; that set is returned, and the caller decides.
   */
  fits: boolean;
}

/** Indices of the units that can be dropped, oldest first: whole earlier turns, then blocks of the last one. */
function droppableUnits(turns: readonly Turn[]): { start: number; end: number }[] {
  const units: { start: number; end: number }[] = [];
  const last = turns[turns.length - 1];
  for (const turn of turns) {
    if (turn !== last) units.push({ start: turn.start, end: turn.end });
  }
  if (last) for (const block of last.blocks.slice(0, -1)) units.push(block);
  return units;
}

/**
 * Drops the oldest messages until the estimate fits `maxTokens`: whole turns first (a user message and
 * everything up to the next one), then, inside the last turn, the oldest blocks after its user message.
 * A block is an assistant message with tool calls plus the results that answer them, so a tool call is
 * never separated from its results and no tool result is left without its call. Orphans already in the
 * input travel with their neighbours (`prepareHistory` repairs them when the request is built). The input
 * is never changed; nothing is dropped when everything fits.
 *
 * @throws {InvalidArgumentError} when `maxTokens` is not a positive number.
 */
export function truncateMessages(
  input: Context | readonly AgentMessage[],
  options: TruncateOptions,
): TruncateResult {
  if (!(options.maxTokens > 0)) {
    throw new InvalidArgumentError(`maxTokens must be a positive number, got ${options.maxTokens}.`, {
      argument: 'maxTokens',
    });
  }
  const isContext = !Array.isArray(input);
  const messages = isContext ? (input as Context).messages : (input as readonly AgentMessage[]);
  const estimate = estimateTokens(
    isContext && options.keepSystem !== false ? input : messages,
    options.model,
    options,
  );
  const cost = estimate.perMessage;
  const keepFirst = options.keepFirstUser === true ? messages.findIndex((m) => m.role === 'user') : -1;
  const dropped = new Uint8Array(messages.length);
  let tokens = estimate.total;
  for (const unit of droppableUnits(splitTurns(messages))) {
    if (tokens <= options.maxTokens) break;
    for (let i = unit.start; i < unit.end; i++) {
      if (i === keepFirst) continue;
      dropped[i] = 1;
      tokens -= cost[i] ?? 0;
    }
  }
  const kept: AgentMessage[] = [];
  const gone: AgentMessage[] = [];
  messages.forEach((message, i) => {
    (dropped[i] ? gone : kept).push(message);
  });
  return { messages: kept, dropped: gone, tokens, fits: tokens <= options.maxTokens };
}
