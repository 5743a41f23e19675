import { describe, expect, it } from 'vitest';
import { Agent, type AgentEvent, Client, type Message, repairAlternation } from '../../src/index.js';
import type { RecordedRequest, ScriptedResponse } from '../../src/testing/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { scripted } from './harness.js';

/** A strict chat template (Mistral, Gemma, Llama 2 style): after the system message, roles must alternate. */
function strictTemplate(answer: string) {
  return (request: RecordedRequest): ScriptedResponse => {
    const roles = wireMessages(request)
      .map((m) => m.role as string)
      .filter((r) => r !== 'system');
    for (let i = 1; i < roles.length; i++) {
      if (roles[i] === 'user' && roles[i - 1] === 'user') {
        return {
          status: 400,
          contentType: 'application/json',
          body: '{"error":{"message":"Conversation roles must alternate user/assistant/user/assistant/..."}}',
        };
      }
    }
    return { body: textStream([answer]) };
  };
}

// No finish chunk and no [DONE]: the answer stalls mid-way (a [DONE] would end the call at once).
const stalling: ScriptedResponse = {
  body: sseBody(
    [chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial ' }), chunk({ content: 'ans' })],
    {
      done: false,
    },
  ),
  splits: [40],
  stallAtEnd: true,
};

describe('conversation repairs', () => {
  it('after an abort, a strict-template server accepts the next request (partial text kept)', async () => {
    const { model, server } = await scripted([stalling, strictTemplate('second')]);
    const agent = new Agent({ model });
    agent.subscribe((e: AgentEvent) => {
      if (e.type === 'message_update' && e.event.type === 'text_delta') agent.abort();
    });
    const first = await agent.prompt('first');
    expect(first.status).toBe('aborted');
    const second = await agent.prompt('again');
    expect(second.status).toBe('completed');
    expect(second.lastMessage?.content).toEqual([{ type: 'text', text: 'second' }]);
    expect(wireMessages(server.requests[1] as never).map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
    ]);
  });

  it('merges the two user messages when the failed answer has no text', () => {
    const failed: Message = {
      role: 'assistant',
      content: [],
      stopReason: 'error',
      api: 'openai-chat',
      provider: 'custom',
      model: 'm',
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
      timestamp: 2,
    };
    const repaired = repairAlternation([
      { role: 'user', content: 'a', timestamp: 1 },
      failed,
      { role: 'user', content: 'b', timestamp: 3 },
    ]);
    expect(repaired).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
        timestamp: 1,
      },
    ]);
    const fine: Message[] = [{ role: 'user', content: 'x', timestamp: 1 }];
    expect(repairAlternation(fine)).toBe(fine);
  });

  it('Client: manual tool results and continue(); continue() after a failed turn retries it', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'k', name: 'calc', args: '{}' }]),
      { status: 400, contentType: 'application/json', body: '{"error":{"message":"bad"}}' },
      textStream(['42 it is']),
    ]);
    const client = new Client({ model, autoExecuteTools: false });
    client.send('compute');
    for await (const _ of client.receive()) {
      // drain
    }
    expect(() => client.send('x')).not.toThrow();
    for await (const _ of client.receive()) {
      // the request fails: 400
    }
    const history = client.history;
    expect(history.at(-1)?.role).toBe('assistant');
    client.history = history.slice(0, 2); // back to [user, assistant(toolUse)]
    await expect(client.submitToolResults([{ toolCallId: 'nope', content: 'x' }])).rejects.toThrow(
      /No pending tool call/,
    );
    await client.submitToolResults([{ toolCallId: 'k', content: '42' }]);
    client.continue();
    let end: unknown;
    const it = client.receive();
    for (;;) {
      const step = await it.next();
      if (step.done) {
        end = step.value;
        break;
      }
    }
    expect((end as { status: string }).status).toBe('completed');
    expect(wireMessages(server.requests[2] as never).map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
    ]);
    expect(() => client.continue()).toThrow(/finished|a failed turn/);
  });
});
