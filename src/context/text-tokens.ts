/**
 * Token estimate of a piece of text, without a tokenizer: one pass over the code points, each run of
 * letters of one script priced by that script's rule. Byte-pair tokenizers (tiktoken's `cl100k_base` and
 * `o200k_base`, Llama 3's) merge a leading space into the next word, split digit runs into groups of up to
 * three, keep common English words whole and cut rare or non-Latin words into pieces whose length depends
 * on how much of that script the vocabulary holds. The rates below are per tokenizer family and were tuned
 * against real tokenizers on the multilingual set in `test/context/multilingual-corpus.ts` (docs/context.md
 * lists the measured error per language).
 *
 * @module
 */

/** Prices of one tokenizer family. Lengths are in code points; costs in tokens. */
export interface TextRates {
  /** Letters of an ASCII word that still make one token (common words are whole tokens). */
  latinWord: number;
  /** Code points per extra token for the letters of an ASCII word beyond `latinWord`. */
  latinLong: number;
  /** Code points per token in a Latin word that has non-ASCII letters (umlauts, accents): such words split more. */
  latinAccent: number;
  /**
   * Code points per token in an ASCII word of a text that is not English: one where at least
   * {@link FOREIGN_WORD_SHARE} of the Latin words have accents (German, French, Spanish, ...). The
   * vocabularies hold fewer of those languages' words, so they split more.
   */
  latinForeign: number;
  /** Code points per token in a Cyrillic or Greek word (at least one token per word). */
  cyrillicWord: number;
  /** Code points per token in an Arabic or Hebrew word (at least one token per word). */
  arabicWord: number;
  /** Tokens per Han character (Chinese, Japanese kanji). */
  han: number;
  /** Tokens per kana character. */
  kana: number;
  /** Tokens per Hangul syllable. */
  hangul: number;
  /** Tokens per ASCII punctuation or symbol character. */
  punct: number;
  /** Tokens per other symbol code point (emoji, dingbats, CJK punctuation); joiners and variation selectors are free. */
  symbol: number;
  /** Tokens per code point of any other script (Devanagari, Thai, ...: not measured). */
  other: number;
}

enum Cls {
  Space = 0,
  Newline = 1,
  Latin = 2,
  Accent = 3,
  Digit = 4,
  Punct = 5,
  Cyrillic = 6,
  Arabic = 7,
  Han = 8,
  Kana = 9,
  Hangul = 10,
  Free = 11,
  Symbol = 12,
  Other = 13,
}

function classOf(cp: number): Cls {
  if (cp < 0x80) {
    if (cp === 0x0a || cp === 0x0d) return Cls.Newline;
    if (cp === 0x20 || cp === 0x09) return Cls.Space;
    if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return Cls.Latin;
    if (cp >= 0x30 && cp <= 0x39) return Cls.Digit;
    return cp < 0x20 ? Cls.Free : Cls.Punct;
  }
  if (cp <= 0x24f) return cp >= 0xc0 && cp !== 0xd7 && cp !== 0xf7 ? Cls.Accent : Cls.Symbol;
  if (cp >= 0x370 && cp <= 0x52f) return Cls.Cyrillic; // Greek, Cyrillic
  if (cp >= 0x590 && cp <= 0x6ff) return Cls.Arabic; // Hebrew, Arabic
  if (cp >= 0x750 && cp <= 0x77f) return Cls.Arabic;
  if (cp >= 0x1e00 && cp <= 0x1eff) return Cls.Accent; // Latin Extended Additional (Vietnamese)
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff)) return Cls.Free;
  if (cp >= 0x3040 && cp <= 0x30ff) return Cls.Kana;
  if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2ffff))
    return Cls.Han;
  if (cp >= 0xac00 && cp <= 0xd7af) return Cls.Hangul;
  if (cp >= 0x2000 && cp <= 0x2bff) return Cls.Symbol; // general punctuation, arrows, dingbats
  if (cp >= 0x3000 && cp <= 0x303f) return Cls.Symbol; // CJK punctuation
  if (cp >= 0xff00 && cp <= 0xffef) return Cls.Symbol; // full-width forms
  if (cp >= 0x1f000) return Cls.Symbol; // emoji
  return Cls.Other;
}

/** Share of Latin words with non-ASCII letters from which a text is priced as a non-English Latin language. */
export const FOREIGN_WORD_SHARE = 0.03;

/** Tokens of one Cyrillic, Arabic or accented Latin word of `length` code points. */
function wordCost(cls: Cls, length: number, rates: TextRates): number {
  if (cls === Cls.Cyrillic) return Math.max(1, length / rates.cyrillicWord);
  if (cls === Cls.Arabic) return Math.max(1, length / rates.arabicWord);
  return Math.max(1, length / rates.latinAccent);
}

/**
 * Estimated tokens of `text` under `rates`. Linear in the length; no allocation per character.
 *
 * @returns a non-negative number (not rounded).
 */
export function textTokens(text: string, rates: TextRates): number {
  let tokens = 0;
  let wordCls: Cls = Cls.Space;
  let wordLength = 0;
  let accents = 0;
  let digits = 0;
  let spaces = 0;
  // Plain ASCII words are priced both ways; the share of accented words picks one at the end.
  let asEnglish = 0;
  let asForeign = 0;
  let latinWords = 0;
  let accentWords = 0;
  const flushWord = (): void => {
    if (wordLength > 0 && wordCls === Cls.Latin && accents === 0) {
      asEnglish += 1 + Math.max(0, wordLength - rates.latinWord) / rates.latinLong;
      asForeign += Math.max(1, wordLength / rates.latinForeign);
      latinWords++;
    } else if (wordLength > 0) {
      tokens += wordCost(wordCls, wordLength, rates);
      if (wordCls === Cls.Latin) {
        latinWords++;
        accentWords++;
      }
    }
    wordLength = 0;
    accents = 0;
  };
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      cp = text.codePointAt(i) ?? cp;
      i++;
    }
    let cls = classOf(cp);
    if (cls !== Cls.Digit && digits > 0) {
      tokens += Math.ceil(digits / 3);
      digits = 0;
    }
    if (cls !== Cls.Space && spaces > 0) {
      // One space joins the next word; a longer run (indentation) is a token of its own.
      if (spaces > 1) tokens += 1;
      spaces = 0;
    }
    // Accented letters continue a Latin word; a Latin word may start with one.
    const letterCls = cls === Cls.Accent ? Cls.Latin : cls;
    const isLetter = letterCls === Cls.Latin || cls === Cls.Cyrillic || cls === Cls.Arabic;
    if (isLetter) {
      if (wordLength > 0 && letterCls !== wordCls) flushWord();
      wordCls = letterCls;
      wordLength++;
      if (cls === Cls.Accent) accents++;
      continue;
    }
    flushWord();
    if (cls === Cls.Accent) cls = Cls.Latin;
    tokens += singleCost(cls, rates);
    if (cls === Cls.Digit) digits++;
    else if (cls === Cls.Space) spaces++;
  }
  flushWord();
  if (digits > 0) tokens += Math.ceil(digits / 3);
  if (spaces > 1) tokens += 1;
  return tokens + (accentWords >= FOREIGN_WORD_SHARE * latinWords && accentWords > 0 ? asForeign : asEnglish);
}

function singleCost(cls: Cls, rates: TextRates): number {
  switch (cls) {
    case Cls.Newline:
      return 0.5;
    case Cls.Punct:
      return rates.punct;
    case Cls.Han:
      return rates.han;
    case Cls.Kana:
      return rates.kana;
    case Cls.Hangul:
      return rates.hangul;
    case Cls.Symbol:
      return rates.symbol;
    case Cls.Other:
      return rates.other;
    default:
      return 0;
  }
}
