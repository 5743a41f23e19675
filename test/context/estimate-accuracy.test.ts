import { getEncoding } from 'js-tiktoken';
import llama3 from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { estimateTokens, type TokenizerFamily } from '../../src/index.js';
import { HELD_OUT_SAMPLES } from './held-out-corpus.js';
import { MULTILINGUAL_SAMPLES } from './multilingual-corpus.js';

const o200k = getEncoding('o200k_base');
const cl100k = getEncoding('cl100k_base');
const tokenizers: Record<TokenizerFamily, (text: string) => number> = {
  o200k: (text) => o200k.encode(text).length,
  cl100k: (text) => cl100k.encode(text).length,
  llama3: (text) => llama3.encode(text, { bos: false, eos: false }).length,
};

/** Text-only estimate of one string: the estimate of a one-message transcript minus the fixed overheads. */
function estimateText(text: string, family: TokenizerFamily): number {
  const withText = estimateTokens([{ role: 'user', content: text }], undefined, {
    family,
    replyPriming: false,
  });
  const empty = estimateTokens([{ role: 'user', content: '' }], undefined, { family, replyPriming: false });
  return withText.total - empty.total;
}

describe('estimateTokens accuracy against real BPE tokenizers', () => {
  for (const family of Object.keys(tokenizers) as TokenizerFamily[]) {
    it(`is within ±15 % per language for the ${family} family`, () => {
      const rows = MULTILINGUAL_SAMPLES.map((sample) => {
        const actual = tokenizers[family](sample.text);
        const estimate = estimateText(sample.text, family);
        return { name: sample.name, actual, estimate, error: (estimate - actual) / actual };
      });
      // The table in docs/context.md is this output.
      console.log(
        `${family}\n${rows.map((r) => `| ${r.name} | ${r.actual} | ${r.estimate} | ${(r.error * 100).toFixed(1)} % |`).join('\n')}`,
      );
      for (const row of rows) expect(Math.abs(row.error), row.name).toBeLessThanOrEqual(0.15);
    });
  }

  it('stays within ±15 % on held-out texts the rates were not tuned on', () => {
    for (const family of Object.keys(tokenizers) as TokenizerFamily[]) {
      const rows = HELD_OUT_SAMPLES.map((sample) => {
        const actual = tokenizers[family](sample.text);
        const estimate = estimateText(sample.text, family);
        return { name: sample.name, actual, estimate, error: (estimate - actual) / actual };
      });
      console.log(
        `held-out ${family}\n${rows.map((r) => `| ${r.name} | ${r.actual} | ${r.estimate} | ${(r.error * 100).toFixed(1)} % |`).join('\n')}`,
      );
      for (const row of rows) expect(Math.abs(row.error), `${family} ${row.name}`).toBeLessThanOrEqual(0.15);
    }
  });

  it('picks the family from the model id', () => {
    const text = MULTILINGUAL_SAMPLES.find((s) => s.name === 'Chinese')?.text ?? '';
    const messages = [{ role: 'user' as const, content: text }];
    expect(estimateTokens(messages, 'gpt-4o-mini').family).toBe('o200k');
    expect(estimateTokens(messages, 'qwen3:8b').family).toBe('llama3');
    expect(estimateTokens(messages, 'some-unknown-model').family).toBe('cl100k');
    // cl100k spends about 1.5x the tokens of o200k on Chinese
    expect(estimateTokens(messages, 'gpt-4').total).toBeGreaterThan(
      estimateTokens(messages, 'gpt-4o').total * 1.3,
    );
  });
});
