import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, parseDocument, parseLines, runCli, sse, textAnswer, toolCallAnswer } from './cli.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...bodies: string[]): Promise<FixtureServer> {
  server = await startFixtureServer({ responses: bodies.map((body) => ({ body, chunkDelayMs: 1 })) });
  return server;
}

function flags(s: FixtureServer, ...more: string[]): string[] {
  return ['--base-url', s.baseUrl, '--model', 'test-model', ...more];
}

describe('open-agent run --output text', () => {
  it('streams the text to stdout, ending with a newline', async () => {
    const s = await serve(textAnswer(['Hello', ', ', 'world', '!']));
    const result = await runCli(['run', 'Say hello', ...flags(s)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello, world!\n');
    expect(result.stderr).toBe('');
  });

  it('is the default, and keeps reasoning off stderr when stderr is not a terminal', async () => {
    const s = await serve(
      sse([
        chunk({ role: 'assistant', reasoning_content: 'Let me think.' }),
        chunk({ reasoning_content: ' Done thinking.' }),
        chunk({ content: 'Answer.' }),
        chunk({}, 'stop'),
      ]),
    );
    const result = await runCli(['run', 'Q?', ...flags(s)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Answer.\n');
    expect(result.stderr).toBe('');
  });
});

describe('open-agent run --output json', () => {
  it('prints one document with every message, the text, the stop reason and the usage', async () => {
    const s = await serve(textAnswer(['The answer', ' is 42.'], [30, 7]));
    const before = Date.now();
    const result = await runCli(['run', 'What is the answer?', ...flags(s, '--output', 'json')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const doc = parseDocument(result.stdout);
    expect(Object.keys(doc)).toEqual(['messages', 'text', 'stopReason', 'usage']);
    expect(doc.text).toBe('The answer is 42.');
    expect(doc.stopReason).toBe('stop');
    expect(doc.usage).toEqual({ input: 30, output: 7, cacheRead: 0, cacheWrite: 0, total: 37 });
    expect(doc.messages).toHaveLength(2);
    const [user, assistant] = doc.messages;
    expect(user).toEqual({ role: 'user', content: 'What is the answer?', timestamp: expect.any(Number) });
    expect(user?.timestamp).toBeGreaterThanOrEqual(before);
    expect(assistant).toMatchObject({
      role: 'assistant',
      content: [{ type: 'text', text: 'The answer is 42.' }],
      api: 'openai-chat',
      provider: 'custom',
      model: 'test-model',
      stopReason: 'stop',
      rawStopReason: 'stop',
      usage: { input: 30, output: 7, total: 37 },
    });
    expect(assistant).not.toHaveProperty('errorMessage');
  });
});

describe('open-agent run --output stream-json', () => {
  it('prints run_start, every event with its turn, then run_end, one object per line', async () => {
    const s = await serve(textAnswer(['Hi', ' there']));
    const result = await runCli(['run', 'Hello', ...flags(s, '--output', 'stream-json')]);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    const lines = parseLines(result.stdout);
    expect(lines[0]).toEqual({
      type: 'run_start',
      model: 'test-model',
      provider: 'custom',
      baseUrl: s.baseUrl,
    });
    expect(lines.at(-1)).toEqual({
      type: 'run_end',
      stopReason: 'stop',
      usage: { input: 12, output: 5, cacheRead: 0, cacheWrite: 0, total: 17 },
      text: 'Hi there',
    });
    const events = lines.slice(1, -1);
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'text_start',
      'text_delta',
      'text_delta',
      'text_end',
      'done',
    ]);
    for (const event of events) expect(event.turn).toBe(1);
    expect(events.filter((e) => e.type === 'text_delta').map((e) => e.delta)).toEqual(['Hi', ' there']);
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: 'done',
      reason: 'stop',
      message: { role: 'assistant', stopReason: 'stop' },
    });
  });

  it('tool-call deltas carry the delta only; toolcall_end has the parsed arguments', async () => {
    const s = await serve(toolCallAnswer('tool_calls'));
    const result = await runCli(['run', 'Weather?', ...flags(s, '--output', 'stream-json', '--no-tools')]);
    expect(result.code).toBe(0);
    const lines = parseLines(result.stdout);
    const deltas = lines.filter((l) => l.type === 'toolcall_delta');
    expect(deltas).toHaveLength(2);
    expect(deltas[0]).toEqual({
      type: 'toolcall_delta',
      turn: 1,
      contentIndex: 0,
      delta: '{"city":',
    });
    // no repeated partial parse per line: stream-json grows linearly with the arguments (issue 11 item 9)
    expect(deltas[1]).toEqual({ type: 'toolcall_delta', turn: 1, contentIndex: 0, delta: ' "Paris"}' });
    expect(lines.find((l) => l.type === 'toolcall_end')).toMatchObject({
      toolCall: { type: 'toolCall', id: 'call_abc', name: 'get_weather', arguments: { city: 'Paris' } },
    });
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', stopReason: 'toolUse', text: '' });
  });

  it('serializes the error of an error event as name and message only', async () => {
    const s = await serve(sse([chunk({ role: 'assistant', content: 'Part' }), chunk({}, 'content_filter')]));
    const result = await runCli(['run', 'Hello', ...flags(s, '--output', 'stream-json')]);
    expect(result.code).toBe(1);
    const lines = parseLines(result.stdout);
    const error = lines.find((l) => l.type === 'error');
    expect(error).toMatchObject({ turn: 1, reason: 'error', message: { stopReason: 'error' } });
    expect(Object.keys(error?.error as object).sort()).toEqual(['message', 'name']);
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', stopReason: 'error', text: 'Part' });
    expect(lines.at(-1)?.errorMessage).toMatch(/filter/);
  });
});
