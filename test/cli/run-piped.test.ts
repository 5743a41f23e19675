import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PIPED_INPUT_MAX_BYTES } from '../../src/cli/prompt.js';
import { promptSourceOf } from '../../src/cli/run-options.js';
import { type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { BIN, sh, textAnswer } from './cli.js';

function userText(request: RecordedRequest | undefined): string {
  const body = request?.json as { messages?: { role: string; content: string }[] } | undefined;
  const messages = body?.messages ?? [];
  return messages.find((m) => m.role === 'user')?.content ?? '';
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('run with piped stdin and a prompt argument', () => {
  it('sends the piped text, a blank line and the prompt', async () => {
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['A small diff.']) }) });
    try {
      const result = await sh(
        `printf 'diff --git a/x b/x\\n+hello\\n' | "${process.execPath}" "${BIN}" run --base-url "$URL" --model m --no-tools "Summarize this diff"`,
        { URL: server.baseUrl },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('A small diff.\n');
      expect(userText(server.requests[0])).toBe('diff --git a/x b/x\n+hello\n\nSummarize this diff');
    } finally {
      await server.close();
    }
  });

  it('keeps --api-key - working: the first line is the key, the rest joins the prompt', async () => {
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      const result = await sh(
        `printf 'sk-test-123\\npiped body\\n' | "${process.execPath}" "${BIN}" run --api-key - --base-url "$URL" --model m --no-tools "What is this?"`,
        { URL: server.baseUrl },
      );
      expect(result.code).toBe(0);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test-123');
      expect(userText(server.requests[0])).toBe('piped body\n\nWhat is this?');
    } finally {
      await server.close();
    }
  });

  it('caps piped text and says so on stderr', async () => {
    dir = mkdtempSync(join(tmpdir(), 'oa-piped-'));
    const file = join(dir, 'big.txt');
    writeFileSync(file, 'x'.repeat(PIPED_INPUT_MAX_BYTES + 1000));
    const server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    try {
      const result = await sh(
        `"${process.execPath}" "${BIN}" run --base-url "$URL" --model m --no-tools "Count" < "${file}"`,
        { URL: server.baseUrl },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        `note: stdin has ${PIPED_INPUT_MAX_BYTES + 1000} bytes; only the first ${PIPED_INPUT_MAX_BYTES} were sent with the prompt\n`,
      );
      expect(userText(server.requests[0])).toBe(`${'x'.repeat(PIPED_INPUT_MAX_BYTES)}\n\nCount`);
    } finally {
      await server.close();
    }
  });

  it('reads stdin alongside an argument only when it is a pipe or a file', () => {
    expect(promptSourceOf('Summarize', false, true)).toEqual({ kind: 'argument+stdin', text: 'Summarize' });
    expect(promptSourceOf('Summarize', false, false)).toEqual({ kind: 'argument', text: 'Summarize' });
    expect(promptSourceOf('Summarize', true, true)).toEqual({ kind: 'argument', text: 'Summarize' });
  });
});
