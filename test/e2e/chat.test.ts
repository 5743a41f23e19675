import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { chunk, sse, textAnswer } from '../cli/cli.js';
import { Terminal } from './terminal.js';

let terminal: Terminal | undefined;
let dir: string | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Stream "Once upon a time" and then stall, so the turn can be interrupted. */
const STALLING: ScriptedResponse = {
  body: sse([chunk({ role: 'assistant', content: 'Once upon' }), chunk({ content: ' a time' })], false),
  stallAtEnd: true,
};

describe('open-agent chat through a pseudo-terminal', () => {
  it('answers a turn, is interrupted by Ctrl-C, saves the conversation, and exits on a second Ctrl-C', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-')));
    const answers: ScriptedResponse[] = [
      {
        body: sse([
          chunk({ role: 'assistant', reasoning_content: 'thinking…' }),
          chunk({ content: 'Hello, ' }),
          chunk({ content: 'Ada!' }),
          chunk({}, 'stop'),
        ]),
      },
      STALLING,
      { body: textAnswer(['Still here.']) },
    ];
    const server = await startFixtureServer({
      responses: (_: RecordedRequest, i: number) => answers[i] ?? { status: 500 },
    });
    try {
      terminal = new Terminal(
        ['chat', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--cwd', dir],
        {},
      );
      await terminal.waitFor('> ');
      expect(terminal.output).toContain(`open-agent chat · m at ${server.baseUrl} · tools: none`);

      let mark = terminal.output.length;
      terminal.write('Hi, I am Ada\r');
      await terminal.waitFor(/Hello, Ada!\r?\n.*\[m · turn .* in \/ .* out · session .* tokens\]/, mark);
      expect(terminal.output.slice(mark)).toContain('\x1b[2mthinking…\x1b[22m');

      mark = terminal.output.length;
      terminal.write('Tell me a story\r');
      await terminal.waitFor('Once upon a time', mark);
      terminal.write('\x03');
      await terminal.waitFor('^C interrupted', mark);
      await server.waitForDisconnect();
      await terminal.waitFor('> ', terminal.output.indexOf('^C interrupted', mark));

      mark = terminal.output.length;
      terminal.write('Are you there?\r');
      await terminal.waitFor('Still here.', mark);
      // The aborted turn's partial text is kept so roles alternate (issue 13); the conversation went on.
      const third = server.requests[2]?.json as { messages: { role: string; content: string }[] };
      expect(third.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);

      mark = terminal.output.length;
      terminal.write('/save session.json\r');
      await terminal.waitFor(/Saved \d+ messages/, mark);
      const saved = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as {
        schemaVersion: number;
        messages: { role: string; stopReason?: string }[];
      };
      expect(saved.schemaVersion).toBe(1);
      expect(saved.messages.map((m) => m.stopReason ?? m.role)).toEqual([
        'user',
        'stop',
        'user',
        'aborted',
        'user',
        'stop',
      ]);

      terminal.write('\x03');
      await terminal.waitFor('press Ctrl-C again to exit');
      terminal.write('\x03');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('/tools, /model and /reset', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-')));
    const server = await startFixtureServer({
      responses: (request) =>
        request.path.endsWith('/models')
          ? { body: JSON.stringify({ object: 'list', data: [{ id: 'm' }, { id: 'other-model' }] }) }
          : { body: textAnswer(['ok']) },
    });
    try {
      terminal = new Terminal(['chat', '--base-url', server.baseUrl, '--model', 'm', '--cwd', dir], {});
      await terminal.waitFor('> ');
      terminal.write('/tools\r');
      await terminal.waitFor('search_files');
      terminal.write('/model\r');
      await terminal.waitFor('    other-model');
      terminal.write('/model no-such-model\r');
      await terminal.waitFor(
        'error: the server does not list no-such-model; /model shows the ones it has: m, other-model',
      );
      terminal.write('/model other-model\r');
      await terminal.waitFor('Model: other-model');
      terminal.write('hello\r');
      await terminal.waitFor('[other-model · turn');
      const chat = server.requests.find((r) => r.method === 'POST');
      expect((chat?.json as { model?: string } | undefined)?.model).toBe('other-model');
      terminal.write('/reset\r');
      await terminal.waitFor('Conversation cleared.');
      terminal.write('/exit\r');
      expect(await terminal.exit).toBe(0);
    } finally {
      await server.close();
    }
  });
});
