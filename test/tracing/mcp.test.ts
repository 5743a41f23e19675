import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { defineAgent, run } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { ATTR } from '../../src/tracing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { nodeServer, serverEntry } from '../mcp/helpers.js';
import { memoryTracing, only, parentOf } from './helpers.js';

let model: FixtureServer | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

describe('tracing an MCP tool call (server-everything over stdio)', () => {
  it('marks the execute_tool span with mcp.method.name and the server', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'), [], {
      toolFilter: { allow: ['get-sum'] },
    });
    model = await startFixtureServer({
      responses: scriptedModel([
        toolCallBody([{ id: 'call_1', name: 'everything__get-sum', args: '{"a":2,"b":40}' }]),
        textStream(['It is 42.']),
      ]),
    });
    const tracing = memoryTracing({ captureContent: true });
    const agent = defineAgent({ name: 'mcp-user', model: loopbackModel(model.baseUrl), tools: [source] });
    const result = await run(agent, 'add 2 and 40', { observers: [tracing.observer] });
    expect(result.status).toBe('completed');
    const spans = tracing.spans();
    const root = only(spans, 'invoke_agent mcp-user');
    const call = only(spans, 'execute_tool everything__get-sum');
    expect(call.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(call)).toBe(root.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      [ATTR.operation]: 'execute_tool',
      [ATTR.toolName]: 'everything__get-sum',
      [ATTR.toolCallId]: 'call_1',
      [ATTR.toolType]: 'extension',
      [ATTR.mcpMethod]: 'tools/call',
      [ATTR.mcpServer]: 'everything',
      [ATTR.mcpToolName]: 'get-sum',
      [ATTR.toolOutcome]: 'ok',
    });
    expect(JSON.parse(String(call.attributes[ATTR.toolArguments]))).toEqual({ a: 2, b: 40 });
    expect(String(call.attributes[ATTR.toolResult])).toMatch(/42/);
    await tracing.shutdown();
  });
});
