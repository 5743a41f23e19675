/**
 * Details from the "ai" seed: getSupportedThinkingLevels, getEnvApiKey, tool `label` and
 * `prepareArguments`, the agent's `streamingMessage`, and `detail` on the image helpers.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  type AgentEvent,
  type AssistantMessage,
  defineAgent,
  getEnvApiKey,
  getSupportedThinkingLevels,
  InvalidArgumentError,
  imageFromBase64,
  imageFromUrl,
  modelFor,
  run,
  tool,
} from '../../src/index.js';
import { imageFromFile } from '../../src/node/index.js';
import { MemoryStore } from '../../src/sessions/memory-store.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { chunk, sseBody, textStream } from '../helpers/sse.js';
import { scripted } from './harness.js';

describe('getSupportedThinkingLevels', () => {
  it('follows the model record and the compat profile of its API', () => {
    const openai = modelFor({ provider: 'openai', id: 'o4-mini', overrides: { reasoning: true } });
    expect(getSupportedThinkingLevels(openai)).toEqual(['minimal', 'low', 'medium', 'high']);
    const anthropic = modelFor({ provider: 'anthropic', id: 'claude', overrides: { reasoning: true } });
    expect(getSupportedThinkingLevels(anthropic)).toEqual(['minimal', 'low', 'medium', 'high']);
    // llama.cpp does not honour reasoning_effort: no level reaches the model.
    const llama = modelFor({ provider: 'llamacpp', id: 'gpt-oss', overrides: { reasoning: true } });
    expect(getSupportedThinkingLevels(llama)).toEqual([]);
    const ollama = modelFor({ provider: 'ollama-native', id: 'qwen3', overrides: { reasoning: true } });
    expect(getSupportedThinkingLevels(ollama)).toEqual(['high']);
    const gptOss = modelFor({
      provider: 'ollama-native',
      id: 'gpt-oss',
      overrides: { reasoning: true, compat: { thinkLevels: true } },
    });
    expect(getSupportedThinkingLevels(gptOss)).toEqual(['low', 'medium', 'high']);
  });

  it('is empty for a model that does not (or is not known to) reason', () => {
    expect(getSupportedThinkingLevels(modelFor({ provider: 'openai', id: 'gpt-4o' }))).toEqual([]);
    expect(
      getSupportedThinkingLevels(
        modelFor({ provider: 'openai', id: 'gpt-4o', overrides: { reasoning: false } }),
      ),
    ).toEqual([]);
  });
});

describe('getEnvApiKey', () => {
  const saved = process.env.GROQ_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GROQ_API_KEY;
    else process.env.GROQ_API_KEY = saved;
  });

  it("returns the preset's variable, undefined when unset, empty, unknown or keyless", () => {
    process.env.GROQ_API_KEY = 'gsk-test-value';
    expect(getEnvApiKey('groq')).toBe('gsk-test-value');
    expect(getEnvApiKey('GROQ')).toBe('gsk-test-value');
    process.env.GROQ_API_KEY = '';
    expect(getEnvApiKey('groq')).toBeUndefined();
    delete process.env.GROQ_API_KEY;
    expect(getEnvApiKey('groq')).toBeUndefined();
    expect(getEnvApiKey('ollama')).toBeUndefined();
    expect(getEnvApiKey('no-such-preset')).toBeUndefined();
  });
});

describe('tool label and prepareArguments', () => {
  it('prepareArguments coerces a legacy shape; its throw reaches the model as a tool error; label is on the event', async () => {
    const seen: unknown[] = [];
    const readFiles = tool({
      name: 'read_files',
      label: 'Read files',
      parameters: {
        type: 'object',
        properties: { paths: { type: 'array', items: { type: 'string' } } },
        required: ['paths'],
        additionalProperties: false,
      },
      prepareArguments(args) {
        const a = args as { path?: unknown; paths?: unknown };
        if (a.path === 'forbidden') throw new Error('path "forbidden" is not allowed');
        return typeof a.path === 'string' ? { paths: [a.path] } : args;
      },
      execute: ({ args }) => {
        seen.push(args);
        return `read ${(args as { paths: string[] }).paths.join(',')}`;
      },
    });
    let toolMessages: Record<string, unknown>[] = [];
    const { model } = await scripted([
      toolCallBody([
        { id: 'call_a', name: 'read_files', args: '{"path":"a.txt"}' },
        { id: 'call_b', name: 'read_files', args: '{"path":"forbidden"}' },
      ]),
      (request) => {
        toolMessages = wireMessages(request).filter((m) => m.role === 'tool');
        return textStream(['done']);
      },
    ]);
    const agent = new Agent({ model, tools: [readFiles] });
    const starts: AgentEvent[] = [];
    agent.subscribe((e) => {
      if (e.type === 'tool_execution_start') starts.push(e);
    });
    const result = await agent.prompt('read');
    expect(result.stopReason).toBe('stop');
    expect(seen).toEqual([{ paths: ['a.txt'] }]);
    expect(toolMessages.map((m) => m.content)).toEqual([
      'read a.txt',
      expect.stringContaining('prepareArguments failed: path "forbidden" is not allowed'),
    ]);
    expect(starts.map((e) => e.type === 'tool_execution_start' && e.label)).toEqual([
      'Read files',
      'Read files',
    ]);
  });

  it('rejects a prepareArguments that is not a function and a label that is not a string', () => {
    const base = { name: 't', parameters: { type: 'object' }, execute: () => 'x' };
    expect(() => tool({ ...base, prepareArguments: 5 as never })).toThrow(InvalidArgumentError);
    expect(() => tool({ ...base, label: 5 as never })).toThrow(InvalidArgumentError);
  });
});

describe("the agent's streamingMessage", () => {
  it('is the partial assistant message while a call streams, undefined before and after', async () => {
    const { model } = await scripted([
      {
        body: sseBody([
          chunk({ role: 'assistant', content: 'Hel' }),
          chunk({ content: 'lo' }),
          chunk({}, 'stop'),
        ]),
        splits: [60],
        chunkDelayMs: 20,
      },
    ]);
    const agent = new Agent({ model });
    expect(agent.state.streamingMessage).toBeUndefined();
    const partials: string[] = [];
    let atEnd: AssistantMessage | undefined | 'unset' = 'unset';
    agent.subscribe((e) => {
      if (e.type === 'message_update') {
        const m = agent.state.streamingMessage;
        partials.push(m?.content.map((b) => (b.type === 'text' ? b.text : '')).join('') ?? '(none)');
      }
      if (e.type === 'message_end' && e.message.role === 'assistant') atEnd = agent.state.streamingMessage;
    });
    await agent.prompt('hi');
    expect(partials.length).toBeGreaterThan(0);
    expect(partials).not.toContain('(none)');
    expect(partials.at(-1)).toBe('Hello');
    expect(atEnd).toBeUndefined();
    expect(agent.state.streamingMessage).toBeUndefined();
  });
});

describe('image helpers take detail the same way', () => {
  it('imageFromUrl, imageFromBase64 and imageFromFile accept "low" and { detail: "low" }', async () => {
    expect(imageFromUrl('https://example.com/a.png', { detail: 'low' })).toEqual({
      type: 'image',
      url: 'https://example.com/a.png',
      detail: 'low',
    });
    expect(imageFromUrl('https://example.com/a.png', 'high').detail).toBe('high');
    expect(imageFromBase64('iVBORw0KGgo=', 'image/png', { detail: 'auto' }).detail).toBe('auto');
    const dir = await mkdtemp(join(tmpdir(), 'oa-img-'));
    const file = join(dir, 'dot.png');
    await writeFile(file, Buffer.from('iVBORw0KGgo=', 'base64'));
    expect((await imageFromFile(file, { detail: 'low' })).detail).toBe('low');
    expect((await imageFromFile(file, 'high')).detail).toBe('high');
  });

  it('an unknown detail is a typed error', async () => {
    expect(() => imageFromUrl('https://example.com/a.png', { detail: 'huge' as never })).toThrow(
      InvalidArgumentError,
    );
    await expect(imageFromFile('/nonexistent.png', 'huge' as never)).rejects.toThrow(/detail/);
  });
});

describe('a session id as prompt_cache_key', () => {
  it('run() with a session sends its id where the compat profile sends prompt_cache_key', async () => {
    let body: Record<string, unknown> = {};
    const { model } = await scripted([
      (request) => {
        body = request.json as Record<string, unknown>;
        return textStream(['ok']);
      },
    ]);
    const cached = { ...model, compat: { sendPromptCacheKey: true } };
    const agent = defineAgent({ name: 'cache', model: cached });
    const result = await run(agent, 'hi', { session: { store: new MemoryStore(), id: 'chat-7' } });
    expect(result.status).toBe('completed');
    expect(body.prompt_cache_key).toBe('chat-7');
  });
});
