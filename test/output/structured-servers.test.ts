import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { OutputValidationError } from '../../src/errors/output-validation-error.js';
import {
  type AgentEvent,
  applyProfile,
  defineAgent,
  type Model,
  modelFor,
  probe,
  run,
  tool,
} from '../../src/index.js';
import {
  type FixtureServer,
  startFixtureServer,
  textResponse,
  toolCallResponse,
} from '../../src/testing/index.js';
import { type Behaviour, chatBodies, imitate } from './imitations.js';

const City = z.object({ city: z.string(), population: z.number() });
const VALID = { city: 'Paris', population: 2_100_000 };

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(behaviour: Behaviour, first?: string[]): Promise<FixtureServer> {
  const s = await startFixtureServer({
    responses: imitate(behaviour, { valid: VALID, ...(first && { first }) }),
  });
  servers.push(s);
  return s;
}

function model(s: FixtureServer, provider = 'custom', compat: Model['compat'] = {}): Model {
  return { ...modelFor({ provider, id: 'm1', baseUrl: s.baseUrl }), compat };
}

/** Runs an agent with `outputType: City`, collecting the `start` warnings and `output_repair` events. */
async function runCity(m: Model, tools: ReturnType<typeof tool>[] = []) {
  const agent = defineAgent({ name: 'geo', model: m, outputType: City, tools });
  const warnings: string[] = [];
  const repairs: AgentEvent[] = [];
  const outcome = await run(agent, 'Biggest city of France?', {
    observers: [
      (e) => {
        if (e.type === 'message_update' && e.event.type === 'start') warnings.push(...e.event.warnings);
        if (e.type === 'output_repair') repairs.push(e);
      },
    ],
    streamOptions: { retry: { maxRetries: 0 } },
  });
  return { outcome, warnings, repairs };
}

describe('structured output on each server behaviour', () => {
  it('a server that honours json_schema gives a typed, validated finalOutput on the first rung', async () => {
    const s = await server('honours-json-schema');
    const { outcome, warnings, repairs } = await runCity(model(s));
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toEqual(VALID);
    expectTypeOf(outcome.finalOutput).toEqualTypeOf<{ city: string; population: number } | undefined>();
    expect(repairs).toHaveLength(0);
    expect(warnings.join('\n')).toContain('rung "json_schema"');
    const [body] = chatBodies(s.requests);
    expect(body?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'geo', schema: { type: 'object', required: ['city', 'population'] } },
    });
  });

  it('llama.cpp gets the OpenAI shape its parser reads, never the README `{ type, schema }` shape', async () => {
    const s = await server('llamacpp');
    const { outcome } = await runCity(model(s, 'llamacpp'));
    expect(outcome.finalOutput).toEqual(VALID);
    const [body] = chatBodies(s.requests);
    expect(body?.response_format?.json_schema?.schema).toBeDefined();
    expect(body?.response_format).not.toHaveProperty('schema');
  });

  it('a fail-open server (fields silently ignored, free text) ends in a typed OutputValidationError, never unvalidated text', async () => {
    const s = await server('fail-open');
    const { outcome, repairs } = await runCity(model(s));
    expect(outcome.status).toBe('failed');
    expect(outcome.finalOutput).toBeUndefined();
    expect(OutputValidationError.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as OutputValidationError;
    expect(error.rawText).toBe('Sure! Paris is a lovely city.');
    expect(error.attempts).toBe(3);
    expect(repairs).toHaveLength(2);
    expect(chatBodies(s.requests)).toHaveLength(3);
    // Nothing lost: every answer is in the transcript; the same agent works on the next run.
    expect(outcome.messages.filter((m) => m.role === 'assistant')).toHaveLength(3);
    const good = await server('honours-json-schema');
    const again = await runCity(model(good));
    expect(again.outcome.finalOutput).toEqual(VALID);
  });

  it('LM Studio never gets json_object (it answers 400): the ladder has no such rung', async () => {
    const s = await server('lmstudio');
    // A model record that insists on json_object (the record wins over the table), to show the imitation
    // really rejects it as LM Studio does.
    const insisting = model(s, 'lmstudio', { structuredRungs: ['json_object', 'prompt'] });
    const { outcome } = await runCity(model(s, 'lmstudio'));
    expect(outcome.finalOutput).toEqual(VALID);
    for (const body of chatBodies(s.requests)) expect(body.response_format?.type).not.toBe('json_object');
    const rejected = await runCity(insisting);
    expect(rejected.outcome.status).toBe('failed');
    expect(rejected.outcome.error?.message).toContain('400');
  });

  it('a repair turn carries the validator message and yields the valid output', async () => {
    const s = await server('honours-json-schema', ['{"city": "Paris", "population": "lots"}']);
    const { outcome, repairs } = await runCity(model(s));
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toEqual(VALID);
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ type: 'output_repair', attempt: 1, maxRepairs: 2 });
    const bodies = chatBodies(s.requests);
    expect(bodies).toHaveLength(2);
    const last = (bodies[1]?.messages as { role: string; content: string }[] | undefined)?.at(-1);
    expect(last?.role).toBe('user');
    expect(last?.content).toContain('population');
    expect(last?.content).toContain('does not match the required JSON Schema');
  });

  it('extracts the JSON from code fences and prose on the prompt rung', async () => {
    const s = await server('fail-open', [
      `Here you go:\n\`\`\`json\n${JSON.stringify(VALID)}\n\`\`\`\nAnything else?`,
    ]);
    const { outcome, warnings } = await runCity(model(s, 'custom', { responseFormat: 'none' }));
    expect(outcome.finalOutput).toEqual(VALID);
    expect(warnings.join('\n')).toContain('rung "prompt"');
    const [body] = chatBodies(s.requests);
    expect(body).not.toHaveProperty('response_format');
    expect(JSON.stringify(body?.messages)).toContain('JSON Schema');
  });
});

describe('the probe verdict makes the ladder skip an ignored rung', () => {
  it('llama.cpp that honours only its native json_schema field: probe says ignored/enforced, the run uses json_schema at the top level', async () => {
    const s = await server('llamacpp-native-only');
    const profile = await probe(s.baseUrl, { structured: true, cache: false });
    expect(profile.server).toBe('llamacpp');
    expect(profile.structured?.verdicts).toEqual({ json_schema: 'ignored', native: 'enforced' });
    expect(profile.compat.structuredRungs).toEqual(['native', 'json_object', 'prompt']);
    const before = s.requests.length;
    const { outcome, warnings } = await runCity(applyProfile(model(s, 'llamacpp'), profile));
    expect(outcome.finalOutput).toEqual(VALID);
    expect(warnings.join('\n')).toContain('rung "native"');
    const body = chatBodies(s.requests.slice(before))[0];
    expect(body?.json_schema).toMatchObject({ type: 'object' });
    expect(body).not.toHaveProperty('response_format');
  });

  it('vLLM that honours only structured_outputs: sends `structured_outputs: { json }`, never the removed guided_json', async () => {
    const s = await server('vllm-native-only');
    const profile = await probe(s.baseUrl, { structured: true, cache: false });
    expect(profile.server).toBe('vllm');
    expect(profile.structured?.verdicts).toEqual({ json_schema: 'ignored', native: 'enforced' });
    const before = s.requests.length;
    const { outcome } = await runCity(applyProfile(model(s, 'vllm'), profile));
    expect(outcome.finalOutput).toEqual(VALID);
    const body = chatBodies(s.requests.slice(before))[0];
    expect(body?.structured_outputs).toMatchObject({ json: { type: 'object' } });
    for (const b of chatBodies(s.requests)) expect(JSON.stringify(b)).not.toContain('guided_');
  });

  it('probe caches the verdict with the profile (no second check)', async () => {
    const s = await server('honours-json-schema');
    const { MemoryProbeCache } = await import('../../src/presets/probe-cache.js');
    const cache = new MemoryProbeCache();
    const first = await probe(s.baseUrl, { structured: true, cache });
    expect(first.structured?.verdicts).toEqual({ json_schema: 'enforced' });
    const posts = chatBodies(s.requests).length;
    const second = await probe(s.baseUrl, { structured: true, cache });
    expect(second.structured).toEqual(first.structured);
    expect(chatBodies(s.requests)).toHaveLength(posts);
  });
});

describe('tools with structured output', () => {
  it('llama.cpp (no grammar with tools): tool turns carry no grammar, the repair turn is sent without tools', async () => {
    const lookup = tool({
      name: 'lookup',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
      execute: () => 'Paris: 2,100,000 people',
    });
    const s = await startFixtureServer({
      responses: (request, index) => {
        if (index === 0) return toolCallResponse([{ name: 'lookup', arguments: { q: 'paris' } }]);
        const body = request.json as Record<string, unknown>;
        const constrained = body.response_format !== undefined || body.json_schema !== undefined;
        return textResponse(
          constrained && body.tools === undefined ? JSON.stringify(VALID) : 'Paris, about 2.1M.',
        );
      },
    });
    servers.push(s);
    const { outcome, repairs } = await runCity(model(s, 'llamacpp'), [lookup]);
    expect(outcome.status).toBe('completed');
    expect(outcome.finalOutput).toEqual(VALID);
    expect(repairs).toHaveLength(1);
    const bodies = chatBodies(s.requests);
    expect(bodies).toHaveLength(3);
    for (const b of bodies.slice(0, 2)) {
      expect(b.tools).toBeDefined();
      expect(b).not.toHaveProperty('response_format');
      expect(JSON.stringify(b.messages)).toContain('JSON Schema');
    }
    expect(bodies[2]).not.toHaveProperty('tools');
    expect(bodies[2]?.response_format).toMatchObject({ type: 'json_schema' });
  });
});
