/**
 * Context windows: token estimates, exact counts from server tokenizers, the window of a model, the budget
 * check before a request, truncation that keeps tool calls with their results, and opt-in compaction.
 *
 * @module
 */

export {
  type CompactionEntry,
  type CompactOptions,
  type CompactResult,
  compactMessages,
  SUMMARY_PROMPT,
  type Summarizer,
  summaryMessage,
} from './compact.js';
export { CompactionError, type CompactionErrorOptions } from './compaction-error.js';
export {
  type CompactionStrategyOptions,
  compactionStrategy,
  type TransformContext,
} from './compaction-strategy.js';
export {
  type CountTokensOptions,
  countTokens,
  DEFAULT_TOKENIZE_TIMEOUT_MS,
  type TokenCount,
  type TokenizerServer,
} from './count-tokens.js';
export {
  type EstimateInput,
  type EstimateOptions,
  estimateTokens,
  MESSAGE_OVERHEAD,
  REPLY_PRIMING,
  type TokenEstimate,
} from './estimate.js';
export { FAMILY_RATES, familyOf, type TokenizerFamily } from './families.js';
export { type ImageSize, imageSizeOf } from './image-size.js';
export { ASSUMED_IMAGE_SIZE, type ImageTokenRule, imageRuleOf, imageTokens } from './image-tokens.js';
export type { TextRates } from './text-tokens.js';
export { type TruncateOptions, type TruncateResult, truncateMessages } from './truncate.js';
export {
  type ContextBudget,
  type ContextBudgetOptions,
  type ContextOverflowEvent,
  checkContextBudget,
  contextOverflowEvent,
  contextWindowOf,
  type ProbedWindow,
} from './window.js';
