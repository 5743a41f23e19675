import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { AssistantMessage } from '../../types/message.js';
import { emptyUsage } from '../../types/usage.js';
import { toChatHistory } from './history.js';
import { offerFunctions } from './tools.js';

const assistant = (content: AssistantMessage['content']): AssistantMessage => ({
  role: 'assistant',
  content,
  api: 'openai-chat',
  provider: 'x',
  model: 'm',
  usage: emptyUsage(),
  stopReason: 'toolUse',
  timestamp: 0,
});

describe('toChatHistory', () => {
  it('puts a call, its result and the answer after it in one model response, and opens a new one after a user turn', () => {
    const { history, warnings } = toChatHistory({
      systemPrompt: 'sys',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image', url: 'https://x/y.png' },
          ],
        },
        assistant([
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'calling' },
          { type: 'toolCall', id: 'c1', name: 'f', arguments: { a: 1 } },
        ]),
        {
          role: 'toolResult',
          toolCallId: 'c1',
          toolName: 'f',
          content: [{ type: 'text', text: 'boom' }],
          isError: true,
        },
        assistant([{ type: 'text', text: 'done' }]),
        { role: 'user', content: 'again' },
        {
          role: 'toolResult',
          toolCallId: 'unknown',
          toolName: 'g',
          content: [{ type: 'text', text: 'r' }],
          isError: false,
        },
      ],
    });
    expect(history).toEqual([
      { type: 'system', text: 'sys' },
      { type: 'user', text: 'hi\n[image]' },
      {
        type: 'model',
        response: [
          { type: 'segment', segmentType: 'thought', text: 'hmm', ended: true },
          'calling',
          { type: 'functionCall', name: 'f', params: { a: 1 }, result: 'Error: boom' },
          'done',
        ],
      },
      { type: 'user', text: 'again' },
      { type: 'user', text: 'Result of g: r' },
      { type: 'model', response: [] },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/images are not supported/);
  });

  it('continues the last model response after tool results (the next turn of an agent loop)', () => {
    const { history } = toChatHistory({
      messages: [
        { role: 'user', content: 'q' },
        assistant([{ type: 'toolCall', id: 'c1', name: 'f', arguments: {} }]),
        {
          role: 'toolResult',
          toolCallId: 'c1',
          toolName: 'f',
          content: [{ type: 'text', text: 'ok' }],
          isError: false,
        },
      ],
    });
    expect(history.at(-1)).toEqual({
      type: 'model',
      response: [{ type: 'functionCall', name: 'f', params: {}, result: 'ok' }],
    });
  });
});

describe('offerFunctions', () => {
  const tools = [
    { name: 'a', parameters: { type: 'object' } },
    { name: 'b', description: 'B', parameters: { type: 'object' } },
  ];
  it('maps toolChoice: auto offers all, none offers nothing, required forces, a name offers and forces one', () => {
    expect(offerFunctions(tools, undefined)).toEqual({
      functions: { a: { params: { type: 'object' } }, b: { description: 'B', params: { type: 'object' } } },
      force: false,
    });
    expect(offerFunctions(tools, 'none')).toEqual({ functions: undefined, force: false });
    expect(offerFunctions(tools, 'required').force).toBe(true);
    expect(offerFunctions(tools, { name: 'b' })).toEqual({
      functions: { b: { description: 'B', params: { type: 'object' } } },
      force: true,
    });
    expect(offerFunctions([], 'required')).toEqual({ functions: undefined, force: false });
  });

  it('refuses a named tool that is not offered', () => {
    expect(() => offerFunctions(tools, { name: 'zzz' })).toThrow(InvalidArgumentError);
  });
});
