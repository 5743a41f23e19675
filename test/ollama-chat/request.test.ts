/**
 * The `POST /api/chat` body the ollama-chat provider sends, read by a loopback server: `options.num_ctx`
 * from the model record, `num_predict` and sampling options, tools in function shape, images as bare
 * base64, `think`, `format`, `keep_alive`, and the history (tool calls with object arguments, results as
 * `role: 'tool'` with `tool_name`; generated ids never sent back, the server's own ids kept).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AssistantMessage,
  type Context,
  type Model,
  modelFor,
  type StreamOptions,
  stream,
} from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { doneLine, line, ndjson, ollamaModel, textBody } from './helpers.js';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Sends one call and returns the JSON body the server received, and the final message. */
async function sent(
  context: Context,
  options: StreamOptions = {},
  overrides: Partial<Model> = {},
  body = textBody(['ok']),
) {
  const server = await startFixtureServer({ responses: [ndjson(body)] });
  servers.push(server);
  const s = stream(ollamaModel(server.url, overrides), context, options);
  const message = await s.result();
  const request = server.requests[0];
  expect(request?.path).toBe('/api/chat');
  return { body: request?.json as Record<string, unknown>, message, request };
}

const hi: Context = { messages: [{ role: 'user', content: 'hi' }] };

describe('ollama-chat request body', () => {
  it('sends num_ctx from the model record, num_predict from maxTokens, sampling options and stream', async () => {
    const { body, request } = await sent(
      hi,
      { maxTokens: 256, temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7 },
      { contextWindow: 32768 },
    );
    expect(body).toEqual({
      model: 'qwen3:8b',
      messages: [{ role: 'user', content: 'hi' }],
      options: { num_ctx: 32768, num_predict: 256, temperature: 0.2, top_p: 0.9, stop: ['END'], seed: 7 },
      stream: true,
    });
    expect(request?.headers.accept).toBe('application/x-ndjson');
  });

  it('leaves num_ctx out without a contextWindow, or when compat.sendContextWindow is false', async () => {
    expect((await sent(hi)).body.options).toEqual({});
    const off = await sent(hi, {}, { contextWindow: 8192, compat: { sendContextWindow: false } });
    expect(off.body.options).toEqual({});
  });

  it('sends tools in function shape and the system prompt first; tool_choice is warned about', async () => {
    const { body, message } = await sent(
      {
        systemPrompt: 'Be brief.',
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [
          {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
      },
      { toolChoice: 'auto' },
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'weather?' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
    expect(message.stopReason).toBe('stop');
  });

  it('sends images as base64 without a data: prefix, next to the text', async () => {
    const { body } = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'what is this?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] },
    ]);
  });

  it('maps reasoning to think: a boolean, a level with compat.thinkLevels, false for off', async () => {
    expect((await sent(hi, { reasoning: 'high' })).body.think).toBe(true);
    expect((await sent(hi, { reasoning: 'off' })).body.think).toBe(false);
    expect((await sent(hi)).body).not.toHaveProperty('think');
    const levels = await sent(hi, { reasoning: 'minimal' }, { compat: { thinkLevels: true } });
    expect(levels.body.think).toBe('low');
    const noReasoning = await sent(hi, { reasoning: 'high' }, { reasoning: false });
    expect(noReasoning.body).not.toHaveProperty('think');
  });

  it('sends responseFormat as format: a JSON schema, or "json"', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    expect((await sent(hi, { responseFormat: { type: 'json_schema', schema } })).body.format).toEqual(schema);
    expect((await sent(hi, { responseFormat: { type: 'json_object' } })).body.format).toBe('json');
    expect((await sent(hi, { responseFormat: { type: 'text' } })).body).not.toHaveProperty('format');
  });

  it('takes keep_alive and extra options from providerOptions["ollama-chat"]', async () => {
    const { body } = await sent(
      hi,
      { maxTokens: 10, providerOptions: { 'ollama-chat': { keep_alive: '30m', options: { num_gpu: 20 } } } },
      { contextWindow: 4096 },
    );
    expect(body.keep_alive).toBe('30m');
    expect(body.options).toEqual({ num_ctx: 4096, num_predict: 10, num_gpu: 20 });
  });

  it('sends stream: false for a non-streaming call and reads the one JSON body', async () => {
    const whole = JSON.stringify({
      model: 'qwen3:8b',
      message: { role: 'assistant', content: 'whole answer' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 3,
      eval_count: 2,
    });
    const server = await startFixtureServer({
      responses: [{ body: whole, contentType: 'application/json' }],
    });
    servers.push(server);
    const message = await stream(ollamaModel(server.url), hi, { streaming: false }).result();
    expect(server.requests[0]?.json).toMatchObject({ stream: false });
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    expect(message.content).toEqual([{ type: 'text', text: 'whole answer' }]);
    expect(message.usage).toMatchObject({ input: 3, output: 2, total: 5 });
  });

  it('rejects a bad maxTokens with a typed error and sends nothing', async () => {
    const server = await startFixtureServer({ responses: [] });
    servers.push(server);
    const message = await stream(ollamaModel(server.url), hi, { maxTokens: 0 }).result();
    expect(message.stopReason).toBe('error');
    expect(message.errorMessage).toContain('maxTokens must be a positive integer');
    expect(server.requests).toHaveLength(0);
  });
});

describe('ollama-chat history', () => {
  /** A first turn whose tool call came from a server without ids (the SDK generated one). */
  async function firstTurn(withId: boolean): Promise<AssistantMessage> {
    const call = {
      function: { name: 'weather', arguments: { city: 'Oslo' } },
      ...(withId && { id: 'call_srv1' }),
    };
    const body = line({
      message: { role: 'assistant', content: '', thinking: 'look it up', tool_calls: [call] },
    });
    const { message } = await sent(hi, {}, {}, body + doneLine());
    return message;
  }

  it('replays tool calls with object arguments and results as role tool with tool_name; no generated ids', async () => {
    const assistant = await firstTurn(false);
    expect(assistant.stopReason).toBe('toolUse');
    const call = assistant.content.find((b) => b.type === 'toolCall');
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    const { body } = await sent({
      messages: [
        { role: 'user', content: 'hi' },
        assistant,
        {
          role: 'toolResult',
          toolCallId: call?.id ?? '',
          toolName: 'weather',
          content: [{ type: 'text', text: '12 C' }],
          isError: false,
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: '',
        thinking: 'look it up',
        tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }],
      },
      { role: 'tool', tool_name: 'weather', content: '12 C' },
    ]);
  });

  it("sends the server's own tool-call ids back (id and tool_call_id)", async () => {
    const assistant = await firstTurn(true);
    const { body } = await sent({
      messages: [
        { role: 'user', content: 'hi' },
        assistant,
        {
          role: 'toolResult',
          toolCallId: 'call_srv1',
          toolName: 'weather',
          content: [{ type: 'text', text: '12 C' }],
          isError: false,
        },
      ],
    });
    const messages = body.messages as Record<string, unknown>[];
    expect(messages[1]?.tool_calls).toEqual([
      { id: 'call_srv1', function: { name: 'weather', arguments: { city: 'Oslo' } } },
    ]);
    expect(messages[2]).toEqual({
      role: 'tool',
      tool_name: 'weather',
      tool_call_id: 'call_srv1',
      content: '12 C',
    });
  });
});

describe('ollama-native preset', () => {
  it('is opt-in: `ollama` stays the OpenAI-compatible /v1 endpoint', () => {
    expect(modelFor({ provider: 'ollama', id: 'qwen3:8b' })).toMatchObject({
      api: 'openai-chat',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(modelFor({ provider: 'ollama-native', id: 'qwen3:8b' })).toMatchObject({
      api: 'ollama-chat',
      provider: 'ollama-native',
      baseUrl: 'http://localhost:11434',
    });
    expect(modelFor({ baseUrl: 'http://127.0.0.1:11434/v1', id: 'x' }).provider).toBe('ollama');
  });
});
