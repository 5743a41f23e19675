import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { chunk, runCli, sse, textAnswer } from '../cli/cli.js';
import { Terminal } from './terminal.js';

let terminal: Terminal | undefined;
let dir: string | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The user message texts of each chat request the server got. */
function lastUserTexts(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method === 'POST')
    .map((r) => {
      const messages = (r.json as { messages: { role: string; content: string }[] }).messages;
      return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    });
}

/** "Slow" at once, " answer" 1.5 s later: room to type a line while the answer streams. */
const SLOW = (() => {
  const head = sse([chunk({ role: 'assistant', content: 'Slow' })], false);
  const body = head + sse([chunk({ content: ' answer' }), chunk({}, 'stop')]);
  return { body, splits: [Buffer.byteLength(head)], chunkDelayMs: 1500 };
})();

function chatArgs(baseUrl: string, cwd: string): string[] {
  return ['chat', '--base-url', baseUrl, '--model', 'm', '--no-tools', '--cwd', cwd];
}

describe('chat input through a pseudo-terminal', () => {
  it('sends a bracketed paste as one prompt, and a """ block as one prompt', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-input-')));
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir });
      await terminal.waitFor('> ');
      expect(terminal.output).toContain('\x1b[?2004h');
      let mark = terminal.output.length;
      terminal.write('\x1b[200~first line\r\nsecond line\nthird line\x1b[201~\r');
      await terminal.waitFor('[m · turn', mark);
      mark = terminal.output.length;
      terminal.write('"""\rone\rtwo\r"""\r');
      await terminal.waitFor('[m · turn', mark);
      expect(lastUserTexts(server.requests)).toEqual(['first line\nsecond line\nthird line', 'one\ntwo']);
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
      expect(terminal.output).toContain('\x1b[?2004l');
    } finally {
      await server.close();
    }
  });

  it('queues a line typed while an answer streams and sends it after the answer', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-input-')));
    const server = await startFixtureServer({
      responses: (_r, i) => (i === 0 ? SLOW : { body: textAnswer(['Second answer.']) }),
    });
    try {
      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir });
      await terminal.waitFor('> ');
      terminal.write('first\r');
      await terminal.waitFor('Slow');
      terminal.write('typed meanwhile\r');
      await terminal.waitFor('(queued: sent after this answer');
      await terminal.waitFor('Second answer.');
      expect(lastUserTexts(server.requests)).toEqual(['first', 'typed meanwhile']);
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('completes slash commands with Tab and keeps history across sessions in a 0600 file', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-input-')));
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir });
      await terminal.waitFor('> ');
      const typed = terminal.output.length; // after the banner, which names /help too
      terminal.write('/he');
      await terminal.waitFor('/he', typed);
      await new Promise((r) => setTimeout(r, 200));
      terminal.write('\t'); // a key of its own: readline completes only outside a multi-key chunk
      await terminal.waitFor('/help', typed); // after the banner (which names /help too)
      terminal.write('\r');
      await terminal.waitFor('Commands:');
      const mark = terminal.output.length;
      terminal.write('remember me\r');
      await terminal.waitFor('[m · turn', mark);
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
      const file = join(dir, 'open-agent', 'chat_history');
      expect(readFileSync(file, 'utf8')).toBe('/help\nremember me\n/exit\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);

      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir });
      await terminal.waitFor('> ');
      const again = terminal.output.length;
      terminal.write('\x1b[A\x1b[A'); // Up twice: the previous session's "remember me"
      await terminal.waitFor('remember me', again);
      terminal.write('\r');
      await terminal.waitFor('[m · turn', again);
      expect(lastUserTexts(server.requests).at(-1)).toBe('remember me');
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('shows a spinner with elapsed time until the first token on a terminal', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-input-')));
    const server = await startFixtureServer({
      responses: () => ({ body: textAnswer(['Loaded.']), headersDelayMs: 1300 }),
    });
    try {
      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir });
      await terminal.waitFor('> ');
      const mark = terminal.output.length;
      terminal.write('hi\r');
      await terminal.waitFor(
        'waiting for the first token — a local server may be loading the model (1s)',
        mark,
      );
      await terminal.waitFor('Loaded.', mark);
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('/load ~/missing.json expands ~ and says what is wrong', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-input-')));
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      terminal = new Terminal(chatArgs(server.baseUrl, dir), { XDG_DATA_HOME: dir, HOME: dir });
      await terminal.waitFor('> ');
      terminal.write('/load ~/missing.json\r');
      await terminal.waitFor(`error: cannot read ${join(dir, 'missing.json')}: no such file or directory`);
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('piped chat', () => {
  it('answers piped lines in order, a """ block as one prompt, and prints no spinner', async () => {
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      const result = await runCli(['chat', '--base-url', server.baseUrl, '--model', 'm', '--no-tools'], {
        stdin: 'one\n"""\ntwo\nthree\n"""\nfour\n',
      });
      expect(result.code).toBe(0);
      expect(lastUserTexts(server.requests)).toEqual(['one', 'two\nthree', 'four']);
      expect(result.stderr).not.toContain('waiting for the first token');
    } finally {
      await server.close();
    }
  });
});
