import { type Tracer, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { defineAgent, run } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { tool } from '../../src/tools/index.js';
import { createTracingObserver } from '../../src/tracing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';

let model: FixtureServer | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

describe('tracing with no tracer provider registered', () => {
  it('starts one non-recording span per run and then ignores the run', async () => {
    // The API's default (global) provider is the no-op one: nothing registered in this process.
    const noop = trace.getTracerProvider().getTracer('test');
    let started = 0;
    const counting: Tracer = {
      startSpan: (...args: Parameters<Tracer['startSpan']>) => {
        started++;
        return noop.startSpan(...args);
      },
      startActiveSpan: noop.startActiveSpan.bind(noop) as Tracer['startActiveSpan'],
    };
    model = await startFixtureServer({
      responses: scriptedModel([
        toolCallBody([{ id: 'c1', name: 'echo', args: '{"text":"x"}' }]),
        textStream(['done']),
      ]),
    });
    const echo = tool({
      name: 'echo',
      parameters: { type: 'object', properties: { text: { type: 'string' } } },
      execute: ({ args }) => String((args as { text: string }).text),
    });
    const observer = createTracingObserver({ tracer: counting });
    const agent = defineAgent({ name: 'a', model: loopbackModel(model.baseUrl), tools: [echo] });
    const result = await run(agent, 'go', { observers: [observer] });
    expect(result.status).toBe('completed');
    expect(result.turns).toBe(2);
    expect(started).toBe(1); // the agent span only: no chat or tool span for an unrecorded run
    // the default observer (global provider) works the same way and does not throw
    const second = await run(agent, 'go', { observers: [createTracingObserver()] });
    expect(second.status).toBe('completed');
  });
});
