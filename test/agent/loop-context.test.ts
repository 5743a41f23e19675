import { describe, expect, it } from 'vitest';
import { Agent, type AgentMessage, agentLoop, type Message, tool } from '../../src/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { runLoop, scripted, shape } from './harness.js';

describe('context shaping before each model call', () => {
  it('transformContext prunes, convertToLlm maps custom messages, prepareNextTurn switches model', async () => {
    const { model, server } = await scripted([
      toolCallBody([{ id: 'p', name: 'ping', args: '{}' }]),
      textStream(['done']),
    ]);
    const ping = tool({ name: 'ping', parameters: { type: 'object' }, execute: () => 'pong' });
    const history: AgentMessage[] = [
      { role: 'user', content: 'old question' },
      { role: 'custom', customType: 'ui-note', data: { text: 'shown only in the UI' } },
      { role: 'custom', customType: 'memory', data: { text: 'The user likes tea.' } },
    ];
    const seenTurns: number[] = [];
    const run = agentLoop({
      prompts: ['new question'],
      messages: history,
      config: {
        model,
        tools: [ping],
        transformContext: (messages) =>
          messages.filter((m) => !(m.role === 'user' && m.content === 'old question')),
        convertToLlm: (messages) =>
          messages.flatMap((m): Message[] => {
            if (m.role !== 'custom') return [m];
            return m.customType === 'memory'
              ? [{ role: 'user', content: `Memory: ${(m.data as { text: string }).text}` }]
              : [];
          }),
        prepareNextTurn: ({ turn, model: current }) => {
          seenTurns.push(turn);
          return turn === 2 ? { model: { ...current, id: 'bigger-model' }, reasoning: 'high' } : undefined;
        },
      },
    });
    await run.result();
    expect(seenTurns).toEqual([1, 2]);
    const first = wireMessages(server.requests[0]!);
    expect(first.map((m) => m.content)).toEqual(['Memory: The user likes tea.', 'new question']);
    expect(server.requests[0]?.json).toMatchObject({ model: 'test-model' });
    expect(server.requests[1]?.json).toMatchObject({ model: 'bigger-model' });
    // the stored transcript keeps everything; only the request was shaped
    expect((await run.result()).messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'toolResult',
      'assistant',
    ]);
  });

  it('tool progress arrives as tool_execution_update events', async () => {
    const { model } = await scripted([
      toolCallBody([{ id: 'u', name: 'work', args: '{}' }]),
      textStream(['ok']),
    ]);
    const work = tool({
      name: 'work',
      parameters: { type: 'object' },
      execute: async ({ update }) => {
        update('25%');
        update('75%');
        return 'finished';
      },
    });
    const { events } = await runLoop({ model, tools: [work] });
    const updates = events.filter((e) => e.type === 'tool_execution_update');
    expect(updates.map((e) => e.type === 'tool_execution_update' && e.partial.content)).toEqual([
      [{ type: 'text', text: '25%' }],
      [{ type: 'text', text: '75%' }],
    ]);
  });
});

describe('full event sequences', () => {
  it('abort during the model stream', async () => {
    const { model } = await scripted([
      { body: sseBody([chunk({ content: 'par' })], { done: false }), stallAtEnd: true },
    ]);
    const agent = new Agent({ model });
    const events: string[] = [];
    agent.subscribe((e) => {
      events.push(...shape([e]));
      if (e.type === 'message_update' && e.event.type === 'text_delta') agent.abort();
    });
    await agent.prompt('x');
    expect(events).toEqual([
      'agent_start',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'turn_end',
      'error',
      'agent_end',
    ]);
  });

  it('steering after a batch, then the next turn', async () => {
    let agent: Agent | undefined;
    const a = tool({
      name: 'a',
      parameters: { type: 'object' },
      execute: () => {
        agent?.steer('change of plan');
        return 'A';
      },
    });
    const b = tool({ name: 'b', parameters: { type: 'object' }, execute: () => 'B' });
    const { model } = await scripted([
      toolCallBody([
        { id: '1', name: 'a', args: '{}' },
        { id: '2', name: 'b', args: '{}' },
      ]),
      textStream(['ok']),
    ]);
    agent = new Agent({ model, tools: [a, b], toolExecution: 'sequential' });
    const events: string[] = [];
    agent.subscribe((e) => void events.push(...shape([e])));
    await agent.prompt('go');
    expect(events).toEqual([
      'agent_start',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'tool_execution_start:a',
      'tool_execution_end:a:ok',
      'tool_execution_start:b',
      'tool_execution_end:b:skipped',
      'message_start:toolResult',
      'message_end:toolResult',
      'message_start:toolResult',
      'message_end:toolResult',
      'turn_end',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'turn_end',
      'agent_end',
    ]);
  });

  it('manual mode and follow-up', async () => {
    const { model } = await scripted([
      textStream(['first']),
      toolCallBody([{ id: 'm', name: 'calc', args: '{}' }]),
    ]);
    const calc = tool({ name: 'calc', parameters: { type: 'object' }, execute: () => 'x' });
    const agent = new Agent({ model, tools: [calc], autoExecuteTools: false });
    agent.followUp('and now calculate');
    const events: string[] = [];
    agent.subscribe((e) => void events.push(...shape([e])));
    const result = await agent.prompt('hi');
    expect(result.stopReason).toBe('toolUse');
    expect(events).toEqual([
      'agent_start',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'turn_end',
      'message_start:user',
      'message_end:user',
      'turn_start',
      'message_start:assistant',
      'message_end:assistant',
      'turn_end',
      'interrupted',
      'agent_end',
    ]);
    expect(result.status).toBe('interrupted');
    expect(result.interruptions.map((c) => c.toolCallId)).toEqual(['m']);
  });
});
