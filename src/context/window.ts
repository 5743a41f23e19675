import type { ProbedModel, ServerProfile } from '../presets/probe-types.js';
import type { Context } from '../types/context.js';
import type { Model } from '../types/model.js';
import { type EstimateInput, type EstimateOptions, estimateTokens } from './estimate.js';

/** What a probe said about the context window: a server profile, one probed model, or a number of tokens. */
export type ProbedWindow = ServerProfile | ProbedModel | number;

function probedTokens(modelId: string, probed: ProbedWindow | undefined): number | undefined {
  if (probed === undefined) return undefined;
  if (typeof probed === 'number') return probed > 0 ? probed : undefined;
  if ('server' in probed) {
    const listed = probed.models.find((m) => m.id === modelId)?.contextWindow;
    if (listed !== undefined) return listed;
    return probed.model === undefined || probed.model === modelId ? probed.contextWindow : undefined;
  }
  return probed.id === modelId ? probed.contextWindow : undefined;
}

/**
 * The context window of a model, in tokens: the smaller of `model.contextWindow` and what the probe found
 * for that model id (Ollama's `num_ctx`, LM Studio's loaded context, llama.cpp's `n_ctx`), since the
 * smaller one is the limit the server enforces. Undefined when neither is known.
 *
 * @param probed - `probe()`'s profile (its `models` list or `contextWindow`), one `ProbedModel`, or a count.
 */
export function contextWindowOf(model: Model, probed?: ProbedWindow): number | undefined {
  const fromRecord =
    model.contextWindow !== undefined && model.contextWindow > 0 ? model.contextWindow : undefined;
  const fromProbe = probedTokens(model.id, probed);
  if (fromRecord === undefined) return fromProbe;
  return fromProbe === undefined ? fromRecord : Math.min(fromRecord, fromProbe);
}

/** Options of {@link checkContextBudget}. */
export interface ContextBudgetOptions extends EstimateOptions {
  /** Tokens kept free for the answer (the request's `maxTokens`). @default model.maxOutputTokens ?? 0 */
  reserveOutputTokens?: number;
  /** The window, when known better than the model record (overrides it and `probed`). */
  window?: number;
  /** A probe result for {@link contextWindowOf}. */
  probed?: ProbedWindow;
}

/** The answer of {@link checkContextBudget}. */
export interface ContextBudget {
  /** True when the estimate plus the reserve fits the window, or the window is unknown. */
  fits: boolean;
  /** Estimated prompt tokens. */
  estimated: number;
  /** The context window, undefined when unknown. */
  window: number | undefined;
  /** Tokens reserved for the answer. */
  reserveOutputTokens: number;
  /** `window - reserve - estimated` (negative when over), undefined when the window is unknown. */
  remaining: number | undefined;
}

/**
 * The event the run loop emits before a request whose estimate does not fit (issue 13 wires it). The user
 * decides what to do (truncate, compact, switch model, or send anyway); nothing is dropped silently.
 */
export interface ContextOverflowEvent {
  type: 'context_overflow';
  /** Estimated prompt tokens of the request about to be sent. */
  estimated: number;
  /** The model's context window. */
  window: number;
  /** Tokens reserved for the answer. */
  reserveOutputTokens: number;
  /** The turn (1-based model call of the run) the request belongs to. */
  turn: number;
}

/**
 * Whether a request fits the model's context window: the estimate of `context` plus the output reserve,
 * against `contextWindowOf(model, probed)`. Pure; call it before each request and emit a
 * {@link ContextOverflowEvent} (see {@link contextOverflowEvent}) when `fits` is false.
 */
export function checkContextBudget(
  model: Model,
  context: Context | EstimateInput,
  options: ContextBudgetOptions = {},
): ContextBudget {
  const estimated = estimateTokens(context, model, options).total;
  const window = options.window ?? contextWindowOf(model, options.probed);
  const reserveOutputTokens = Math.max(0, options.reserveOutputTokens ?? model.maxOutputTokens ?? 0);
  if (window === undefined)
    return { fits: true, estimated, window, reserveOutputTokens, remaining: undefined };
  const remaining = window - reserveOutputTokens - estimated;
  return { fits: remaining >= 0, estimated, window, reserveOutputTokens, remaining };
}

/** The `context_overflow` event for a budget that does not fit, or undefined when it fits (or the window is unknown). */
export function contextOverflowEvent(budget: ContextBudget, turn: number): ContextOverflowEvent | undefined {
  if (budget.fits || budget.window === undefined) return undefined;
  return {
    type: 'context_overflow',
    estimated: budget.estimated,
    window: budget.window,
    reserveOutputTokens: budget.reserveOutputTokens,
    turn,
  };
}
