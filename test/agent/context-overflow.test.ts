import { describe, expect, it } from 'vitest';
import { checkContextBudget } from '../../src/index.js';
import { textStream } from '../helpers/sse.js';
import { runLoop, scripted, shape } from './harness.js';

describe('context_overflow before a model request', () => {
  it('is emitted before the request when the estimate is over the window, and the request is still sent', async () => {
    const { model, server } = await scripted([textStream(['ok'])]);
    const prompt = 'word '.repeat(400);
    const small = { ...model, contextWindow: 100, maxOutputTokens: 10 };
    const { events, result } = await runLoop({ model: small, streamOptions: { maxTokens: 20 } }, prompt);
    expect(result.status).toBe('completed');
    expect(server.requests).toHaveLength(1); // nothing dropped, nothing refused: the user decides
    const overflow = events.find((e) => e.type === 'context_overflow');
    expect(overflow).toMatchObject({
      type: 'context_overflow',
      window: 100,
      reserveOutputTokens: 20,
      turn: 1,
    });
    const expected = checkContextBudget(small, { messages: [{ role: 'user', content: prompt }], tools: [] });
    expect(overflow && 'estimated' in overflow && overflow.estimated).toBe(expected.estimated);
    expect(overflow?.runId).toBe(result.runId);
    const order = shape(events);
    expect(order.indexOf('context_overflow')).toBeGreaterThan(order.indexOf('turn_start'));
    expect(order.indexOf('context_overflow')).toBeLessThan(order.indexOf('message_start:assistant'));
  });

  it('is not emitted when the request fits, or when the model has no known window', async () => {
    for (const contextWindow of [8192, undefined]) {
      const { model } = await scripted([textStream(['ok'])]);
      const prompt = 'word '.repeat(contextWindow ? 10 : 4000);
      const { events, result } = await runLoop({ model: { ...model, contextWindow } }, prompt);
      expect(result.status).toBe('completed');
      expect(events.some((e) => e.type === 'context_overflow')).toBe(false);
    }
  });
});
