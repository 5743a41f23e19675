import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, runCli, sse, textAnswer, usageChunk } from './cli.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function transferAnswer(name: string): string {
  return sse([
    chunk({ role: 'assistant', content: null }),
    chunk({
      tool_calls: [{ index: 0, id: 'call_t', type: 'function', function: { name, arguments: '{}' } }],
    }),
    chunk({}, 'tool_calls'),
    usageChunk(20, 9),
  ]);
}

function config(baseUrl: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'oa-chat-agents-')), 'open-agent.config.yaml');
  writeFileSync(
    file,
    [
      `baseUrl: ${baseUrl}`,
      'model: test-model',
      'agents:',
      '  triage:',
      '    instructions: Route to billing.',
      '    handoffs: [billing]',
      '  billing:',
      '    instructions: You answer billing questions.',
      '',
    ].join('\n'),
  );
  return file;
}

interface Body {
  messages: { role: string; content?: unknown }[];
  tools?: { function: { name: string } }[];
}

describe('open-agent chat --agent NAME (piped)', () => {
  it('starts with the agent, hands off, and sends the next prompt to the agent that took over', async () => {
    server = await startFixtureServer({
      responses: [
        { body: transferAnswer('transfer_to_billing') },
        { body: textAnswer(['Refund sent.']) },
        { body: textAnswer(['It takes 3 days.']) },
      ],
    });
    const result = await runCli(['chat', '--config', config(server.baseUrl), '--agent', 'triage'], {
      stdin: 'Where is my refund?\nHow long?\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('· agent triage ·');
    expect(result.stdout).toContain('Refund sent.');
    expect(result.stdout).toContain('It takes 3 days.');
    expect(result.stderr).toContain('→ handoff to billing');
    const bodies = server.requests.filter((r) => r.method === 'POST').map((r) => r.json as Body);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]?.messages[0]).toMatchObject({ role: 'system', content: 'Route to billing.' });
    expect(bodies[0]?.tools?.map((t) => t.function.name)).toEqual(['transfer_to_billing']);
    expect(bodies[1]?.messages[0]).toMatchObject({
      role: 'system',
      content: 'You answer billing questions.',
    });
    // The second prompt goes to billing, with the whole conversation.
    expect(bodies[2]?.messages[0]).toMatchObject({
      role: 'system',
      content: 'You answer billing questions.',
    });
    expect(bodies[2]?.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });

  it('an unknown agent is a usage error listing the declared ones', async () => {
    server = await startFixtureServer({ responses: [] });
    const result = await runCli(['chat', '--config', config(server.baseUrl), '--agent', 'nobody'], {
      stdin: 'hi\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --agent "nobody": no such agent in the config file; declared: triage, billing\n',
    );
  });
});
