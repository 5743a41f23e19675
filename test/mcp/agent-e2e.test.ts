import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { CHANGING_SERVER, nodeServer, serverEntry } from './helpers.js';

describe('an agent calling MCP tools end to end (loopback model server)', () => {
  it('calls everything__get-sum and answers with its result', async () => {
    const source = nodeServer('everything', serverEntry('server-everything'), [], {
      toolFilter: { allow: ['get-sum', 'echo'] },
    });
    const model = await startFixtureServer({
      responses: scriptedModel([
        (request) => {
          const tools = (request.json as { tools: { function: { name: string } }[] }).tools.map(
            (t) => t.function.name,
          );
          expect(tools).toEqual(['everything__echo', 'everything__get-sum']);
          return toolCallBody([{ id: 'call_1', name: 'everything__get-sum', args: '{"a":2,"b":40}' }]);
        },
        (request) => {
          const last = wireMessages(request).at(-1) as { role: string; content: string };
          expect(last.role).toBe('tool');
          expect(last.content).toMatch(/42/);
          return textStream(['It is 42.']);
        },
      ]),
    });
    try {
      // The source itself: the loop lists its tools before every model call.
      const agent = new Agent({ model: loopbackModel(model.baseUrl), tools: [source] });
      const result = await agent.prompt('add 2 and 40');
      expect(result.error).toBeUndefined();
      expect(result.turns).toBe(2);
      expect(model.requests).toHaveLength(2);
    } finally {
      await model.close();
    }
  });

  it('a server crashing mid-call becomes a tool error and the agent continues', async () => {
    const source = nodeServer('chg', CHANGING_SERVER);
    const model = await startFixtureServer({
      responses: scriptedModel([
        toolCallBody([{ id: 'call_1', name: 'chg__crash', args: '{}' }]),
        (request) => {
          const last = wireMessages(request).at(-1) as { role: string; content: string };
          expect(last.content).toMatch(/MCP tools\/call crash on server "chg"/);
          return toolCallBody([{ id: 'call_2', name: 'chg__target', args: '{}' }]);
        },
        (request) => {
          const last = wireMessages(request).at(-1) as { role: string; content: string };
          expect(last.content).toBe('target v1');
          return textStream(['Recovered.']);
        },
      ]),
    });
    try {
      const agent = new Agent({ model: loopbackModel(model.baseUrl), tools: [source] });
      const result = await agent.prompt('go');
      expect(result.error).toBeUndefined();
      expect(result.turns).toBe(3);
    } finally {
      await model.close();
    }
  });
});
