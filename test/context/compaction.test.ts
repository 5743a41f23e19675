import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  type AgentMessage,
  type AssistantMessage,
  agentLoop,
  type CompactionEntry,
  CompactionError,
  compactionStrategy,
  compactMessages,
  type Message,
} from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { textStream } from '../helpers/sse.js';

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function summaryServer(bodies: string[]): Promise<FixtureServer> {
  const server = await startFixtureServer({ responses: bodies.map((body) => ({ body })) });
  servers.push(server);
  return server;
}

const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
const reply = (content: AssistantMessage['content']): AssistantMessage => ({
  role: 'assistant',
  content,
  api: 'openai-chat',
  provider: 'custom',
  model: 'test-model',
  usage,
  stopReason: content.some((c) => c.type === 'toolCall') ? 'toolUse' : 'stop',
  timestamp: 1,
});

/** A transcript of `turns` question/tool/answer turns, ~60 tokens each. */
function transcript(turns: number): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < turns; i++) {
    out.push({
      role: 'user',
      content: `Question ${i}: what is in file ${i}? ${'please look carefully '.repeat(4)}`,
    });
    out.push(reply([{ type: 'toolCall', id: `c${i}`, name: 'read', arguments: { path: `f${i}.txt` } }]));
    out.push({
      role: 'toolResult',
      toolCallId: `c${i}`,
      toolName: 'read',
      content: [{ type: 'text', text: `contents of f${i}` }],
      isError: false,
    });
    out.push(reply([{ type: 'text', text: `File ${i} holds its contents.` }]));
  }
  return out;
}

describe('compactMessages', () => {
  it('summarizes the older turns with a model call and keeps the recent ones verbatim', async () => {
    const server = await summaryServer([
      textStream(['- The user asked about files 0-3; ', 'each holds its contents.']),
    ]);
    const messages = transcript(5);
    const frozen = JSON.stringify(messages);
    const result = await compactMessages(messages, { model: loopbackModel(server.baseUrl), keepLast: 5 });
    expect(JSON.stringify(messages)).toBe(frozen);
    // keepLast 5 falls inside turn 4's tool round; the cut moves back to the start of that block
    expect(result.kept).toEqual(messages.slice(15));
    expect(result.compactedCount).toBe(15);
    expect(result.summaryMessage?.content).toBe(
      '<summary of the earlier conversation>\n- The user asked about files 0-3; each holds its contents.\n</summary>',
    );
    expect(result.messages).toEqual([result.summaryMessage, ...messages.slice(15)]);
    const entry = result.entry as CompactionEntry;
    expect(entry).toMatchObject({
      type: 'compaction',
      v: 1,
      replacedCount: 15,
      keptCount: 5,
      model: 'test-model',
    });
    expect(entry.tokensAfter).toBeLessThan(entry.tokensBefore);
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
    // what the summarizer saw: the older part as text, with the instructions as the system prompt
    const sent = server.requests[0]?.json as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]?.role).toBe('system');
    expect(sent.messages[1]?.content).toContain('Assistant called read({"path":"f0.txt"})');
    expect(sent.messages[1]?.content).toContain('Result of read: contents of f3');
    expect(sent.messages[1]?.content).not.toContain('f4.txt');
  });

  it('fails with a typed CompactionError when the model call fails; nothing is replaced and the next call works', async () => {
    const server = await startFixtureServer({
      responses: [
        { status: 400, contentType: 'application/json', body: '{"error":{"message":"bad request"}}' },
        { body: textStream(['short summary']) },
      ],
    });
    servers.push(server);
    const messages = transcript(3);
    const model = loopbackModel(server.baseUrl);
    const error = await compactMessages(messages, {
      model,
      keepLast: 2,
      streamOptions: { retry: { maxRetries: 0 } },
    }).catch((e: unknown) => e);
    expect(CompactionError.isInstance(error)).toBe(true);
    expect((error as CompactionError).message).toMatch(/bad request/);
    const ok = await compactMessages(messages, { model, keepLast: 2 });
    expect(ok.summaryMessage?.content).toContain('short summary');
  });

  it('an abort during the summary call ends with AbortError, not CompactionError', async () => {
    const server = await startFixtureServer({
      responses: [{ headersDelayMs: 5000, body: textStream(['late']) }],
    });
    servers.push(server);
    const controller = new AbortController();
    const pending = compactMessages(
      transcript(3),
      { model: loopbackModel(server.baseUrl), keepLast: 2 },
      controller.signal,
    );
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(CompactionError.isInstance(error)).toBe(false);
  });

  it('does nothing when everything is within keepLast, and uses a custom summarizer when given', async () => {
    const messages = transcript(2);
    const model = loopbackModel('http://127.0.0.1:9/v1');
    const none = await compactMessages(messages, { model, keepLast: 100 });
    expect(none).toMatchObject({ compactedCount: 0, summaryMessage: undefined, entry: undefined });
    expect(none.messages).toEqual(messages);
    const seen: number[] = [];
    const custom = await compactMessages(messages, {
      model,
      keepLast: 1,
      summarize: async (older) => {
        seen.push(older.length);
        return 'custom summary';
      },
    });
    expect(seen).toEqual([7]);
    expect(custom.entry).toMatchObject({ model: 'custom', replacedCount: 7 });
  });
});

describe('compactionStrategy', () => {
  it('compacts only past the threshold, reuses its summary on later turns, and reports each compaction', async () => {
    const server = await summaryServer([textStream(['first summary']), textStream(['second summary'])]);
    const model = loopbackModel(server.baseUrl, { contextWindow: 1000 });
    const entries: CompactionEntry[] = [];
    const transform = compactionStrategy({
      model,
      threshold: 0.5,
      keepLast: 4,
      onCompaction: (e) => entries.push(e),
    });
    const signal = new AbortController().signal;
    const small = transcript(2);
    expect(await transform(small, signal)).toBe(small);
    expect(server.requests).toHaveLength(0);

    const big: AgentMessage[] = transcript(12);
    const first = await transform(big, signal);
    expect(server.requests).toHaveLength(1);
    expect(first[0]).toMatchObject({ role: 'user', content: expect.stringContaining('first summary') });
    expect(first.slice(1)).toEqual(big.slice(big.length - 4));
    expect(entries[0]).toMatchObject({ replacedCount: big.length - 4 });

    // next turn: one more exchange; the summary is reused without a model call
    const next = [...big, { role: 'user' as const, content: 'thanks' }];
    const second = await transform(next, signal);
    expect(server.requests).toHaveLength(1);
    expect(second).toEqual([first[0], ...big.slice(big.length - 4), next.at(-1)]);

    // much later: past the threshold again, the summary itself is summarized with the newer turns
    const later = [...next, ...transcript(12)];
    const third = await transform(later, signal);
    expect(server.requests).toHaveLength(2);
    expect(third[0]).toMatchObject({ content: expect.stringContaining('second summary') });
    expect((server.requests[1]!.json as { messages: { content: string }[] }).messages[1]?.content).toContain(
      'first summary',
    );
    expect(entries[1]?.replacedCount).toBe(later.length - 4);
  });

  it('needs a window', () => {
    expect(() => compactionStrategy({ model: loopbackModel('http://127.0.0.1:9/v1') })).toThrow(
      /context window/,
    );
  });
});

describe('compactionStrategy in the agent loop', () => {
  it('the loop sends the summary and the recent turns; the stored transcript keeps everything', async () => {
    const server = await summaryServer([
      textStream(['summary of files 0-9']),
      textStream(['File 10 holds its contents.']),
    ]);
    const model = loopbackModel(server.baseUrl, { contextWindow: 800 });
    const entries: CompactionEntry[] = [];
    const history: AgentMessage[] = transcript(10);
    const run = agentLoop({
      prompts: ['And file 10?'],
      messages: history,
      config: {
        model,
        transformContext: compactionStrategy({ model, keepLast: 4, onCompaction: (e) => entries.push(e) }),
      },
    });
    const result = await run.result();
    expect(server.requests).toHaveLength(2);
    const sent = (server.requests[1]!.json as { messages: { role: string; content: unknown }[] }).messages;
    expect(sent[0]).toMatchObject({ role: 'user', content: expect.stringContaining('summary of files 0-9') });
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: 'And file 10?' });
    expect(entries).toHaveLength(1);
    // the run's own messages are the prompt and the answer; the history given to it is unchanged
    expect(result.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(history).toEqual(transcript(10));
  });
});
