import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, sse, textAnswer, usageChunk } from '../cli/cli.js';
import { Terminal } from './terminal.js';

let terminal: Terminal | undefined;
let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  terminal?.kill();
  terminal = undefined;
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The model writes `a.txt` (5 bytes). */
const WRITE = sse([
  chunk({ role: 'assistant', content: null }),
  chunk({
    tool_calls: [
      {
        index: 0,
        id: 'call_w',
        type: 'function',
        function: { name: 'write_file', arguments: '{"path":"a.txt","content":"hello"}' },
      },
    ],
  }),
  chunk({}, 'tool_calls'),
  usageChunk(20, 9),
]);

interface Body {
  messages: { role: string; content?: unknown; tool_call_id?: string }[];
}

/** Session log entries written by the chat (JSONL, one record per line). */
function sessionTypes(sessions: string): string[] {
  const file = readdirSync(sessions).find((f) => f.endsWith('.jsonl'));
  if (!file) return [];
  return readFileSync(join(sessions, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify(JSON.parse(l)))
    .flatMap((l) => [...l.matchAll(/"type":"(interruption|decision|tool_result)"/g)].map((m) => m[1] ?? ''));
}

describe('chat approvals on the interruption decision path (pseudo-terminal)', () => {
  for (const answer of ['y', 'n'] as const) {
    it(`asks before write_file; "${answer}" ${answer === 'y' ? 'approves' : 'rejects'} and the run resumes`, async () => {
      dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-chat-approve-')));
      const sessions = join(dir, 'sessions');
      server = await startFixtureServer({
        responses: [{ body: WRITE }, { body: textAnswer(['Done.']) }],
      });
      terminal = new Terminal(
        ['chat', '--base-url', server.baseUrl, '--model', 'm', '--allow-write', '--cwd', dir],
        { OPEN_AGENT_SESSIONS_DIR: sessions },
      );
      await terminal.waitFor('> ');
      const mark = terminal.output.length;
      terminal.write('Write hello to a.txt\r');
      await terminal.waitFor('Allow write_file "a.txt" (5 bytes)? [y/N] ', mark);
      terminal.write(`${answer}\r`);
      await terminal.waitFor('Done.', mark);
      await terminal.waitFor('> ', terminal.output.indexOf('Done.', mark));
      const bodies = server.requests.filter((r) => r.method === 'POST').map((r) => r.json as Body);
      expect(bodies).toHaveLength(2);
      const result = bodies[1]?.messages.find((m) => m.role === 'tool');
      expect(result?.tool_call_id).toBe('call_w');
      if (answer === 'y') {
        expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello');
      } else {
        expect(existsSync(join(dir, 'a.txt'))).toBe(false);
        expect(String(result?.content)).toContain('The user declined this write_file call');
      }
      terminal.write('/exit\r');
      await terminal.exit;
      // The session holds the interruption and the decision: the same log as a library run.
      expect(sessionTypes(sessions)).toEqual(['interruption', 'decision', 'tool_result']);
    });
  }
});
