import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { chunk, parseDocument, parseLines, runCli, sse, textAnswer, usageChunk } from './cli.js';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A streamed call of `name` with `args` (one chunk). */
function callAnswer(name: string, args: string, id = 'call_1'): string {
  return sse([
    chunk({ role: 'assistant', content: null }),
    chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args } }] }),
    chunk({}, 'tool_calls'),
    usageChunk(20, 9),
  ]);
}

/** A config file declaring a triage agent that hands off to billing or support. */
function agentsConfig(baseUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-agents-'));
  const file = join(dir, 'open-agent.config.yaml');
  writeFileSync(
    file,
    [
      `baseUrl: ${baseUrl}`,
      'model: test-model',
      'agents:',
      '  triage:',
      '    instructions: Route the user to billing or support.',
      '    handoffs: [billing, support]',
      '    tools: []',
      '  billing:',
      '    instructions: You answer billing questions.',
      '    handoffDescription: Invoices and refunds.',
      '    tools: [read_file]',
      '  support:',
      '    instructions: You fix technical problems.',
      '',
    ].join('\n'),
  );
  return file;
}

interface ChatBody {
  messages: { role: string; content?: unknown; tool_calls?: unknown[] }[];
  tools?: { function: { name: string } }[];
}

const bodyOf = (s: FixtureServer, i: number) =>
  s.requests.filter((r) => r.method === 'POST')[i]?.json as ChatBody;

describe('open-agent run --agent NAME', () => {
  it('runs the config agent; a handoff continues with the target agent (its instructions, its tools)', async () => {
    server = await startFixtureServer({
      responses: [
        { body: callAnswer('transfer_to_billing', '{}') },
        { body: textAnswer(['Your refund is on its way.']) },
      ],
    });
    const config = agentsConfig(server.baseUrl);
    const result = await runCli(['run', '--config', config, '--agent', 'triage', 'Where is my refund?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Your refund is on its way.\n');
    expect(result.stderr).toContain('→ handoff to billing');
    const first = bodyOf(server, 0);
    expect(first.messages[0]).toMatchObject({
      role: 'system',
      content: 'Route the user to billing or support.',
    });
    expect(first.tools?.map((t) => t.function.name).sort()).toEqual([
      'transfer_to_billing',
      'transfer_to_support',
    ]);
    const second = bodyOf(server, 1);
    expect(second.messages[0]).toMatchObject({ role: 'system', content: 'You answer billing questions.' });
    expect(second.tools?.map((t) => t.function.name)).toEqual(['read_file']);
    // The transfer call is answered with a tool result: the history is valid on every server.
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
  });

  it('stream-json prints a handoff line between the two agents', async () => {
    server = await startFixtureServer({
      responses: [{ body: callAnswer('transfer_to_support', '{}') }, { body: textAnswer(['Restart it.']) }],
    });
    const config = agentsConfig(server.baseUrl);
    const result = await runCli([
      'run',
      '--config',
      config,
      '--agent',
      'triage',
      '--output',
      'stream-json',
      'It crashes',
    ]);
    expect(result.code).toBe(0);
    const lines = parseLines(result.stdout);
    const handoff = lines.find((l) => l.type === 'handoff');
    expect(handoff).toMatchObject({ type: 'handoff', from: 'triage', to: 'support', turn: 1 });
    expect(lines.indexOf(handoff as Record<string, unknown>)).toBeLessThan(lines.length - 1);
    expect(lines.at(-1)).toMatchObject({ type: 'run_end', text: 'Restart it.' });
  });

  it('--system replaces the chosen agent instructions (flags win over the agent)', async () => {
    server = await startFixtureServer({ responses: [{ body: textAnswer(['ok']) }] });
    const config = agentsConfig(server.baseUrl);
    const result = await runCli([
      'run',
      '--config',
      config,
      '--agent',
      'support',
      '--system',
      'Be terse.',
      'hi',
    ]);
    expect(result.code).toBe(0);
    expect(bodyOf(server, 0).messages[0]).toMatchObject({ role: 'system', content: 'Be terse.' });
  });

  it('an unknown agent is a usage error listing the declared ones; nothing is sent', async () => {
    server = await startFixtureServer({ responses: [] });
    const config = agentsConfig(server.baseUrl);
    const result = await runCli(['run', '--config', config, '--agent', 'sales', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --agent "sales": no such agent in the config file; declared: triage, billing, support\n',
    );
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('an agent whose tool needs --allow-write is a usage error naming the agent', async () => {
    server = await startFixtureServer({ responses: [] });
    const dir = mkdtempSync(join(tmpdir(), 'oa-agents-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      `baseUrl: ${server.baseUrl}\nmodel: m\nagents:\n  writer:\n    tools: [write_file]\n`,
    );
    const result = await runCli(['run', '--config', file, '--agent', 'writer', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/agent "writer" uses write_file, which changes files: add --allow-write/);
  });
});

describe('open-agent run --schema repair turns', () => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  };
  function schemaFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'oa-schema-'));
    const file = join(dir, 'city.json');
    writeFileSync(file, JSON.stringify(schema));
    return file;
  }

  it('an invalid first answer gets a repair turn; the valid second one is `output` (exit 0)', async () => {
    server = await startFixtureServer({
      responses: [{ body: textAnswer(['{"town": "Paris"}']) }, { body: textAnswer(['{"city": "Paris"}']) }],
    });
    const base = ['run', '--base-url', server.baseUrl, '--model', 'm', '--schema', schemaFile()];
    const result = await runCli([...base, '--output', 'stream-json', 'Biggest city?']);
    expect(result.code).toBe(0);
    const lines = parseLines(result.stdout);
    const repair = lines.find((l) => l.type === 'output_repair');
    expect(repair).toMatchObject({ type: 'output_repair', attempt: 1, maxRepairs: 2 });
    expect(String(repair?.issues)).toMatch(/city|town/);
    const second = bodyOf(server, 1);
    expect(second.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(String(second.messages.at(-1)?.content)).toContain('does not match the required JSON Schema');
  });

  it('--output json: `output` after the repair; out of repairs is exit 1 with `outputError`', async () => {
    server = await startFixtureServer({
      responses: [{ body: textAnswer(['nope']) }, { body: textAnswer(['{"city": "Lyon"}']) }],
    });
    const file = schemaFile();
    const ok = await runCli([
      'run',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--schema',
      file,
      '--output',
      'json',
      'q',
    ]);
    expect(ok.code).toBe(0);
    expect(parseDocument(ok.stdout).output).toEqual({ city: 'Lyon' });
    await server.close();
    server = await startFixtureServer({ responses: [{ body: textAnswer(['nope']) }] });
    const failed = await runCli([
      'run',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--schema',
      file,
      '--schema-repairs',
      '0',
      '--output',
      'json',
      'q',
    ]);
    expect(failed.code).toBe(1);
    const document = parseDocument(failed.stdout);
    expect(document.output).toBeUndefined();
    expect(typeof document.outputError).toBe('string');
    expect(failed.stderr).toMatch(/^error: the answer does not match --schema:/);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('--schema-repairs must be a non-negative integer', async () => {
    const result = await runCli([
      'run',
      '--base-url',
      'http://127.0.0.1:1/v1',
      '--model',
      'm',
      '--schema',
      schemaFile(),
      '--schema-repairs',
      'two',
      'q',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--schema-repairs must be a non-negative integer/);
  });
});
