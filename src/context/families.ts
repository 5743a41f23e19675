import type { Model } from '../types/model.js';
import type { TextRates } from './text-tokens.js';

/**
 * Tokenizer families with measured rates:
 * - `o200k`: tiktoken `o200k_base` (GPT-4o, GPT-4.1, GPT-5, o-series, gpt-oss).
 * - `cl100k`: tiktoken `cl100k_base` (GPT-4, GPT-3.5); also the conservative default for unknown models:
 *   it counts more tokens than newer vocabularies for non-English text, so budgets err on the safe side.
 * - `llama3`: the Llama 3 tokenizer (128k vocabulary); also used for Qwen, DeepSeek, Gemma and Mistral Nemo
 *   models, whose large vocabularies are closer to it than to `cl100k` (not measured for those).
 */
export type TokenizerFamily = 'o200k' | 'cl100k' | 'llama3';

/**
 * Rates per family, tuned on `test/context/multilingual-corpus.ts` against js-tiktoken (`o200k_base`,
 * `cl100k_base`) and llama3-tokenizer-js. docs/context.md has the measured error per language.
 */
export const FAMILY_RATES: Readonly<Record<TokenizerFamily, Readonly<TextRates>>> = Object.freeze({
  o200k: {
    latinWord: 6.458,
    latinLong: 4.269,
    latinAccent: 4.645,
    latinForeign: 5.282,
    cyrillicWord: 3.8,
    arabicWord: 2.749,
    han: 0.66,
    kana: 0.74,
    hangul: 0.706,
    punct: 0.482,
    symbol: 1.499,
    other: 0.392,
  },
  cl100k: {
    latinWord: 3.036,
    latinLong: 16.725,
    latinAccent: 4.544,
    latinForeign: 3.43,
    cyrillicWord: 2.173,
    arabicWord: 1.15,
    han: 1.1,
    kana: 1.02,
    hangul: 1.176,
    punct: 0.456,
    symbol: 1.27,
    other: 1.26,
  },
  llama3: {
    latinWord: 5.865,
    latinLong: 4,
    latinAccent: 4.555,
    latinForeign: 3.43,
    cyrillicWord: 3.46,
    arabicWord: 2.15,
    han: 0.704,
    kana: 0.71,
    hangul: 0.74,
    punct: 0.46,
    symbol: 1.38,
    other: 0.68,
  },
});

const O200K = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[1-9]\b|o[1-9]-|chatgpt|gpt-oss|codex)/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/;
const LLAMA3_LIKE =
  /(llama-?3|llama3|qwen|deepseek|gemma|mistral-nemo|nemo|devstral|magistral|granite|phi-4)/;

/**
 * The tokenizer family of a model, from its id (the part after the last `/` and before a `:` tag is
 * matched too: `openai/gpt-4o-mini`, `qwen3:8b`). Unknown ids get `cl100k`.
 */
export function familyOf(model: Model | string | undefined): TokenizerFamily {
  if (model === undefined) return 'cl100k';
  const id = (typeof model === 'string' ? model : model.id).toLowerCase();
  const base = id.slice(id.lastIndexOf('/') + 1);
  if (O200K.test(base)) return 'o200k';
  if (CL100K.test(base)) return 'cl100k';
  if (LLAMA3_LIKE.test(id)) return 'llama3';
  return 'cl100k';
}
