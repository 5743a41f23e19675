import { describe, expect, it } from 'vitest';
import { defineAgent, run, tool } from '../../src/index.js';
import { MemoryStore } from '../../src/sessions/memory-store.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { scripted } from './harness.js';

const lookup = tool({
  name: 'lookup',
  parameters: { type: 'object' },
  execute: () => 'found',
});

describe('run() with a session', () => {
  it('loads the history, appends one store write per checkpoint, and the next run sees it all', async () => {
    const { model, server } = await scripted([
      toolCallBody([
        { id: 'a', name: 'lookup', args: '{}' },
        { id: 'b', name: 'lookup', args: '{}' },
      ]),
      textStream(['first answer']),
      textStream(['second answer']),
    ]);
    const store = new MemoryStore();
    let appends = 0;
    const append = store.append.bind(store);
    store.append = (...args) => {
      appends++;
      return append(...args);
    };
    const agent = defineAgent({ name: 's', model, tools: [lookup] });
    const session = { store, id: 'chat-1' };
    const first = await run(agent, 'one', { session });
    expect(first.status).toBe('completed');
    // checkpoints: input, model response, 2 tool results, model response (+ the final status: no new entries)
    expect(appends).toBe(5);
    const logged = (await store.load('chat-1')).entries.map((e) => e.item.type);
    expect(logged).toEqual(['input', 'model_response', 'tool_result', 'tool_result', 'model_response']);
    const second = await run(agent, 'two', { session });
    expect(second.finalOutput).toBe('second answer');
    expect(second.runId).not.toBe(first.runId);
    expect(second.turns).toBe(1);
    const roles = wireMessages(server.requests[2] as never).map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant', 'user']);
    expect((await store.load('chat-1')).lastSeq).toBe(7);
  });

  it('[] as input resumes the unfinished run of the session (same run id), and does nothing when finished', async () => {
    const { model, server } = await scripted([textStream(['late answer'])]);
    const store = new MemoryStore();
    const runId = 'run-crashed';
    await store.append(
      'x',
      [{ type: 'input', runId, turn: 0, message: { role: 'user', content: 'hi', timestamp: 1 } }],
      {
        operationId: `${runId}:0`,
      },
    );
    const agent = defineAgent({ name: 's', model });
    const resumed = await run(agent, [], { session: { store, id: 'x' } });
    expect(resumed.runId).toBe(runId);
    expect(resumed.finalOutput).toBe('late answer');
    const again = await run(agent, [], { session: { store, id: 'x' } });
    expect(again.status).toBe('completed');
    expect(again.turns).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('a store failure ends the run as failed with the store error; the next run works', async () => {
    const { model } = await scripted([textStream(['a']), textStream(['b'])]);
    const store = new MemoryStore();
    const agent = defineAgent({ name: 's', model });
    // another writer appends between load and the first checkpoint: expectedSeq no longer matches
    const racing = new MemoryStore();
    racing.load = async (id) => {
      const loaded = await store.load(id);
      await store.append(
        id,
        [{ type: 'input', runId: 'other', turn: 0, message: { role: 'user', content: 'x', timestamp: 1 } }],
        { operationId: 'other:0' },
      );
      return loaded;
    };
    racing.append = (...args) => store.append(...args);
    const failed = await run(agent, 'go', { session: { store: racing, id: 'r' } });
    expect(failed.status).toBe('failed');
    expect(failed.error?.name).toBe('SessionConflictError');
    expect(failed.error?.message).toMatch(/another writer moved it/);
    const ok = await run(agent, 'go', { session: { store, id: 'r' } });
    expect(ok.status).toBe('completed');
  });
});
