import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../../src/testing/index.js';
import { chunk, sse, usageChunk } from '../cli/cli.js';
import { Terminal } from './terminal.js';

let terminal: Terminal | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
});

/** Two lines of reasoning (split across deltas), then the answer. */
const REASONING_ANSWER = sse([
  chunk({ role: 'assistant', reasoning_content: 'Check the ' }),
  chunk({ reasoning_content: 'units.\nThen add.' }),
  chunk({ content: 'The answer is 4.' }),
  chunk({}, 'stop'),
  usageChunk(5, 5),
]);

describe('reasoning stays apart from the answer under NO_COLOR (pseudo-terminal)', () => {
  it('run: each reasoning line starts with the `| ` gutter, the answer does not; no ANSI dim', async () => {
    const server = await startFixtureServer({ responses: () => ({ body: REASONING_ANSWER }) });
    try {
      terminal = new Terminal(['run', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', 'hi'], {
        NO_COLOR: '1',
      });
      await terminal.waitFor('The answer is 4.');
      expect(await terminal.exit).toBe(0);
      const out = terminal.output.replace(/\r\n/g, '\n');
      expect(out).toContain('| Check the units.\n| Then add.\n');
      expect(out).toMatch(/(^|\n)The answer is 4\.\n/);
      expect(out).not.toContain('\x1b[2m');
    } finally {
      await server.close();
    }
  });

  it('chat: reasoning behind the gutter, the answer on its own line', async () => {
    const server = await startFixtureServer({ responses: () => ({ body: REASONING_ANSWER }) });
    try {
      terminal = new Terminal(['chat', '--base-url', server.baseUrl, '--model', 'm', '--no-tools'], {
        NO_COLOR: '1',
      });
      await terminal.waitFor('> ');
      const mark = terminal.output.length;
      terminal.write('hi\r');
      await terminal.waitFor('The answer is 4.', mark);
      const out = terminal.output.slice(mark).replace(/\r\n/g, '\n');
      expect(out).toContain('| Check the units.\n| Then add.\nThe answer is 4.');
      expect(out).not.toContain('\x1b[2m');
    } finally {
      await server.close();
    }
  });
});
