import { describe, expect, it } from 'vitest';
import {
  type AgentMessage,
  checkContextBudget,
  contextOverflowEvent,
  contextWindowOf,
  estimateTokens,
  imageSizeOf,
  imageTokens,
  MESSAGE_OVERHEAD,
  type Model,
  REPLY_PRIMING,
  type ServerProfile,
} from '../../src/index.js';

// 1024×768 headers (synthetic, generated for this test)
const PNG = 'iVBORw0KGgoAAAANSUhEUgAABAAAAAMACAIAAAA12IJa';
const JPEG = '/9j/4AAQSkZJRgABAQAAAQABAAD/wAALCAMABAABAREA/9k=';
const GIF = 'R0lGODlhAAQAAwAAAA==';
const WEBP = 'UklGRhYAAABXRUJQVlA4WAoAAAAAAAAA/wMA/wIA';

const model = (over: Partial<Model> = {}): Model => ({
  id: 'qwen3:8b',
  api: 'openai-chat',
  provider: 'ollama',
  baseUrl: 'http://localhost:11434/v1',
  ...over,
});

describe('image sizes and image tokens', () => {
  it('reads the size from PNG, JPEG, GIF and WebP headers', () => {
    for (const data of [PNG, JPEG, GIF, WEBP])
      expect(imageSizeOf(data)).toEqual({ width: 1024, height: 768 });
    expect(imageSizeOf('not base64 at all!')).toBeUndefined();
    expect(imageSizeOf('')).toBeUndefined();
  });

  it('prices an image by the provider rule', () => {
    const image = { type: 'image' as const, data: PNG, mimeType: 'image/png' };
    expect(imageTokens(image, 'openai-tiles')).toBe(85 + 170 * 4);
    expect(imageTokens({ ...image, detail: 'low' }, 'openai-tiles')).toBe(85);
    expect(imageTokens(image, 'anthropic')).toBe(Math.ceil((1024 * 768) / 750));
    expect(imageTokens(image, 'gemini')).toBe(258 * 2);
    expect(imageTokens(image, 'patch28')).toBe(37 * 28);
    expect(imageTokens(image, { fixed: 256 })).toBe(256);
    // a URL: the assumed 1024×1024
    expect(imageTokens({ type: 'image', url: 'https://example.com/a.png' }, 'openai-tiles')).toBe(765);
  });

  it('picks the rule from the model', () => {
    const messages: AgentMessage[] = [
      { role: 'user', content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] },
    ];
    expect(estimateTokens(messages, model({ id: 'claude-sonnet-4', api: 'anthropic-messages' })).images).toBe(
      1049,
    );
    expect(estimateTokens(messages, model({ id: 'gemma3:4b' })).images).toBe(256);
    expect(estimateTokens(messages, model({ id: 'gpt-4o' })).images).toBe(765);
  });
});

describe('estimateTokens', () => {
  it('gives a breakdown: system, messages (images included), tools, and the total', () => {
    const estimate = estimateTokens(
      {
        systemPrompt: 'You are a helpful assistant.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', data: PNG, mimeType: 'image/png' },
            ],
          },
        ],
        tools: [
          {
            name: 'search',
            description: 'Search the web.',
            parameters: { type: 'object', properties: { q: { type: 'string' } } },
          },
        ],
      },
      'gpt-4o',
    );
    expect(estimate.images).toBe(765);
    expect(estimate.system).toBeGreaterThan(MESSAGE_OVERHEAD);
    expect(estimate.tools).toBeGreaterThan(20);
    expect(estimate.total).toBe(estimate.system + estimate.messages + estimate.tools + REPLY_PRIMING);
    expect(estimate.perMessage).toEqual([estimate.messages]);
  });

  it('counts tool calls (name + JSON arguments), tool results and thinking; custom messages count 0', () => {
    const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
    const messages: AgentMessage[] = [
      { role: 'custom', customType: 'ui', data: { text: 'x'.repeat(1000) } },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Let me look that up in the database first.' },
          {
            type: 'toolCall',
            id: 'c1',
            name: 'query_database',
            arguments: { table: 'users', where: { id: 42 } },
          },
        ],
        api: 'openai-chat',
        provider: 'custom',
        model: 'm',
        usage,
        stopReason: 'toolUse',
        timestamp: 1,
      },
      {
        role: 'toolResult',
        toolCallId: 'c1',
        toolName: 'query_database',
        content: [{ type: 'text', text: '{"name":"Ada"}' }],
        isError: false,
      },
    ];
    const { perMessage } = estimateTokens(messages, 'gpt-4o');
    expect(perMessage[0]).toBe(0);
    expect(perMessage[1]).toBeGreaterThan(20);
    expect(perMessage[2]).toBeGreaterThan(MESSAGE_OVERHEAD + 3);
  });

  it('is linear: a 2 MB transcript is estimated in well under a second', () => {
    const big = 'Lorem ipsum dolor sit amet, 数据 данные 12345 {"k": [1, 2]} 🚀\n'.repeat(32_000);
    const started = performance.now();
    const estimate = estimateTokens([{ role: 'user', content: big }], 'gpt-4o');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(estimate.total).toBeGreaterThan(big.length / 6);
  });
});

describe('contextWindowOf and checkContextBudget', () => {
  const profile: ServerProfile = {
    schemaVersion: 1,
    baseUrl: 'http://localhost:11434/v1',
    server: 'ollama',
    provider: 'ollama',
    models: [
      { id: 'qwen3:8b', contextWindow: 4096, maxContextWindow: 40960 },
      { id: 'other', contextWindow: 8192 },
    ],
    model: 'qwen3:8b',
    contextWindow: 4096,
    compat: {},
    warnings: [],
    probedAt: 1,
  };

  it('takes the smaller of the record and the probe, for the same model id', () => {
    expect(contextWindowOf(model())).toBeUndefined();
    expect(contextWindowOf(model({ contextWindow: 32768 }))).toBe(32768);
    expect(contextWindowOf(model(), profile)).toBe(4096);
    expect(contextWindowOf(model({ contextWindow: 32768 }), profile)).toBe(4096);
    expect(contextWindowOf(model({ contextWindow: 2048 }), profile)).toBe(2048);
    expect(contextWindowOf(model({ id: 'other' }), profile)).toBe(8192);
    expect(contextWindowOf(model({ id: 'unknown' }), profile)).toBeUndefined();
    expect(contextWindowOf(model(), { id: 'qwen3:8b', contextWindow: 1024 })).toBe(1024);
    expect(contextWindowOf(model(), 3000)).toBe(3000);
  });

  it('says whether the request fits with the output reserve, and builds the overflow event', () => {
    const context = { messages: [{ role: 'user' as const, content: 'word '.repeat(4000) }] };
    const small = model({ contextWindow: 4096 });
    const tight = checkContextBudget(small, context, { reserveOutputTokens: 1024 });
    expect(tight.fits).toBe(false);
    expect(tight.window).toBe(4096);
    expect(tight.remaining).toBe(4096 - 1024 - tight.estimated);
    expect(contextOverflowEvent(tight, 3)).toEqual({
      type: 'context_overflow',
      estimated: tight.estimated,
      window: 4096,
      reserveOutputTokens: 1024,
      turn: 3,
    });
    const roomy = checkContextBudget(model({ contextWindow: 32768, maxOutputTokens: 2000 }), context);
    expect(roomy).toMatchObject({ fits: true, reserveOutputTokens: 2000 });
    expect(contextOverflowEvent(roomy, 1)).toBeUndefined();
    expect(checkContextBudget(model(), context)).toMatchObject({
      fits: true,
      window: undefined,
      remaining: undefined,
    });
  });
});
