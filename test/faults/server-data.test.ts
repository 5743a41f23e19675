/**
 * Issue 11 item 7: server data kept in messages (Anthropic citations and server-tool blocks, Responses
 * annotations and unknown server-tool items) obeys the tool-argument limits (`limits.maxJsonDepth`,
 * `limits.maxArgumentBytes`). Over-limit data is dropped and marked (`providerData.truncated`), the text is
 * kept, the state serializes (`serializeAgentState`, `RunState.toString()`), and the next call on the same
 * transcript works and does not replay the hostile data. Runs on both transports (vitest `fetch` project).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AgentMessage,
  type Api,
  agentLoop,
  type Model,
  type StreamOptions,
  serializeAgentState,
} from '../../src/index.js';
import { anthropicEvents, anthropicText } from '../anthropic-messages/strict-anthropic.js';
import { responsesEvents, responsesText } from '../openai-responses/strict-responses.js';
import { type RawServer, sendChunks, startRawServer } from './raw-server.js';

const TRANSPORT: Pick<StreamOptions, 'fetch'> =
  process.env.OPEN_AGENT_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};

/** JSON text nested `depth` levels deep (text: `JSON.stringify` itself overflows its stack on it). */
const deep = (depth: number): string => `${'[{"n":'.repeat(depth / 2)}"x"${'}]'.repeat(depth / 2)}`;

const DEEP = deep(10_000);
const BIG = JSON.stringify('y'.repeat(70_000));
const SLOT = 'HOSTILE_SLOT';
/** Puts the hostile JSON text where the events hold {@link SLOT}. */
const fill = (body: string, json: string): string => body.split(JSON.stringify(SLOT)).join(json);

/** Anthropic: a text block whose citation is hostile, then a server-tool block with hostile input. */
function anthropicHostile(citation: unknown, toolInput: unknown): string {
  return anthropicEvents([
    {
      type: 'message_start',
      message: { id: 'msg_h', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 5 } },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'kept text' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: toolInput },
    },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } },
    { type: 'message_stop' },
  ]);
}

/** Responses: a message with a hostile annotation, then an unknown server-tool item that is hostile. */
function responsesHostile(annotation: unknown, item: unknown): string {
  const message = {
    id: 'msg_h',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: 'kept text', annotations: [] }],
  };
  const tool = { id: 'ws_1', type: 'web_search_call', status: 'completed', action: item };
  return responsesEvents([
    { type: 'response.created', response: { id: 'resp_h', status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: { ...message, content: [] } },
    { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'kept text' },
    { type: 'response.output_text.annotation.added', output_index: 0, content_index: 0, annotation },
    { type: 'response.output_item.done', output_index: 0, item: message },
    { type: 'response.output_item.added', output_index: 1, item: tool },
    { type: 'response.output_item.done', output_index: 1, item: tool },
    {
      type: 'response.completed',
      response: {
        id: 'resp_h',
        status: 'completed',
        output: [],
        usage: { input_tokens: 5, output_tokens: 2 },
      },
    },
  ]);
}

const APIS: Record<
  'anthropic-messages' | 'openai-responses',
  { hostile: (json: string) => string; ok: string }
> = {
  'anthropic-messages': {
    hostile: (json) => fill(anthropicHostile(SLOT, SLOT), json),
    ok: anthropicText('after'),
  },
  'openai-responses': {
    hostile: (json) => fill(responsesHostile(SLOT, SLOT), json),
    ok: responsesText('after'),
  },
};

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each([
  ['anthropic-messages', 'a 10,000-deep value', DEEP, 'maxJsonDepth'],
  ['anthropic-messages', 'a value over maxArgumentBytes', BIG, 'maxArgumentBytes'],
  ['openai-responses', 'a 10,000-deep value', DEEP, 'maxJsonDepth'],
  ['openai-responses', 'a value over maxArgumentBytes', BIG, 'maxArgumentBytes'],
] as const)('%s: server data holding %s', (api, _what, value, limit) => {
  it('is dropped and marked, the text kept, the state serializes, the next call works', async () => {
    const bodies = [APIS[api].hostile(value), APIS[api].ok];
    server = await startRawServer((_request, response, index) =>
      sendChunks(response, [bodies[Math.min(index, 1)] ?? ''], { 'content-type': 'text/event-stream' }),
    );
    const model: Model = { id: 'm', api: api as Api, provider: 'custom', baseUrl: server.baseUrl };
    const streamOptions: StreamOptions = {
      ...TRANSPORT,
      apiKey: 'k',
      // Small size limit so the test stays fast; the depth limit is the default (128).
      limits: { maxArgumentBytes: 65_536 },
    };
    const transcript: AgentMessage[] = [];
    const first = agentLoop({ prompts: ['one'], messages: [], config: { model, tools: [], streamOptions } });
    for await (const _ of first) {
      // drain
    }
    const result = await first.result();
    expect(result.stopReason).toBe('stop');
    transcript.push(...result.messages);
    const message = result.lastMessage;
    const text = message?.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text).toBe('kept text');
    const marks = message?.content.flatMap((b) =>
      b.type !== 'toolCall' && b.providerData?.truncated ? [b.providerData.truncated] : [],
    );
    expect(marks?.length).toBeGreaterThan(0);
    expect(JSON.stringify(marks)).toContain(limit);
    // The state serializes (before: RangeError from JSON.stringify on the deep value).
    expect(() => serializeAgentState({ model, messages: transcript })).not.toThrow();
    expect(result.state.toString().length).toBeGreaterThan(0);

    // The next call on the same transcript works and does not replay the hostile data.
    const next = agentLoop({
      prompts: ['two'],
      messages: transcript,
      config: { model, tools: [], streamOptions },
    });
    for await (const _ of next) {
      // drain
    }
    const after = await next.result();
    expect(after.stopReason).toBe('stop');
    expect(after.lastMessage?.content[0]).toMatchObject({ type: 'text', text: 'after' });
    const sent = server.requests[1]?.body ?? '';
    expect(sent).toContain('kept text');
    expect(sent.length).toBeLessThan(20_000);
    expect(server.requests).toHaveLength(2);
  });
});
