/**
 * The legacy function-calling shape (`functions` / `function_call` / `role: 'function'`), both directions,
 * through a real loopback server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Context, type Message, stream } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody, usageChunk } from '../helpers/sse.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const weather: Context['tools'] = [
  {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
];

describe('legacy function_call responses', () => {
  it('a streamed delta.function_call becomes a tool call with a generated id (finish_reason function_call)', async () => {
    server = await startFixtureServer({
      responses: [
        {
          body: sseBody([
            chunk({
              role: 'assistant',
              content: null,
              function_call: { name: 'get_weather', arguments: '' },
            }),
            chunk({ function_call: { arguments: '{"city":' } }),
            chunk({ function_call: { arguments: ' "Paris"}' } }),
            chunk({}, 'function_call'),
            usageChunk(12, 7),
          ]),
          splits: [40, 120, 200],
        },
      ],
    });
    const message = await stream(loopbackModel(server.baseUrl), {
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: weather,
    }).result();
    expect(message.stopReason).toBe('toolUse');
    expect(message.rawStopReason).toBe('function_call');
    const calls = message.content.filter((b) => b.type === 'toolCall');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
    expect(calls[0]?.type === 'toolCall' && calls[0].id.length).toBeGreaterThan(0);
  });

  it('a non-streamed message.function_call becomes a tool call', async () => {
    server = await startFixtureServer({
      responses: [
        {
          contentType: 'application/json',
          body: JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: null,
                  function_call: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
                },
                finish_reason: 'function_call',
              },
            ],
            usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
          }),
        },
      ],
    });
    const message = await stream(
      loopbackModel(server.baseUrl),
      { messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: weather },
      { streaming: false },
    ).result();
    expect(message.stopReason).toBe('toolUse');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'toolCall', name: 'get_weather', arguments: { city: 'Oslo' } }),
    ]);
  });
});

describe('legacyFunctions: true requests', () => {
  const history: Message[] = [
    { role: 'user', content: 'Weather in Paris and Oslo?' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'toolCall', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
        { type: 'toolCall', id: 'c2', name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
      api: 'openai-chat',
      provider: 'custom',
      model: 'test-model',
      usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, total: 2 },
      stopReason: 'toolUse',
      timestamp: 1,
    },
    // Results in the other order: they are matched to calls by id.
    {
      role: 'toolResult',
      toolCallId: 'c2',
      toolName: 'get_weather',
      content: [{ type: 'text', text: 'Oslo: 3°C' }],
      isError: false,
    },
    {
      role: 'toolResult',
      toolCallId: 'c1',
      toolName: 'get_weather',
      content: [{ type: 'text', text: 'Paris: 14°C' }],
      isError: false,
    },
  ];

  it('sends functions / function_call, one call per assistant message, results as role function', async () => {
    server = await startFixtureServer({
      responses: [{ body: sseBody([chunk({ content: 'Paris 14°C, Oslo 3°C.' }), chunk({}, 'stop')]) }],
    });
    const model = loopbackModel(server.baseUrl, { compat: { legacyFunctions: true } });
    const s = stream(
      model,
      { systemPrompt: 'Be brief.', messages: history, tools: weather },
      { toolChoice: { name: 'get_weather' }, parallelToolCalls: false },
    );
    const message = await s.result();
    expect(message.stopReason).toBe('stop');
    const body = server.requests[0]?.json as Record<string, unknown>;
    expect(body.tools).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
    expect(body.parallel_tool_calls).toBeUndefined();
    expect(body.functions).toEqual([
      {
        name: 'get_weather',
        description: 'Weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    expect(body.function_call).toEqual({ name: 'get_weather' });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      { role: 'function', name: 'get_weather', content: 'Paris: 14°C' },
      {
        role: 'assistant',
        content: null,
        function_call: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
      { role: 'function', name: 'get_weather', content: 'Oslo: 3°C' },
    ]);
  });

  it('warns that tool_choice "required" has no legacy form', async () => {
    server = await startFixtureServer({
      responses: [{ body: sseBody([chunk({ content: 'ok' }), chunk({}, 'stop')]) }],
    });
    const model = loopbackModel(server.baseUrl, { compat: { legacyFunctions: true } });
    const s = stream(
      model,
      { messages: [{ role: 'user', content: 'hi' }], tools: weather },
      { toolChoice: 'required' },
    );
    let warnings: string[] = [];
    for await (const event of s) if (event.type === 'start') warnings = event.warnings;
    const body = server.requests[0]?.json as Record<string, unknown>;
    expect(body.function_call).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/required.*legacy function_call/);
  });
});
