/**
 * The ollama-chat provider over real NDJSON from a loopback server: a tool-call round trip through
 * `Agent`, `{"error": ...}` lines mid-stream, HTTP error bodies, a body cut before its `done` line, and an
 * abort that keeps the partial content. After each failure the next call works and no socket is left open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, ApiError, ContextOverflowError, StreamParseError, stream, tool } from '../../src/index.js';
import { type FixtureServer, type ScriptedResponse, startFixtureServer } from '../../src/testing/index.js';
import { checkGrammar, collect } from '../helpers/events.js';
import { doneLine, line, ndjson, ollamaModel, textBody } from './helpers.js';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(responses: ScriptedResponse[] | Parameters<typeof startFixtureServer>[0]['responses']) {
  const server = await startFixtureServer({ responses });
  servers.push(server);
  return server;
}

const hi = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** The next call on the same server streams normally. */
async function nextCallWorks(server: FixtureServer): Promise<void> {
  const message = await stream(ollamaModel(server.url), hi).result();
  expect(message.stopReason).toBe('stop');
  expect(message.content).toEqual([{ type: 'text', text: 'fine' }]);
}

describe('ollama-chat through Agent', () => {
  it('runs a tool-call round trip: the call, the tool result as role tool, the final answer', async () => {
    const bodies: Record<string, unknown>[] = [];
    const server = await serve((request) => {
      bodies.push(request.json as Record<string, unknown>);
      if (bodies.length === 1) {
        const call = { function: { index: 0, name: 'add', arguments: { a: 2, b: 3 } } };
        return ndjson(
          line({ message: { role: 'assistant', content: '', thinking: 'add them' } }) +
            line({ message: { role: 'assistant', content: '', tool_calls: [call] } }) +
            doneLine('stop', 40, 9),
        );
      }
      return ndjson(textBody(['The sum ', 'is 5.']));
    });
    const add = tool({
      name: 'add',
      description: 'Adds two numbers',
      parameters: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
      execute: ({ args }) => {
        const { a, b } = args as { a: number; b: number };
        return String(a + b);
      },
    });
    const agent = new Agent({ model: ollamaModel(server.url, { contextWindow: 16384 }), tools: [add] });
    const result = await agent.prompt('2 + 3?');
    expect(result.stopReason).toBe('stop');
    expect(result.lastMessage?.content).toEqual([{ type: 'text', text: 'The sum is 5.' }]);
    expect(agent.state.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant']);
    const first = agent.state.messages[1];
    expect(first?.role === 'assistant' && first.stopReason).toBe('toolUse');
    expect(first?.role === 'assistant' && first.usage).toMatchObject({ input: 40, output: 9, total: 49 });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.options).toEqual({ num_ctx: 16384 });
    expect(bodies[1]?.messages).toEqual([
      { role: 'user', content: '2 + 3?' },
      {
        role: 'assistant',
        content: '',
        thinking: 'add them',
        tool_calls: [{ function: { name: 'add', arguments: { a: 2, b: 3 } } }],
      },
      { role: 'tool', tool_name: 'add', content: '5' },
    ]);
  });
});

describe('ollama-chat tool calls', () => {
  it('id-less calls get distinct portable ids, marked as generated; arguments as an object or a string', async () => {
    const calls = [
      { function: { index: 0, name: 'read', arguments: { path: 'a.txt' } } },
      { function: { index: 1, name: 'read', arguments: '{"path":"b.txt"}' } },
    ];
    const body = line({ message: { role: 'assistant', content: '', tool_calls: calls } }) + doneLine('stop');
    const server = await serve([ndjson(body)]);
    const s = stream(ollamaModel(server.url), hi);
    const events = await collect(s);
    const message = await s.result();
    checkGrammar(events, message);
    expect(message.stopReason).toBe('toolUse');
    expect(message.rawStopReason).toBe('stop');
    const blocks = message.content.filter((b) => b.type === 'toolCall');
    expect(blocks.map((b) => b.arguments)).toEqual([{ path: 'a.txt' }, { path: 'b.txt' }]);
    expect(blocks.map((b) => b.providerData)).toEqual([
      { ollamaGeneratedId: true },
      { ollamaGeneratedId: true },
    ]);
    expect(new Set(blocks.map((b) => b.id)).size).toBe(2);
    for (const b of blocks) expect(b.id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});

describe('ollama-chat failures', () => {
  it('an {"error"} line mid-stream ends in an ApiError that keeps the partial text', async () => {
    const body =
      line({ message: { role: 'assistant', content: 'Partial ' } }) +
      line({ message: { role: 'assistant', content: 'answer' } }) +
      `${JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF' })}\n`;
    const server = await serve([ndjson(body), ndjson(textBody(['fine']))]);
    const s = stream(ollamaModel(server.url), hi);
    const events = await collect(s);
    const message = await s.result();
    checkGrammar(events, message);
    expect(message.stopReason).toBe('error');
    expect(message.content).toEqual([{ type: 'text', text: 'Partial answer' }]);
    expect(message.errorMessage).toContain('unexpected EOF');
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ApiError);
    await nextCallWorks(server);
  });

  it('a context-overflow error line is a ContextOverflowError', async () => {
    const body = `${JSON.stringify({ error: 'the input length exceeds the context length' })}\n`;
    const server = await serve([ndjson(body), ndjson(textBody(['fine']))]);
    const events = await collect(stream(ollamaModel(server.url), hi));
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ContextOverflowError);
    await nextCallWorks(server);
  });

  it('an HTTP error body {"error": "..."} is an ApiError with the status and the server message', async () => {
    const server = await serve([
      {
        status: 404,
        contentType: 'application/json',
        body: '{"error":"model \\"nope\\" not found, try pulling it first"}',
      },
      ndjson(textBody(['fine'])),
    ]);
    const s = stream(ollamaModel(server.url, { id: 'nope' }), hi);
    const events = await collect(s);
    const message = await s.result();
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toContain('HTTP 404');
    expect(message.errorMessage).toContain('not found, try pulling it first');
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ApiError);
    expect(last?.type === 'error' && (last.error as ApiError).status).toBe(404);
    await nextCallWorks(server);
  });

  it('a body that ends before its done line is a truncated StreamParseError keeping the text', async () => {
    const body = line({ message: { role: 'assistant', content: 'cut he' } });
    const server = await serve([ndjson(body), ndjson(textBody(['fine']))]);
    const s = stream(ollamaModel(server.url), hi, { retry: { maxRetries: 0 } });
    const events = await collect(s);
    const message = await s.result();
    expect(message.stopReason).toBe('error');
    expect(message.content).toEqual([{ type: 'text', text: 'cut he' }]);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(StreamParseError);
    expect(last?.type === 'error' && (last.error as StreamParseError).kind).toBe('truncated');
    await nextCallWorks(server);
  });

  it('abort keeps the partial content and closes the request', async () => {
    const body =
      line({ message: { role: 'assistant', content: '', thinking: 'hmm' } }) +
      line({ message: { role: 'assistant', content: 'half an ans' } });
    const server = await serve([{ ...ndjson(body), stallAtEnd: true }, ndjson(textBody(['fine']))]);
    const controller = new AbortController();
    const s = stream(ollamaModel(server.url), hi, { signal: controller.signal });
    const events = [];
    for await (const event of s) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    }
    const message = await s.result();
    checkGrammar(events, message);
    expect(message.stopReason).toBe('aborted');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'hmm' },
      { type: 'text', text: 'half an ans' },
    ]);
    await server.waitForDisconnect();
    await nextCallWorks(server);
  });
});
