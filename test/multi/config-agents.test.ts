import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.js';
import {
  agentsFromConfig,
  InvalidArgumentError,
  type Model,
  tool,
  transferToolName,
} from '../../src/index.js';

const model = (id?: string): Model => ({
  id: id ?? 'default',
  api: 'openai-chat',
  provider: 'custom',
  baseUrl: 'http://127.0.0.1:1/v1',
});
const tools = (names: readonly string[]) =>
  names.map((name) => {
    if (name !== 'read_file') throw new InvalidArgumentError(`unknown tool ${name}`, { argument: 'tools' });
    return tool({ name, parameters: { type: 'object' }, execute: () => '' });
  });

describe('agents in the config file', () => {
  it('validates the mapping and builds definitions with handoffs, tools and models', () => {
    const config = validateConfig(
      {
        model: 'qwen3',
        agents: {
          triage: { instructions: 'Route.', handoffs: ['coder', 'writer'] },
          coder: { instructions: 'Code.', model: 'qwen3-coder', tools: ['read_file'] },
          writer: { instructions: 'Write.', handoffDescription: 'Prose.' },
        },
      },
      'open-agent.config.yaml',
    );
    const agents = agentsFromConfig(config.agents ?? {}, { model, tools });
    expect(Object.keys(agents).sort()).toEqual(['coder', 'triage', 'writer']);
    expect(agents.triage?.handoffs).toEqual([agents.coder, agents.writer]);
    expect(agents.coder?.model.id).toBe('qwen3-coder');
    expect(agents.coder?.tools?.map((t) => ('name' in t ? t.name : ''))).toEqual(['read_file']);
    expect(agents.writer?.model.id).toBe('default');
    expect(transferToolName('writer')).toBe('transfer_to_writer');
  });

  it('refuses unknown keys, wrong types, unknown handoff targets and cycles', () => {
    expect(() => validateConfig({ agents: { a: { prompt: 'x' } } }, 'f.yaml')).toThrow(
      /unknown key "prompt"/,
    );
    expect(() => validateConfig({ agents: { a: { tools: 'read_file' } } }, 'f.yaml')).toThrow(
      /tools is a list/,
    );
    expect(() => validateConfig({ agents: ['a'] }, 'f.yaml')).toThrow(/mapping of agent name/);
    expect(() => agentsFromConfig({ a: { handoffs: ['b'] } }, { model, tools })).toThrow(
      /"b", which is not declared/,
    );
    expect(() =>
      agentsFromConfig({ a: { handoffs: ['b'] }, b: { handoffs: ['a'] } }, { model, tools }),
    ).toThrow(/cycle/);
  });
});
