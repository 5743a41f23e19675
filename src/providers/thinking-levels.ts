import type { PresetTable } from '../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../presets/presets.js';
import type { Model } from '../types/model.js';
import type { ReasoningLevel } from '../types/options.js';
import { anthropicMessagesProvider } from './anthropic-messages/index.js';
import { ollamaChatProvider } from './ollama-chat/index.js';
import { openAIChatProvider } from './openai-chat/index.js';
import { openAIResponsesProvider } from './openai-responses/index.js';

/** A thinking level other than `off`. */
export type ThinkingLevel = Exclude<ReasoningLevel, 'off'>;

const ALL: readonly ThinkingLevel[] = Object.freeze(['minimal', 'low', 'medium', 'high']);

/**
 * The `reasoning` levels (besides `off`) that reach the model as distinct settings, from its record and
 * the resolved compat profile of its API:
 *
 * - `[]` unless the record says `reasoning: true` (unknown models get no levels);
 * - `openai-chat` / `openai-responses`: all four when the server honours `reasoning_effort` /
 *   `reasoning.effort` (compat `reasoningEffort`), else `[]`;
 * - `anthropic-messages`: all four (thinking budgets, `thinkingBudgets`) with compat `extendedThinking`;
 * - `ollama-chat`: `['low', 'medium', 'high']` with compat `thinkLevels` (gpt-oss), else `['high']` (the
 *   API has one switch, `think: true`, which every level turns on);
 * - any other (custom) API: all four.
 *
 * Source: the request builders of each provider (src/providers/*\/request.ts).
 * @param presets - where `model.provider` is looked up for compat flags. @default the global preset table
 * @returns a new array, weakest level first.
 */
export function getSupportedThinkingLevels(
  model: Model,
  presets: PresetTable = GLOBAL_PRESETS,
): ThinkingLevel[] {
  if (model.reasoning !== true) return [];
  switch (model.api) {
    case 'openai-chat':
      return openAIChatProvider.resolveCompat(model, undefined, presets).reasoningEffort ? [...ALL] : [];
    case 'openai-responses':
      return openAIResponsesProvider.resolveCompat(model, undefined, presets).reasoningEffort ? [...ALL] : [];
    case 'anthropic-messages':
      return anthropicMessagesProvider.resolveCompat(model, undefined, presets).extendedThinking
        ? [...ALL]
        : [];
    case 'ollama-chat':
      return ollamaChatProvider.resolveCompat(model, undefined, presets).thinkLevels
        ? ['low', 'medium', 'high']
        : ['high'];
    default:
      return [...ALL];
  }
}
