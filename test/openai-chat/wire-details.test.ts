/**
 * Chat Completions wire details through a real loopback server: raw Harmony tokens, base URLs with a query
 * string (Azure), tool images for vision models, prompt_cache_key, and the LiteLLM / Text Generation WebUI
 * presets.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type AssistantMessage, getPreset, type Message, modelFor, probe, stream } from '../../src/index.js';
import { resolveCompat } from '../../src/provider/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { responsesText } from '../openai-responses/strict-responses.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const HARMONY =
  '<|channel|>analysis<|message|>The user wants the weather; call the tool. Note: a<b and <|x|> are text.<|end|>' +
  '<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city":"Zürich"}<|call|>';
const HARMONY_FINAL =
  '<|channel|>analysis<|message|>Easy.<|end|><|start|>assistant<|channel|>final<|message|>Hello 👋 world.<|return|>';

/** Cuts `text` at the given character positions (sorted, deduplicated) into content deltas. */
function deltas(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % text.length))].filter((p) => p > 0).sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

function summary(message: AssistantMessage) {
  return message.content.map((b) =>
    b.type === 'text'
      ? ['text', b.text]
      : b.type === 'thinking'
        ? ['thinking', b.thinking]
        : ['call', b.name, b.arguments],
  );
}

describe('raw Harmony tokens in delta.content', () => {
  it('split at random content and byte boundaries: analysis → thinking, final → text, to=functions → tool call', async () => {
    const bodies: string[] = [];
    server = await startFixtureServer({
      responses: (_request, index) => {
        const body = bodies[index] ?? '';
        // Byte splits inside the SSE body too (may cut a multi-byte character or a token in half).
        const bytes = Buffer.byteLength(body);
        const splits = [...new Set([Math.floor(bytes / 3), Math.floor(bytes / 2), bytes - 7])].sort(
          (a, b) => a - b,
        );
        return { body, splits: splits.filter((s) => s > 0 && s < bytes) };
      },
    });
    const url = server.baseUrl;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(HARMONY, HARMONY_FINAL),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (text, cuts) => {
          const pieces = deltas(text, cuts);
          const call = text === HARMONY;
          bodies.push(
            sseBody([
              chunk({ role: 'assistant', content: '' }),
              ...pieces.map((p) => chunk({ content: p })),
              chunk({}, 'stop'),
            ]),
          );
          const message = await stream(loopbackModel(url), {
            messages: [{ role: 'user', content: 'hi' }],
          }).result();
          if (call) {
            expect(summary(message)).toEqual([
              ['thinking', 'The user wants the weather; call the tool. Note: a<b and <|x|> are text.'],
              ['call', 'get_weather', { city: 'Zürich' }],
            ]);
            expect(message.stopReason).toBe('toolUse');
          } else {
            expect(summary(message)).toEqual([
              ['thinking', 'Easy.'],
              ['text', 'Hello 👋 world.'],
            ]);
            expect(message.stopReason).toBe('stop');
          }
        },
      ),
      { numRuns: 25 },
    );
    expect(server.errors).toEqual([]);
  });

  it('text that merely contains <| stays text; harmonyTokens: false keeps the tokens as text', async () => {
    server = await startFixtureServer({
      responses: [
        { body: textStream(['Use ', '<|channel|>', ' tokens.']) },
        { body: textStream([HARMONY_FINAL]) },
      ],
    });
    const first = await stream(loopbackModel(server.baseUrl), {
      messages: [{ role: 'user', content: 'a' }],
    }).result();
    expect(summary(first)).toEqual([['text', 'Use <|channel|> tokens.']]);
    const off = loopbackModel(server.baseUrl, { compat: { harmonyTokens: false } });
    const second = await stream(off, { messages: [{ role: 'user', content: 'b' }] }).result();
    expect(summary(second)).toEqual([['text', HARMONY_FINAL]]);
  });
});

describe('base URLs with a query string (Azure OpenAI)', () => {
  it('appends the path before the query, and api-key goes as its own header', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['ok']) }] });
    const model = loopbackModel(`${server.baseUrl}/openai/deployments/gpt-4o?api-version=2024-10-21`, {
      headers: { 'api-key': 'azure-secret-key' },
    });
    const message = await stream(model, { messages: [{ role: 'user', content: 'hi' }] }).result();
    expect(message.stopReason).toBe('stop');
    const request = server.requests[0];
    expect(request?.path).toBe('/v1/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-secret-key');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('model listing (probe) keeps the query too', async () => {
    server = await startFixtureServer({
      responses: (request) =>
        request.path.startsWith('/v1/models')
          ? {
              contentType: 'application/json',
              body: JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o' }] }),
            }
          : { status: 404, contentType: 'application/json', body: '{"error":"not found"}' },
    });
    const profile = await probe(`${server.baseUrl}?api-version=2024-10-21`, { cache: false });
    expect(profile.models.map((m) => m.id)).toContain('gpt-4o');
    expect(server.requests.map((r) => r.path)).toContain('/v1/models?api-version=2024-10-21');
  });
});

describe('images returned by tools', () => {
  const history: Message[] = [
    { role: 'user', content: 'Take a screenshot.' },
    {
      role: 'assistant',
      content: [{ type: 'toolCall', id: 'call_1', name: 'screenshot', arguments: {} }],
      api: 'openai-chat',
      provider: 'custom',
      model: 'test-model',
      usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, total: 2 },
      stopReason: 'toolUse',
      timestamp: 1,
    },
    {
      role: 'toolResult',
      toolCallId: 'call_1',
      toolName: 'screenshot',
      content: [
        { type: 'text', text: 'Captured 1 screen.' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png', detail: 'low' },
      ],
      isError: false,
    },
  ];

  it('reach a vision model as image parts in a user message after the tool messages', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['I see it.']) }] });
    const model = loopbackModel(server.baseUrl, { input: ['text', 'image'] });
    await stream(model, { messages: history }).result();
    const messages = (server.requests[0]!.json as { messages: unknown[] }).messages;
    expect(messages.slice(-2)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'Captured 1 screen.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: '[image from tool screenshot]' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
        ],
      },
    ]);
  });

  it('stay a text placeholder for a model that does not list image input', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['ok']) }] });
    await stream(loopbackModel(server.baseUrl), { messages: history }).result();
    const messages = (server.requests[0]!.json as { messages: { role: string; content: unknown }[] })
      .messages;
    expect(messages.at(-1)?.role).toBe('tool');
    expect(String(messages.at(-1)?.content)).toMatch(/^Captured 1 screen\.\n\[image omitted/);
  });
});

describe('prompt_cache_key', () => {
  it('is sent to OpenAI (Chat Completions and Responses) and not to other servers', async () => {
    server = await startFixtureServer({
      responses: [{ body: textStream(['a']) }, { body: responsesText('b') }, { body: textStream(['c']) }],
    });
    const context = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const chat = modelFor({ provider: 'openai', api: 'openai-chat', id: 'gpt-4o', baseUrl: server.baseUrl });
    await stream(chat, context, { apiKey: 'k', promptCacheKey: 'session-42' }).result();
    const responses = modelFor({ provider: 'openai', id: 'gpt-4o', baseUrl: server.baseUrl });
    await stream(responses, context, { apiKey: 'k', promptCacheKey: 'session-42' }).result();
    await stream(loopbackModel(server.baseUrl), context, { promptCacheKey: 'session-42' }).result();
    const bodies = server.requests.map((r) => r.json as Record<string, unknown>);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/v1/chat/completions',
      '/v1/responses',
      '/v1/chat/completions',
    ]);
    expect(bodies[0]?.prompt_cache_key).toBe('session-42');
    expect(bodies[1]?.prompt_cache_key).toBe('session-42');
    expect(bodies[2]).not.toHaveProperty('prompt_cache_key');
  });
});

describe('LiteLLM and Text Generation WebUI presets', () => {
  it('resolve with their base URLs and compat flags', () => {
    expect(getPreset('litellm')).toMatchObject({ baseUrl: 'http://localhost:4000/v1', api: 'openai-chat' });
    expect(getPreset('textgen-webui')).toMatchObject({
      baseUrl: 'http://127.0.0.1:5000/v1',
      api: 'openai-chat',
    });
    const litellm = resolveCompat(modelFor({ provider: 'litellm', id: 'gpt-4o' }));
    expect(litellm).toMatchObject({ usageInStream: true, reasoningField: 'reasoning_content' });
    const textgen = resolveCompat(modelFor({ provider: 'textgen-webui', id: 'local' }));
    expect(textgen).toMatchObject({ usageInStream: false, responseFormat: 'none', parallelToolCalls: false });
  });

  it('the LiteLLM preset asks for usage in the stream and reads it', async () => {
    server = await startFixtureServer({ responses: [{ body: textStream(['hi'], [9, 1]) }] });
    const model = modelFor({ provider: 'litellm', id: 'gpt-4o', baseUrl: server.baseUrl });
    const message = await stream(model, { messages: [{ role: 'user', content: 'hi' }] }).result();
    expect((server.requests[0]!.json as Record<string, unknown>).stream_options).toEqual({
      include_usage: true,
    });
    expect(message.usage.input).toBe(9);
  });
});

describe('content held while it may become Harmony', () => {
  it('leading whitespace is held and then sent as text', async () => {
    server = await startFixtureServer({
      responses: [{ body: sseBody([chunk({ content: '  ' }), chunk({ content: 'hi' }), chunk({}, 'stop')]) }],
    });
    const message = await stream(loopbackModel(server.baseUrl), {
      messages: [{ role: 'user', content: 'x' }],
    }).result();
    expect(summary(message)).toEqual([['text', '  hi']]);
  });
});
