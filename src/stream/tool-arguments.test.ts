import { describe, expect, it } from 'vitest';
import { parseFinalArguments, parsePartialArguments } from './tool-arguments.js';

describe('tool arguments', () => {
  it('parses complete objects', () => {
    expect(parseFinalArguments('{"a":1,"b":[true,null]}')).toEqual({ arguments: { a: 1, b: [true, null] } });
  });
  it('treats empty and whitespace-only text as {}', () => {
    expect(parseFinalArguments('')).toEqual({ arguments: {} });
    expect(parseFinalArguments('  \n')).toEqual({ arguments: {} });
  });
  it('keeps the raw text of incomplete, invalid or non-object JSON', () => {
    expect(parseFinalArguments('{"a":"tru')).toEqual({ arguments: { a: 'tru' }, rawArguments: '{"a":"tru' });
    expect(parseFinalArguments('[1,2]')).toEqual({ arguments: {}, rawArguments: '[1,2]' });
    expect(parseFinalArguments('not json')).toEqual({ arguments: {}, rawArguments: 'not json' });
  });
  it('parses partial text leniently and never throws', () => {
    expect(parsePartialArguments('{"city":"Par')).toEqual({ city: 'Par' });
    expect(parsePartialArguments('{"n":[1,2')).toEqual({ n: [1, 2] });
    expect(parsePartialArguments('')).toEqual({});
    expect(parsePartialArguments('}}}{')).toEqual({});
  });
});

describe('prototype safety of partial arguments', () => {
  it('never carries an injected prototype, whole or cut off', () => {
    for (const text of [
      '{"__proto__": {"polluted": true}, "a": 1',
      '{"a": {"__proto__": {"polluted": true}}}',
    ]) {
      const parsed = parsePartialArguments(text) as Record<string, unknown> & { polluted?: unknown };
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      expect(parsed.polluted).toBeUndefined();
      expect(JSON.stringify(parsed)).not.toContain('polluted');
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });
});
