import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTurns } from '../../src/context/turns.js';
import {
  type AgentMessage,
  type AssistantMessage,
  estimateTokens,
  type Message,
  type ToolResultMessage,
  truncateMessages,
  type UserMessage,
} from '../../src/index.js';

const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const text = fc.string({ minLength: 0, maxLength: 120 });
const user: fc.Arbitrary<UserMessage> = fc.oneof(
  text.map((t): UserMessage => ({ role: 'user', content: t })),
  fc.tuple(text, fc.boolean()).map(
    ([t, image]): UserMessage => ({
      role: 'user',
      content: [
        { type: 'text', text: t },
        ...(image ? [{ type: 'image' as const, data: PNG_1x1, mimeType: 'image/png' }] : []),
      ],
    }),
  ),
);
const assistant = (content: AssistantMessage['content']): AssistantMessage => ({
  role: 'assistant',
  content,
  api: 'openai-chat',
  provider: 'custom',
  model: 'm',
  usage,
  stopReason: content.some((c) => c.type === 'toolCall') ? 'toolUse' : 'stop',
  timestamp: 1,
});
let nextId = 0;
/** One tool round: an assistant message with 1..n calls (and maybe thinking) and one result per call. */
const toolRound: fc.Arbitrary<Message[]> = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.option(text, { nil: undefined }),
    fc.array(text, { minLength: 4, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([n, thinking, outputs, image]) => {
    const ids = Array.from({ length: n }, () => `call_${nextId++}`);
    const call = assistant([
      ...(thinking !== undefined ? [{ type: 'thinking' as const, thinking }] : []),
      ...ids.map((id, i) => ({
        type: 'toolCall' as const,
        id,
        name: `tool${i}`,
        arguments: { q: outputs[i] ?? '' },
      })),
    ]);
    const results = ids.map(
      (id, i): ToolResultMessage => ({
        role: 'toolResult',
        toolCallId: id,
        toolName: `tool${i}`,
        content: [
          { type: 'text', text: outputs[i] ?? '' },
          ...(image && i === 0 ? [{ type: 'image' as const, data: PNG_1x1, mimeType: 'image/png' }] : []),
        ],
        isError: false,
      }),
    );
    return [call, ...results];
  });
const turn: fc.Arbitrary<AgentMessage[]> = fc
  .tuple(user, fc.array(toolRound, { maxLength: 3 }), fc.option(text, { nil: undefined }), fc.boolean())
  .map(([u, rounds, answer, custom]) => [
    u,
    ...(custom ? [{ role: 'custom' as const, customType: 'note' }] : []),
    ...rounds.flat(),
    ...(answer !== undefined ? [assistant([{ type: 'text', text: answer }])] : []),
  ]);
const transcript = fc.array(turn, { minLength: 1, maxLength: 6 }).map((turns) => turns.flat());

/** Every kept call is answered after it, and every kept result answers a kept call before it. */
function checkPairs(messages: readonly AgentMessage[]): void {
  const open = new Set<string>();
  const answered = new Set<string>();
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of m.content) if (c.type === 'toolCall') open.add(c.id);
    if (m.role === 'toolResult') {
      expect(open.has(m.toolCallId), `orphan result ${m.toolCallId}`).toBe(true);
      answered.add(m.toolCallId);
    }
  }
  for (const id of open) expect(answered.has(id), `call ${id} without its result`).toBe(true);
}

describe('truncateMessages (property)', () => {
  it('keeps every tool call with its results, leaves no orphan, fits or returns the minimal set, never mutates', () => {
    fc.assert(
      fc.property(
        transcript,
        fc.integer({ min: 1, max: 1500 }),
        fc.boolean(),
        (messages, maxTokens, keepFirstUser) => {
          const before = JSON.stringify(messages);
          const result = truncateMessages(messages, { maxTokens, keepFirstUser, model: 'qwen3:8b' });
          expect(JSON.stringify(messages)).toBe(before);
          checkPairs(result.messages);
          // kept + dropped is the input, order preserved, same objects
          const keptSet = new Set(result.messages);
          expect(messages.filter((m) => keptSet.has(m))).toEqual(result.messages);
          expect(result.messages.length + result.dropped.length).toBe(messages.length);
          const estimate = estimateTokens(result.messages, 'qwen3:8b').total;
          expect(result.tokens).toBe(estimate);
          if (result.fits) expect(result.tokens).toBeLessThanOrEqual(maxTokens);
          else {
            // exactly the minimal set: (the first user message,) the last user message and the last block
            const last = splitTurns(messages).at(-1)!;
            const block = last.blocks.at(-1);
            const keep = new Set<number>([last.user]);
            if (keepFirstUser) keep.add(messages.findIndex((m) => m.role === 'user'));
            if (block) for (let i = block.start; i < block.end; i++) keep.add(i);
            expect(result.messages).toEqual(messages.filter((_, i) => keep.has(i)));
            expect(result.tokens).toBeGreaterThan(maxTokens);
          }
          if (keepFirstUser) expect(result.messages).toContain(messages.find((m) => m.role === 'user'));
          if (estimateTokens(messages, 'qwen3:8b').total <= maxTokens) expect(result.dropped).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops the oldest whole turns first and keeps the system prompt of a Context', () => {
    const turns: AgentMessage[] = [];
    for (let i = 0; i < 10; i++) {
      turns.push({ role: 'user', content: `question ${i} ${'word '.repeat(40)}` });
      turns.push(assistant([{ type: 'text', text: `answer ${i} ${'word '.repeat(40)}` }]));
    }
    const context = { systemPrompt: 'You are terse.', messages: turns as Message[] };
    const full = estimateTokens(context).total;
    const result = truncateMessages(context, { maxTokens: Math.floor(full / 2) });
    expect(result.fits).toBe(true);
    expect(result.messages[0]).toMatchObject({ role: 'user' });
    expect(result.messages.at(-1)).toBe(turns.at(-1));
    expect(result.dropped).toEqual(turns.slice(0, result.dropped.length));
    expect(result.dropped.length % 2).toBe(0);
    expect(result.tokens).toBe(estimateTokens({ ...context, messages: result.messages as Message[] }).total);
  });

  it('counts the system prompt and tools of a Context unless keepSystem is false', () => {
    const messages: Message[] = [
      { role: 'user', content: 'first question' },
      assistant([{ type: 'text', text: 'first answer' }]),
      { role: 'user', content: 'second question' },
    ];
    const context = { systemPrompt: 'rule '.repeat(200), messages };
    const counted = truncateMessages(context, { maxTokens: 100 });
    expect(counted.fits).toBe(false);
    expect(counted.messages).toEqual([messages[2]]);
    const uncounted = truncateMessages(context, { maxTokens: 100, keepSystem: false });
    expect(uncounted).toMatchObject({ fits: true, dropped: [] });
    expect(uncounted.messages).toEqual(messages);
  });

  it('rejects a budget that is not a positive number', () => {
    expect(() => truncateMessages([], { maxTokens: 0 })).toThrow(/maxTokens must be a positive number/);
  });
});
