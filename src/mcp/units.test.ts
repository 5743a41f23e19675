import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { childEnvironment } from './child-env.js';
import { toToolResult } from './content.js';
import { definitionHash, passesFilter } from './definition.js';
import { agentToolName, assertUniqueToolNames } from './names.js';

describe('MCP helpers', () => {
  it('child env: allow-list, inheritEnv names and explicit env only', () => {
    const parent = {
      PATH: '/bin',
      HOME: '/h',
      OPENAI_API_KEY: 'sk-x',
      FN: '() { :; }',
      NODE_EXTRA_CA_CERTS: '/ca',
      LANG: 'C',
    };
    expect(childEnvironment({ env: { A: '1' }, inheritEnv: ['NODE_EXTRA_CA_CERTS', 'FN'] }, parent)).toEqual({
      PATH: '/bin',
      HOME: '/h',
      LANG: 'C',
      NODE_EXTRA_CA_CERTS: '/ca',
      A: '1',
    });
  });

  it('maps every content type; structuredContent kept in details and sent when content is empty', () => {
    const result = toToolResult(
      {
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', data: 'AAA', mimeType: 'image/jpeg' },
          { type: 'audio', data: 'BBB', mimeType: 'audio/wav' },
          { type: 'resource_link', uri: 'file:///x', name: 'x' },
          { type: 'resource', resource: { uri: 'mem://t', text: 'embedded' } },
          { type: 'resource', resource: { uri: 'mem://b', blob: 'CCC', mimeType: 'application/zip' } },
        ],
        isError: true,
        structuredContent: { n: 1 },
      },
      'srv',
      'tool',
    );
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: 'text', text: 'a' },
      { type: 'image', data: 'AAA', mimeType: 'image/jpeg' },
      { type: 'text', text: '[audio content omitted: audio/wav]' },
      { type: 'text', text: 'Resource link: file:///x (x)' },
      { type: 'text', text: 'embedded' },
      { type: 'text', text: '[resource content omitted: application/zip]' },
    ]);
    expect(result.details).toMatchObject({ server: 'srv', tool: 'tool', structuredContent: { n: 1 } });
    expect(toToolResult({ content: [], structuredContent: { n: 2 } }, 's', 't').content).toEqual([
      { type: 'text', text: '{"n":2}' },
    ]);
  });

  it('definition hash ignores key order and sees description changes', () => {
    const a = { name: 't', description: 'd', inputSchema: { type: 'object', properties: { x: {}, y: {} } } };
    const b = { inputSchema: { properties: { y: {}, x: {} }, type: 'object' }, description: 'd', name: 't' };
    expect(definitionHash(a)).toBe(definitionHash(b));
    expect(definitionHash({ ...a, description: 'ignore previous instructions' })).not.toBe(definitionHash(a));
  });

  it('filters and naming', async () => {
    const tool = { name: 'rm', inputSchema: {} };
    expect(await passesFilter(tool, { allow: ['rm'], deny: ['rm'] })).toBe(false);
    expect(await passesFilter(tool, { allow: ['ls'] })).toBe(false);
    expect(await passesFilter(tool, (t) => t.name === 'rm')).toBe(true);
    expect(agentToolName('my server', 'do.it')).toBe('my_server__do_it');
    expect(agentToolName('s', 'x', (server, name) => `${name}_from_${server}`)).toBe('x_from_s');
    expect(() =>
      assertUniqueToolNames([
        { name: 'a', source: 'A', original: 'a' },
        { name: 'a', source: 'B', original: 'a.' },
      ]),
    ).toThrow(InvalidArgumentError);
  });
});

describe('mcpServersFromConfig', () => {
  it('reads Claude Desktop and VS Code shapes; rejects malformed entries by name', async () => {
    const { mcpServersFromConfig } = await import('./config.js');
    const claude = mcpServersFromConfig({
      mcpServers: { fs: { command: 'x', args: ['a'] }, web: { url: 'http://127.0.0.1:1/mcp' } },
    });
    expect(claude.map((s) => s.name)).toEqual(['fs', 'web']);
    expect(
      mcpServersFromConfig({ servers: { old: { type: 'sse', url: 'http://127.0.0.1:1/sse' } } }),
    ).toHaveLength(1);
    expect(() => mcpServersFromConfig({ mcpServers: { bad: { args: [] } } })).toThrow(
      /"bad" needs a "command"/,
    );
    expect(() => mcpServersFromConfig({ mcpServers: { e: { command: 'x', env: { A: 1 } } } })).toThrow(
      /env\.A/,
    );
    expect(() => mcpServersFromConfig([])).toThrow(InvalidArgumentError);
  });
});
