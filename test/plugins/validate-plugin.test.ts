import { describe, expect, it } from 'vitest';
import {
  checkPlugin,
  defineAgent,
  definePlugin,
  InvalidArgumentError,
  mergeHooks,
  pluginOfModule,
  tool,
} from '../../src/index.js';
import { scriptedModel } from '../../src/testing/index.js';

const echo = tool({
  name: 'echo',
  description: 'Echo the text',
  parameters: { type: 'object', properties: { text: { type: 'string' } } },
  execute: ({ args }) => String((args as { text?: string }).text),
});

function refusal(value: unknown): InvalidArgumentError {
  try {
    checkPlugin(value, 'file');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('checkPlugin accepted the plugin');
}

describe('checkPlugin', () => {
  it('keeps tool() results, builds tool definitions, completes presets and names the plugin', async () => {
    const checked = checkPlugin(
      definePlugin({
        tools: [
          echo,
          { name: 'shout', description: 'd', parameters: { type: 'object' }, execute: () => 'HI' },
        ],
        presets: [{ name: 'box', api: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1' }],
      }),
      'my-file',
    );
    expect(checked.name).toBe('my-file');
    expect(checked.tools[0]).toBe(echo);
    expect(checked.tools[1]?.spec.name).toBe('shout');
    expect(await checked.tools[1]?.validate({})).toMatchObject({ ok: true });
    expect(checked.presets).toEqual([
      {
        name: 'box',
        label: 'box',
        local: false,
        compat: {},
        api: 'openai-chat',
        baseUrl: 'http://127.0.0.1:9/v1',
      },
    ]);
    expect(checked.hooks).toEqual({});
  });

  it('accepts defineAgent() results and hook lists', () => {
    const agent = defineAgent({ name: 'helper', model: scriptedModel([]).model });
    const hook = () => undefined;
    const checked = checkPlugin(
      { name: 'p', agents: [agent], hooks: { Stop: [hook], PreToolUse: [{ hook, matcher: 'x' }] } },
      'f',
    );
    expect(checked.agents).toEqual([agent]);
    expect(checked.hooks.Stop).toEqual([hook]);
  });

  it.each([
    [5, 'plugin', 'the plugin must be an object, got a number'],
    [{ tool: [] }, 'tool', 'unknown key "tool"; known: name, tools, providers, presets, agents, hooks'],
    [{ name: '' }, 'name', '"name" must be a non-empty string'],
    [{ tools: {} }, 'tools', '"tools" must be an array, got an object'],
    [{ tools: ['x'] }, 'tools', 'tools[0] must be a tool() result or a tool definition'],
    [
      { tools: [{ name: 'bad name!', parameters: { type: 'object' }, execute: () => '' }] },
      'tools',
      'tools[0]: ',
    ],
    [{ providers: [{ api: 'x' }] }, 'providers', 'providers[0] must be a defineProvider() result'],
    [
      { presets: [{ name: 'p', api: 'openai-chat', baseUrl: 'nope' }] },
      'presets',
      'presets[0].baseUrl must be an absolute URL',
    ],
    [{ agents: [{ name: 'a' }] }, 'agents', 'agents[0] must be a defineAgent() result'],
    [{ hooks: { BeforeEverything: [] } }, 'hooks', 'unknown hook event "BeforeEverything"'],
    [
      { hooks: { Stop: ['no'] } },
      'hooks',
      'hooks.Stop[0] must be a function or { hook, matcher?, timeoutMs? }',
    ],
    [{ name: 'empty' }, 'plugin', 'adds nothing (no tools, providers, presets, agents or hooks)'],
  ])('refuses %j naming %s', (value, argument, message) => {
    const error = refusal(value);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });
});

describe('pluginOfModule', () => {
  const context = { sdk: { tool }, provider: {} };

  it('calls a default-export function with the context, awaiting it', async () => {
    const plugin = await pluginOfModule(
      {
        default: async (c: typeof context) => ({
          tools: [c.sdk.tool({ name: 't', parameters: { type: 'object' }, execute: () => '' })],
        }),
      },
      context,
    );
    expect(checkPlugin(plugin, 'f').tools[0]?.name).toBe('t');
  });

  it('takes named exports when there is no default export, ignoring other exports', async () => {
    expect(await pluginOfModule({ tools: [echo], helper: 1 }, context)).toEqual({ tools: [echo] });
  });

  it('refuses a module that exports no plugin', async () => {
    await expect(pluginOfModule({ helper: 1 }, context)).rejects.toThrow(/exports no plugin/);
  });
});

describe('mergeHooks', () => {
  it('concatenates each event in argument order and skips empty sets', () => {
    const [a, b, c] = [() => undefined, () => undefined, () => undefined];
    expect(mergeHooks({ Stop: [a] }, undefined, { Stop: [b], PreToolUse: [c] }, { Stop: [] })).toEqual({
      Stop: [a, b],
      PreToolUse: [c],
    });
    expect(mergeHooks(undefined, {})).toBeUndefined();
  });
});
