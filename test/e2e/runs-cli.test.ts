import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, runCli, sse, textAnswer } from '../cli/cli.js';

let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('CLI runs (issue 11 items 6 and 14)', () => {
  it('chat with piped stdin answers every line in order and waits for the last answer at EOF', async () => {
    server = await startFixtureServer({
      responses: (_request, index) => ({ body: textAnswer([`answer ${index + 1}`]), headersDelayMs: 60 }),
    });
    dir = mkdtempSync(join(tmpdir(), 'oa-chat-piped-'));
    const result = await runCli(
      ['chat', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--cwd', dir],
      {
        stdin: 'one\ntwo\nthree\n',
      },
    );
    expect(result.code).toBe(0);
    const answers = [...result.stdout.matchAll(/answer (\d)/g)].map((m) => m[1]);
    expect(answers).toEqual(['1', '2', '3']);
    const prompts = server.requests.map((r) => {
      const messages = (r.json as { messages: { role: string; content: unknown }[] }).messages;
      return messages.at(-1)?.content;
    });
    expect(prompts).toEqual(['one', 'two', 'three']);
  }, 60_000);

  it('SIGTERM during a run ends it aborted (exit 1) and --output json still prints its document', async () => {
    server = await startFixtureServer({
      // No finish chunk and no [DONE]: the answer stalls mid-way (a [DONE] ends the call at once).
      responses: [
        {
          body: sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial' })], false),
          splits: [30],
          stallAtEnd: true,
        },
      ],
    });
    const result = await runCli(
      ['run', 'hi', '--base-url', server.baseUrl, '--model', 'm', '--output', 'json'],
      {
        onSpawn: (child) => {
          const timer = setInterval(() => {
            if ((server?.requests.length ?? 0) > 0) {
              clearInterval(timer);
              setTimeout(() => child.kill('SIGTERM'), 150);
            }
          }, 20);
        },
      },
    );
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { stopReason: string };
    expect(document.stopReason).toBe('aborted');
  }, 60_000);
});
