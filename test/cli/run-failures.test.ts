import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { closedPort } from '../helpers/ports.js';
import { chunk, parseDocument, parseLines, runCli, sse, toolCallAnswer } from './cli.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...responses: ScriptedResponse[]): Promise<FixtureServer> {
  server = await startFixtureServer({ responses });
  return server;
}

function flags(baseUrl: string, ...more: string[]): string[] {
  return ['--base-url', baseUrl, '--model', 'test-model', ...more];
}

describe('open-agent run failures', () => {
  it('HTTP 500 with a JSON error body: exit 1, the document ends with the error message', async () => {
    const s = await serve({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { message: 'model runner crashed: out of memory', type: 'server_error' },
      }),
    });
    const result = await runCli(['run', 'Hello', ...flags(s.baseUrl, '--output', 'json')]);
    expect(result.code).toBe(1);
    const doc = parseDocument(result.stdout);
    expect(doc.stopReason).toBe('error');
    expect(doc.text).toBe('');
    expect(doc.messages).toHaveLength(2);
    const last = doc.messages.at(-1);
    expect(last).toMatchObject({ role: 'assistant', stopReason: 'error', content: [] });
    expect(last?.errorMessage).toContain('HTTP 500');
    expect(last?.errorMessage).toContain('model runner crashed: out of memory');
    expect(doc.errorMessage).toBe(last?.errorMessage);
    expect(result.stderr).toBe('');
  });

  it('HTTP 500 in text mode: one "error:" line on stderr', async () => {
    const s = await serve({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ error: { message: 'boom' } }),
    });
    const result = await runCli(['run', 'Hello', ...flags(s.baseUrl)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*HTTP 500.*boom.*\n$/);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('connection refused: exit 1, the document is printed and names host:port', async () => {
    const port = await closedPort();
    const result = await runCli([
      'run',
      'Hello',
      ...flags(`http://127.0.0.1:${port}/v1`, '--output', 'json'),
    ]);
    expect(result.code).toBe(1);
    const doc = parseDocument(result.stdout);
    expect(doc.stopReason).toBe('error');
    expect(doc.messages.at(-1)?.stopReason).toBe('error');
    expect(doc.errorMessage).toContain(`127.0.0.1:${port}`);
  });

  it('content filter: exit 1, stopReason error, the partial text is kept', async () => {
    const s = await serve({
      body: sse([
        chunk({ role: 'assistant', content: 'Here is the ' }),
        chunk({ content: 'start' }),
        chunk({}, 'content_filter'),
      ]),
    });
    const result = await runCli(['run', 'Hello', ...flags(s.baseUrl, '--output', 'json')]);
    expect(result.code).toBe(1);
    const doc = parseDocument(result.stdout);
    expect(doc.stopReason).toBe('error');
    expect(doc.errorMessage).toMatch(/filter/);
    expect(doc.text).toBe('Here is the start');
    expect(doc.messages.at(-1)).toMatchObject({
      stopReason: 'error',
      content: [{ type: 'text', text: 'Here is the start' }],
    });
  });

  it('--no-tools, tool calls with finish_reason "stop": stopReason toolUse, exit 0, stderr says no tools are enabled', async () => {
    const s = await serve({ body: toolCallAnswer('stop') });
    const result = await runCli([
      'run',
      'Weather in Paris?',
      ...flags(s.baseUrl, '--output', 'json', '--no-tools'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'warning: the model asked for tools (get_weather), but no tools are enabled in this run\n',
    );
    const doc = parseDocument(result.stdout);
    expect(doc.stopReason).toBe('toolUse');
    expect(doc.messages.at(-1)).toMatchObject({
      stopReason: 'toolUse',
      content: [{ type: 'toolCall', id: 'call_abc', name: 'get_weather', arguments: { city: 'Paris' } }],
    });
    expect(s.requests).toHaveLength(1);
  });

  it('--max-turns 1 with a tool call: exit 0, stderr says the limit was reached', async () => {
    const s = await serve({ body: toolCallAnswer('tool_calls') });
    const result = await runCli(['run', 'Weather?', ...flags(s.baseUrl, '--max-turns', '1')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/turn limit was reached \(--max-turns 1\).*get_weather/);
    expect(result.stderr).not.toMatch(/no tools are enabled/);
    expect(s.requests).toHaveLength(1);
  });

  it('SIGINT while the server stalls: exit 1, the JSON document says aborted', async () => {
    const s = await serve({
      body: sse([chunk({ role: 'assistant', content: 'Once upon' }), chunk({ content: ' a time' })], false),
      stallAtEnd: true,
    });
    const result = await runCli(['run', 'Tell a story', ...flags(s.baseUrl, '--output', 'json')], {
      onSpawn(child) {
        // The handler is installed before the request is sent, so once the server has it, SIGINT aborts.
        const poll = setInterval(() => {
          if (s.requests.length > 0) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 10);
        child.once('close', () => clearInterval(poll));
      },
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    const doc = parseDocument(result.stdout);
    expect(doc.stopReason).toBe('aborted');
    expect(doc.errorMessage).toEqual(expect.any(String));
    expect(doc.messages).toHaveLength(2);
    expect(doc.messages.at(-1)).toMatchObject({ role: 'assistant', stopReason: 'aborted' });
    expect('Once upon a time'.startsWith(doc.text as string)).toBe(true);
    await s.waitForDisconnect();
  });

  it('SIGINT after text arrived (stream-json): run_end is aborted and keeps the text', async () => {
    const s = await serve({
      body: sse([chunk({ role: 'assistant', content: 'Once upon' }), chunk({ content: ' a time' })], false),
      stallAtEnd: true,
    });
    const result = await runCli(['run', 'Tell a story', ...flags(s.baseUrl, '--output', 'stream-json')], {
      onSpawn(child) {
        let seen = '';
        let sent = false;
        child.stdout?.on('data', (data: Buffer | string) => {
          seen += String(data);
          if (!sent && seen.includes('" a time"')) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(result.code).toBe(1);
    const lines = parseLines(result.stdout);
    expect(lines.at(-2)).toMatchObject({ type: 'error', reason: 'aborted', error: { name: 'AbortError' } });
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', stopReason: 'aborted', text: 'Once upon a time' });
    await s.waitForDisconnect();
  });
});
