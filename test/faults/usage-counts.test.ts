import { afterEach, describe, expect, it } from 'vitest';
import { complete } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk } from '../helpers/sse.js';

const TRANSPORT = process.env.OPEN_AGENT_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('usage counts are finite non-negative integers whatever the server sends', () => {
  const cases: [string, string, number][] = [
    ['negative', '-5', 0],
    ['overflowing to Infinity', '1e400', 0],
    ['fractional', '7.9', 7],
    ['a string', '"12"', 0],
    ['null', 'null', 0],
  ];
  for (const [name, raw, expected] of cases) {
    it(`prompt_tokens ${name} (${raw}) → ${expected}; the text is kept`, async () => {
      const usage = `{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":${raw},"completion_tokens":3,"total_tokens":${raw}}}`;
      const body = `data: ${JSON.stringify(chunk({ content: 'hi' }))}\n\ndata: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: ${usage}\n\ndata: [DONE]\n\n`;
      server = await startFixtureServer({ responses: [{ body }, { body }] });
      const message = await complete(loopbackModel(server.baseUrl), { messages: [] }, TRANSPORT);
      expect(message.stopReason).toBe('stop');
      expect(message.content).toEqual([{ type: 'text', text: 'hi' }]);
      for (const value of [message.usage.input, message.usage.output, message.usage.total]) {
        expect(Number.isInteger(value) && value >= 0).toBe(true);
      }
      expect(message.usage.output).toBe(3);
      expect(message.usage.input).toBe(expected);
      expect((await complete(loopbackModel(server.baseUrl), { messages: [] }, TRANSPORT)).stopReason).toBe(
        'stop',
      );
    });
  }
});
