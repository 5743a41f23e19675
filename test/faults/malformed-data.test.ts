import { afterEach, describe, expect, it } from 'vitest';
import { type AssistantEvent, StreamParseError, stream } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';

// Issue 11 item 12: malformed server data is a StreamParseError with an excerpt, not a ConnectionError.
const TRANSPORT = process.env.OPEN_AGENT_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const first = chunk({ content: 'kept' });
const cases: { name: string; body: string; api?: 'openai-responses'; contentType?: string }[] = [
  { name: 'null among several choices', body: sseBody([first, { ...chunk({}), choices: [null, null] }]) },
  { name: 'null in tool_calls', body: sseBody([first, chunk({ tool_calls: [null] })]) },
  { name: 'null in a content array', body: sseBody([first, chunk({ content: [null] })]) },
  {
    name: 'a non-array output (Responses, whole JSON)',
    api: 'openai-responses',
    contentType: 'application/json',
    body: JSON.stringify({ id: 'r', object: 'response', status: 'completed', output: { text: 'x' } }),
  },
];

describe('malformed server data', () => {
  for (const c of cases) {
    it(`${c.name}: StreamParseError with an excerpt; partial kept; the next call works`, async () => {
      server = await startFixtureServer({
        responses: [
          { body: c.body, ...(c.contentType && { contentType: c.contentType }) },
          { body: textStream(['next']) },
        ],
      });
      const model = loopbackModel(server.baseUrl, c.api ? { api: c.api } : {});
      const s = stream(model, { messages: [{ role: 'user', content: 'hi' }] }, TRANSPORT);
      const events: AssistantEvent[] = [];
      for await (const event of s) events.push(event);
      const end = events.at(-1);
      expect(end?.type).toBe('error');
      const error = end?.type === 'error' ? end.error : undefined;
      expect(StreamParseError.isInstance(error)).toBe(true);
      expect((error as StreamParseError).excerpt?.length ?? 0).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === 'done' || e.type === 'error')).toHaveLength(1);
      if (!c.api) expect((await s.result()).content).toEqual([{ type: 'text', text: 'kept' }]);
      expect(server.requests).toHaveLength(1);
      const next = await stream(loopbackModel(server.baseUrl), { messages: [] }, TRANSPORT).result();
      expect(next.content).toEqual([{ type: 'text', text: 'next' }]);
    });
  }
});
