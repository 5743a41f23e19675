/**
 * One `reasoning` option, mapped per API: Chat `reasoning_effort`, Responses `reasoning.effort`, Anthropic
 * thinking budgets; a warning (and nothing sent) when the model record or the server cannot honour it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Api, Model, ModelCompat, ReasoningLevel } from '../../src/index.js';
import { stream } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { anthropicText } from '../anthropic-messages/strict-anthropic.js';
import { textStream } from '../helpers/sse.js';
import { ndjson, textBody } from '../ollama-chat/helpers.js';
import { responsesText } from '../openai-responses/strict-responses.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ANSWERS: Record<Api, { body: string; contentType?: string }> = {
  'openai-chat': { body: textStream(['ok']) },
  'openai-responses': { body: responsesText('ok') },
  'anthropic-messages': { body: anthropicText('ok') },
  'ollama-chat': ndjson(textBody(['ok'])),
};

async function send(
  api: Api,
  level: ReasoningLevel,
  extra: { reasoning?: boolean; compat?: ModelCompat } = {},
) {
  server = await startFixtureServer({ responses: () => ANSWERS[api] ?? { body: '' } });
  const model: Model = { id: 'm', api, provider: 'custom', baseUrl: server.baseUrl, ...extra };
  const s = stream(model, { messages: [{ role: 'user', content: 'hi' }] }, { reasoning: level });
  const events = [];
  for await (const event of s) events.push(event);
  const first = events[0];
  const body = server.requests[0]?.json as Record<string, unknown>;
  await server.close();
  server = undefined;
  return { body, warnings: first?.type === 'start' ? first.warnings : [] };
}

const FIELD: Record<Api, string> = {
  'openai-chat': 'reasoning_effort',
  'openai-responses': 'reasoning',
  'anthropic-messages': 'thinking',
  'ollama-chat': 'think',
};
const sent = (api: Api, body: Record<string, unknown>) => body[FIELD[api] ?? ''];

describe('reasoning levels per API', () => {
  it.each([
    ['openai-chat', 'low', 'low', { reasoningEffort: true }],
    ['openai-chat', 'off', 'none', { reasoningEffort: true }],
    ['openai-responses', 'minimal', { effort: 'minimal', summary: 'auto' }, {}],
    ['openai-responses', 'off', { effort: 'none' }, {}],
    ['anthropic-messages', 'minimal', { type: 'enabled', budget_tokens: 1024 }, {}],
    ['anthropic-messages', 'high', { type: 'enabled', budget_tokens: 16384 }, {}],
    ['anthropic-messages', 'off', undefined, {}],
    ['ollama-chat', 'high', true, {}],
    ['ollama-chat', 'off', false, {}],
    ['ollama-chat', 'medium', 'medium', { thinkLevels: true }],
    ['ollama-chat', 'minimal', 'low', { thinkLevels: true }],
  ] as [Api, ReasoningLevel, unknown, ModelCompat][])('%s %s', async (api, level, expected, compat) => {
    const { body, warnings } = await send(api, level, { compat });
    expect(sent(api, body)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('ollama-chat: a model that does not reason gets no `think` and a warning', async () => {
    const { body, warnings } = await send('ollama-chat', 'high', { reasoning: false });
    expect(sent('ollama-chat', body)).toBeUndefined();
    expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(warnings.join('\n')).toMatch(/does not reason/);
  });

  for (const api of ['openai-chat', 'openai-responses', 'anthropic-messages'] as Api[]) {
    it(`${api}: a model that does not reason gets nothing and a warning`, async () => {
      const { body, warnings } = await send(api, 'high', {
        reasoning: false,
        compat: { reasoningEffort: true },
      });
      expect(sent(api, body)).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/does not reason/);
    });
    it(`${api}: a server that cannot gets nothing and a warning`, async () => {
      const { body, warnings } = await send(api, 'high', {
        compat: { reasoningEffort: false, extendedThinking: false },
      });
      expect(sent(api, body)).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/not supported|does not support/);
    });
  }
});
