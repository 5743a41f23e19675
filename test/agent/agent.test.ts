import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Agent, type AgentEvent, SKIPPED_FOR_STEERING, tool } from '../../src/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { scripted } from './harness.js';

const stalling = { body: sseBody([chunk({ content: 'partial ans' })], { done: false }), stallAtEnd: true };

function waitFor(predicate: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const tick = () =>
      predicate() ? resolve() : ++n > 500 ? reject(new Error('condition not met')) : setTimeout(tick, 5);
    tick();
  });
}

describe('Agent: interrupts', () => {
  it('abort during the model stream keeps the partial text; the next prompt works', async () => {
    const { model, server } = await scripted([
      stalling,
      (request) => {
        // the aborted turn's partial text is kept, so roles alternate (strict chat templates reject user, user)
        expect(wireMessages(request).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
        expect(wireMessages(request)[1]?.content).toBe('partial ans');
        return textStream(['second answer']);
      },
    ]);
    const agent = new Agent({ model });
    const events: AgentEvent[] = [];
    agent.subscribe((e) => {
      events.push(e);
      if (
        events.length < 50 &&
        e.type === 'message_update' &&
        e.event.type === 'text_delta' &&
        e.event.delta === 'partial ans'
      )
        agent.abort();
    });
    const first = await agent.prompt('first');
    expect(first.stopReason).toBe('aborted');
    expect(first.error?.name).toBe('AbortError');
    expect(first.lastMessage?.content).toEqual([{ type: 'text', text: 'partial ans' }]);
    expect(agent.state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(agent.state.isStreaming).toBe(false);
    agent.abort(); // idempotent, nothing running
    const second = await agent.prompt('again');
    expect(second.stopReason).toBe('stop');
    expect(server.requests).toHaveLength(2);
  });

  it('abort during a tool cancels it through its signal and answers every call', async () => {
    let sawAbort = false;
    const hang = tool({
      name: 'hang',
      parameters: { type: 'object' },
      execute: ({ signal }) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('cancelled'));
          }),
        ),
    });
    const { model } = await scripted([
      toolCallBody([{ id: 'h', name: 'hang', args: '{}' }]),
      textStream(['next works']),
    ]);
    const agent = new Agent({ model, tools: [hang] });
    agent.subscribe((e) => {
      if (e.type === 'tool_execution_start') setTimeout(() => agent.abort(), 5);
    });
    const result = await agent.prompt('go');
    expect(sawAbort).toBe(true);
    expect(result.stopReason).toBe('aborted');
    expect(agent.state.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult']);
    const next = await agent.prompt('try again');
    expect(next.stopReason).toBe('stop');
  });

  it('abort between turns stops before the next model call', async () => {
    const quick = tool({ name: 'quick', parameters: { type: 'object' }, execute: () => 'done' });
    const { model, server } = await scripted([
      toolCallBody([{ id: 'q', name: 'quick', args: '{}' }]),
      textStream(['never']),
      textStream(['later']),
    ]);
    const agent = new Agent({ model, tools: [quick] });
    agent.subscribe((e) => {
      if (e.type === 'turn_end') agent.abort();
    });
    const result = await agent.prompt('go');
    expect(result.stopReason).toBe('aborted');
    expect(server.requests).toHaveLength(1);
    const next = await agent.prompt('again');
    expect(next.stopReason).toBe('stop');
  });

  it('1,000 aborted runs on one agent leave no listeners, timers or sockets behind', async () => {
    const { model, server } = await scripted(Array.from({ length: 1000 }, () => stalling));
    const agent = new Agent({ model });
    let aborts = 0;
    agent.subscribe((e) => {
      if (e.type === 'message_update' && e.event.type === 'text_delta') {
        aborts++;
        agent.abort();
      }
    });
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    for (let i = 0; i < 1000; i++) {
      const result = await agent.prompt(`run ${i}`);
      expect(result.stopReason).toBe('aborted');
    }
    expect(aborts).toBe(1000);
    await waitFor(() => server.clientDisconnects === 1000);
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
    expect(agent.state.isStreaming).toBe(false);
  }, 60_000);
});

describe('Agent: queues and state', () => {
  it('steer() during a batch skips the remaining calls and is delivered after it', async () => {
    const ran: string[] = [];
    let agentRef: Agent | undefined;
    const first = tool({
      name: 'first',
      parameters: { type: 'object' },
      execute: () => {
        ran.push('first');
        agentRef?.steer('Stop, do something else.');
        return 'one';
      },
    });
    const second = tool({
      name: 'second',
      parameters: { type: 'object' },
      execute: () => {
        ran.push('second');
        return 'two';
      },
    });
    const { model } = await scripted([
      toolCallBody([
        { id: 'a', name: 'first', args: '{}' },
        { id: 'b', name: 'second', args: '{}' },
      ]),
      (request) => {
        const messages = wireMessages(request);
        expect(messages.slice(-3)).toEqual([
          { role: 'tool', tool_call_id: 'a', content: 'one' },
          { role: 'tool', tool_call_id: 'b', content: SKIPPED_FOR_STEERING },
          { role: 'user', content: 'Stop, do something else.' },
        ]);
        return textStream(['ok, changing course']);
      },
    ]);
    const agent = new Agent({ model, tools: [first, second], toolExecution: 'sequential' });
    agentRef = agent;
    const result = await agent.prompt('go');
    expect(ran).toEqual(['first']);
    expect(result.stopReason).toBe('stop');
  });

  it('followUp() is delivered when the agent would stop; queue modes', async () => {
    const { model, server } = await scripted([
      textStream(['a']),
      textStream(['b']),
      textStream(['c']),
      textStream(['d']),
    ]);
    const agent = new Agent({ model });
    agent.followUp('and then?');
    agent.followUp('and finally?');
    await agent.prompt('start');
    expect(server.requests).toHaveLength(3); // one-at-a-time: each follow-up is its own turn
    const all = await scripted([textStream(['a']), textStream(['b'])]);
    const batched = new Agent({ model: all.model, queueMode: 'all' });
    batched.followUp('x');
    batched.followUp('y');
    await batched.prompt('start');
    expect(all.server.requests).toHaveLength(2);
    expect(wireMessages(all.server.requests[1]!).slice(-2)).toEqual([
      { role: 'user', content: 'x' },
      { role: 'user', content: 'y' },
    ]);
  });

  it('continue() needs a user message or tool result last; manual mode submits results', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'm', name: 'calc', args: '{"x":1}' }]),
      textStream(['42']),
    ]);
    const calc = tool({ name: 'calc', parameters: { type: 'object' }, execute: () => 'unused' });
    const agent = new Agent({ model, tools: [calc], autoExecuteTools: false });
    const first = await agent.prompt('compute');
    expect(first.stopReason).toBe('toolUse');
    expect(() => agent.continue()).toThrow(/a user message, a tool result or a failed turn/);
    agent.appendMessages([
      {
        role: 'toolResult',
        toolCallId: 'm',
        toolName: 'calc',
        content: [{ type: 'text', text: '42' }],
        isError: false,
      },
    ]);
    const second = await agent.continue();
    expect(second.stopReason).toBe('stop');
    expect(wireMessages(server.requests[1]!).at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'm',
      content: '42',
    });
  });

  it('submitToolResults() passes manual results through the post hooks', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'm', name: 'calc', args: '{}' }]),
      textStream(['ok']),
    ]);
    const calc = tool({ name: 'calc', parameters: { type: 'object' }, execute: () => 'unused' });
    const agent = new Agent({
      model,
      tools: [calc],
      autoExecuteTools: false,
      hooks: { PostToolUse: [({ result }) => ({ additionalContext: `checked ${result.toolCallId}` })] },
    });
    await agent.prompt('compute');
    await expect(agent.submitToolResults([{ toolCallId: 'nope', content: 'x' }])).rejects.toThrow(
      /No pending tool call/,
    );
    await agent.submitToolResults([{ toolCallId: 'm', content: '42' }]);
    await agent.continue();
    expect(wireMessages(server.requests[1]!).at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'm',
      content: '42\nchecked m',
    });
  });

  it('rejects a second prompt while running, and reset() clears state', async () => {
    const { model } = await scripted([stalling]);
    const agent = new Agent({ model, systemPrompt: 'a' });
    const running = agent.prompt('one');
    expect(() => agent.prompt('two')).toThrow(/already running/);
    agent.abort();
    await running;
    await agent.waitForIdle();
    agent.setSystemPrompt('b');
    expect(agent.state.systemPrompt).toBe('b');
    agent.reset();
    expect(agent.state.messages).toEqual([]);
  });

  it('listeners are awaited in order and unsubscribe works', async () => {
    const { model } = await scripted([textStream(['hi'])]);
    const agent = new Agent({ model });
    const log: string[] = [];
    agent.subscribe(async (e) => {
      if (e.type === 'agent_start') await new Promise((r) => setTimeout(r, 10));
      log.push(`a:${e.type}`);
    });
    const off = agent.subscribe((e) => void log.push(`b:${e.type}`));
    off();
    await agent.prompt('x');
    expect(log[0]).toBe('a:agent_start');
    expect(log.every((l) => l.startsWith('a:'))).toBe(true);
    expect(getEventListeners(new AbortController().signal, 'abort')).toHaveLength(0);
  });
});
