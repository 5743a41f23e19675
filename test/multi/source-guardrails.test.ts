import { describe, expect, it } from 'vitest';
import {
  defineAgent,
  RunState,
  run,
  type Tool,
  type ToolGuardrails,
  ToolGuardrailTripwireTriggered,
  type ToolSource,
  tool,
  withToolGuardrails,
} from '../../src/index.js';
import { nodeServer, serverEntry } from '../mcp/helpers.js';
import { scenario } from './harness.js';

const api = 'openai-chat' as const;

function echo(ran: string[]): Tool<unknown, unknown> {
  return tool({
    name: 'echo',
    parameters: { type: 'object', properties: { text: { type: 'string' } } },
    execute: ({ args }) => {
      ran.push('echo');
      return `echo ${(args as { text?: string }).text}`;
    },
  }) as Tool<unknown, unknown>;
}

/** An in-process tool source (listed before every model call, like an MCP server's tools). */
function sourceOf(name: string, tools: Tool<unknown, unknown>[]): ToolSource {
  let listed = 0;
  return {
    kind: 'tool_source',
    name,
    listTools: async () => {
      listed++;
      return tools;
    },
    close: async () => {
      listed = -listed;
    },
  };
}

const guardrails: ToolGuardrails = {
  input: [
    {
      name: 'no_secrets',
      execute: ({ args }) =>
        JSON.stringify(args).includes('secret')
          ? { type: 'rejectContent', message: 'Secrets are not echoed.' }
          : { type: 'allow' },
    },
  ],
  output: [
    {
      name: 'no_boom',
      execute: ({ output }) =>
        JSON.stringify(output).includes('boom')
          ? { type: 'throwException', outputInfo: 'boom' }
          : { type: 'allow' },
    },
  ],
};

describe('tool guardrails on tools from a ToolSource', () => {
  it('withToolGuardrails(source): reject answers the model; throwException stops the run', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'g1', name: 'echo', args: '{"text":"secret"}' }] },
      { text: 'understood' },
      { calls: [{ id: 'g2', name: 'echo', args: '{"text":"boom"}' }] },
      { text: 'never asked' },
    ]);
    const ran: string[] = [];
    const guarded = withToolGuardrails(sourceOf('plugins', [echo(ran)]), guardrails);
    expect(guarded.kind).toBe('tool_source');
    expect(guarded.name).toBe('plugins');
    const agent = defineAgent({ name: 'a', model: s.model(), tools: [guarded] });
    const first = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(first.finalOutput).toBe('understood');
    const rejected = first.messages.find((m) => m.role === 'toolResult');
    expect(rejected?.role === 'toolResult' && rejected.content).toEqual([
      { type: 'text', text: 'Secrets are not echoed.' },
    ]);
    expect(ran).toEqual([]);
    const second = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(second.status).toBe('failed');
    expect(ToolGuardrailTripwireTriggered.isInstance(second.error)).toBe(true);
    expect(second.error).toMatchObject({
      guardrail: 'no_boom',
      toolName: 'echo',
      toolCallId: 'g2',
      phase: 'output',
    });
    expect(ran).toEqual(['echo']);
    expect(s.server.requests).toHaveLength(3); // the run stopped: no model call after the trip
    const state = RunState.fromString(agent, second.state.toString());
    expect(state.messages.at(-1)).toMatchObject({ role: 'toolResult', toolCallId: 'g2', isError: true });
    expect(s.problems).toEqual([]);
  });

  it('a guarded tool listed by a source stops the run on throwException, like a plain guarded tool', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'b1', name: 'echo', args: '{"text":"boom"}' }] },
      { text: 'never asked' },
    ]);
    const ran: string[] = [];
    const source = sourceOf('dynamic', [withToolGuardrails(echo(ran), guardrails)]);
    const agent = defineAgent({ name: 'a', model: s.model(), tools: [source] });
    const outcome = await run(agent, 'go', { streamOptions: s.streamOptions });
    expect(outcome.status).toBe('failed');
    expect(ToolGuardrailTripwireTriggered.isInstance(outcome.error)).toBe(true);
    expect(s.server.requests).toHaveLength(1);
  });

  it('guards the tools of a real MCP server (server-everything over stdio)', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'm1', name: 'everything__get-sum', args: '{"a":2,"b":40}' }] },
      { text: 'It is a secret.' },
    ]);
    const seen: string[] = [];
    const mcp = nodeServer('everything', serverEntry('server-everything'), [], {
      toolFilter: { allow: ['get-sum'] },
    });
    const guarded = withToolGuardrails(mcp, {
      input: [
        {
          name: 'audit',
          execute: ({ toolName, args }) => {
            seen.push(`${toolName} ${JSON.stringify(args)}`);
            return { type: 'allow' };
          },
        },
      ],
      output: [
        { name: 'hide_numbers', execute: () => ({ type: 'rejectContent', message: 'Numbers are hidden.' }) },
      ],
    });
    const agent = defineAgent({ name: 'mcp-user', model: s.model(), tools: [guarded] });
    const outcome = await run(agent, 'add 2 and 40', { streamOptions: s.streamOptions });
    expect(outcome.status).toBe('completed');
    expect(seen).toEqual(['everything__get-sum {"a":2,"b":40}']);
    const result = outcome.messages.find((m) => m.role === 'toolResult');
    expect(result?.role === 'toolResult' && result.content).toEqual([
      { type: 'text', text: 'Numbers are hidden.' },
    ]);
    expect(s.problems).toEqual([]);
  }, 30_000);
});
