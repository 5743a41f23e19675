import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarmonyParser, looksLikeHarmony, mayBecomeHarmony } from './harmony.js';

type Piece = [kind: 'text' | 'thinking' | 'call' | 'args', text: string];

/** Parses `pieces` in order and returns the merged output (consecutive pieces of one kind joined). */
function parse(pieces: string[]): Piece[] {
  const out: Piece[] = [];
  const add = (kind: Piece[0], text: string) => {
    const last = out.at(-1);
    if (last && last[0] === kind && kind !== 'call') last[1] += text;
    else out.push([kind, text]);
  };
  const parser = new HarmonyParser({
    text: (d) => add('text', d),
    thinking: (d) => add('thinking', d),
    toolCallStart: (name) => add('call', name),
    toolCallArguments: (d) => add('args', d),
  });
  for (const piece of pieces) parser.push(piece);
  parser.flush();
  return out;
}

function cutAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

const ANSWER =
  '<|channel|>analysis<|message|>User asks 2+2. Easy: 4 <| not a token.<|end|>' +
  '<|start|>assistant<|channel|>final<|message|>It is 4. a<b, x <|y|> stays.<|return|>';

const CALL =
  '<|channel|>analysis<|message|>Need the weather.<|end|>' +
  '<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city":"Paris"}<|call|>';

describe('HarmonyParser', () => {
  it('routes analysis to thinking and final to text; <| that is no token stays text', () => {
    expect(parse([ANSWER])).toEqual([
      ['thinking', 'User asks 2+2. Easy: 4 <| not a token.'],
      ['text', 'It is 4. a<b, x <|y|> stays.'],
    ]);
  });

  it('makes a tool call of commentary to=functions.NAME (with <|constrain|>json before <|message|>)', () => {
    expect(parse([CALL])).toEqual([
      ['thinking', 'Need the weather.'],
      ['call', 'get_weather'],
      ['args', '{"city":"Paris"}'],
    ]);
  });

  it('accepts the recipient in the role part and drops whitespace between messages', () => {
    const text =
      '<|start|>assistant to=functions.lookup<|channel|>commentary json<|message|>{"q":1}<|call|>\n' +
      '<|start|>assistant<|channel|>final<|message|>done<|end|>  ';
    expect(parse([text])).toEqual([
      ['call', 'lookup'],
      ['args', '{"q":1}'],
      ['text', 'done'],
    ]);
  });

  it('drops a header cut off by the end of the stream and keeps a trailing partial token of a body', () => {
    expect(parse(['<|channel|>final<|message|>hi <|en'])).toEqual([['text', 'hi <|en']]);
    expect(parse(['<|channel|>final<|message|>hi<|end|><|start|>assis'])).toEqual([['text', 'hi']]);
  });

  it('detects Harmony output by its start only', () => {
    expect(looksLikeHarmony('  <|channel|>analysis')).toBe(true);
    expect(looksLikeHarmony('<|start|>assistant')).toBe(true);
    expect(looksLikeHarmony('Use <|channel|> tokens')).toBe(false);
    expect(mayBecomeHarmony(' <|cha')).toBe(true);
    expect(mayBecomeHarmony('<|x')).toBe(false);
  });

  it('gives the same result for any cut of the input (property)', () => {
    const inputs = fc.constantFrom(ANSWER, CALL, `${CALL}${ANSWER}`, `${ANSWER}\n\ntrailing text <|`);
    fc.assert(
      fc.property(inputs, fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        expect(parse(cutAt(text, cuts))).toEqual(parse([text]));
      }),
      { numRuns: 500 },
    );
  });

  it('cut into single characters gives the whole-input result', () => {
    for (const text of [ANSWER, CALL]) expect(parse([...text])).toEqual(parse([text]));
  });
});
