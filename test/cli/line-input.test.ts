import { describe, expect, it } from 'vitest';
import { expandPath } from '../../src/cli/chat/chat-commands.js';
import { LineAssembler, PASTED_NEWLINE, pasteFilter, slashCompleter } from '../../src/cli/chat/line-input.js';

describe('pasteFilter', () => {
  it('joins a pasted block into one line, with markers split across chunks', () => {
    const filter = pasteFilter();
    const chunks = ['ab\x1b[20', '0~one\r\ntwo\rthree\nfour\x1b[2', '01~\r'];
    expect(chunks.map(filter).join('')).toBe(
      `abone${PASTED_NEWLINE}two${PASTED_NEWLINE}three${PASTED_NEWLINE}four\r`,
    );
  });

  it('passes other escape sequences through (arrow keys)', () => {
    const filter = pasteFilter();
    expect(filter('\x1b[A')).toBe('\x1b[A');
    expect(filter('x\x1b')).toBe('x');
    expect(filter('[B')).toBe('\x1b[B');
  });
});

describe('LineAssembler', () => {
  it('returns single lines, """ blocks as one prompt, and decodes pasted newlines', () => {
    const lines = new LineAssembler();
    expect(lines.push(`a${PASTED_NEWLINE}b`)).toBe('a\nb');
    expect(lines.push('"""')).toBeUndefined();
    expect(lines.open).toBe(true);
    expect(lines.push('x')).toBeUndefined();
    expect(lines.push('  y')).toBeUndefined();
    expect(lines.push('"""')).toBe('x\n  y');
    expect(lines.open).toBe(false);
  });
});

describe('slashCompleter and expandPath', () => {
  it('completes command names only', () => {
    const complete = slashCompleter(['/model', '/reset', '/help']);
    expect(complete('/mo')).toEqual([['/model'], '/mo']);
    expect(complete('/model x')).toEqual([[], '/model x']);
    expect(complete('hello')).toEqual([[], 'hello']);
  });

  it('expands ~ and resolves relative paths against the chat directory', () => {
    expect(expandPath('/work', '~/x.json', '/home/ada')).toBe('/home/ada/x.json');
    expect(expandPath('/work', '~', '/home/ada')).toBe('/home/ada');
    expect(expandPath('/work', 'x.json', '/home/ada')).toBe('/work/x.json');
    expect(expandPath('/work', '/abs/x.json', '/home/ada')).toBe('/abs/x.json');
  });
});
