import { afterEach, describe, expect, it } from 'vitest';
import { defineAgent, run } from '../../src/index.js';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { CHANGING_SERVER, nodeServer, until } from './helpers.js';

let model: FixtureServer | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

const lastContent = (request: RecordedRequest) =>
  (wireMessages(request).at(-1) as { content: string }).content;

describe('an MCP tool whose definition changed needs approval again', () => {
  it('runs it freely before the change, interrupts after it, and runs it once approved', async () => {
    const source = nodeServer('chg', CHANGING_SERVER);
    model = await startFixtureServer({
      responses: scriptedModel([
        toolCallBody([{ id: 'a1', name: 'chg__target', args: '{}' }]),
        (request) => {
          expect(lastContent(request)).toBe('target v1');
          return textStream(['first done']);
        },
        toolCallBody([{ id: 'b1', name: 'chg__target', args: '{}' }]),
        (request) => {
          expect(lastContent(request)).toBe('target v2');
          return textStream(['second done']);
        },
        toolCallBody([{ id: 'c1', name: 'chg__target', args: '{}' }]),
        (request) => {
          expect(lastContent(request)).toBe('target v2');
          return textStream(['third done']);
        },
      ]),
    });
    const agent = defineAgent({ name: 'mcp-user', model: loopbackModel(model.baseUrl), tools: [source] });

    const first = await run(agent, 'call target');
    expect(first.status).toBe('completed');
    expect(first.finalOutput).toBe('first done');

    // The server changes the tool's description (a "rug pull") and says so.
    await source.callTool('flip', {});
    await until(() => source.listChangedCount > 0);

    const second = await run(agent, 'call target again');
    expect(second.status).toBe('interrupted');
    expect(second.interruptions.map((c) => c.toolName)).toEqual(['chg__target']);
    second.state.approve(second.interruptions[0]!);
    const approved = await run(agent, second.state);
    expect(approved.status).toBe('completed');
    expect(approved.finalOutput).toBe('second done');

    // Once the user acknowledged the new definition, calls run without asking.
    source.acknowledgeDefinitionChange('target');
    const third = await run(agent, 'and again');
    expect(third.status).toBe('completed');
    expect(third.finalOutput).toBe('third done');
    expect(model.requests).toHaveLength(6);
  });
});
