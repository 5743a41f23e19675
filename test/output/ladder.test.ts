import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { extractJson } from '../../src/output/extract.js';
import { structuredRequest, usableRungs } from '../../src/output/ladder.js';
import { compileOutput } from '../../src/output/schema.js';
import { modelFor } from '../../src/presets/model-for.js';
import { openAIChatProvider } from '../../src/providers/openai-chat/index.js';

const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
const compatOf = (provider: string) =>
  openAIChatProvider.resolveCompat(modelFor({ provider, id: 'm', baseUrl: 'http://127.0.0.1:1/v1' }));

describe('the ladder table, resolved by the one compat resolver', () => {
  it('gives each local server its rungs and native field', () => {
    expect(usableRungs(compatOf('llamacpp'), false)).toEqual([
      'json_schema',
      'native',
      'json_object',
      'prompt',
    ]);
    expect(usableRungs(compatOf('vllm'), false)).toEqual(['json_schema', 'native', 'json_object', 'prompt']);
    expect(usableRungs(compatOf('lmstudio'), false)).toEqual(['json_schema', 'prompt']);
    expect(usableRungs(compatOf('ollama'), false)).toEqual(['json_schema', 'json_object', 'prompt']);
    expect(usableRungs(compatOf('deepseek'), false)).toEqual(['json_object', 'prompt']);
    expect(usableRungs(compatOf('llamacpp'), true)).toEqual(['prompt']);
    expect(usableRungs(compatOf('vllm'), true)[0]).toBe('json_schema');
  });

  it('writes each rung in the documented field shape', () => {
    const format = { type: 'json_schema' as const, name: 'x', schema };
    const native = (provider: string) =>
      structuredRequest(format, { ...compatOf(provider), structuredRungs: ['native'] }, false)?.fields;
    expect(native('llamacpp')).toEqual({ json_schema: schema });
    expect(native('vllm')).toEqual({ structured_outputs: { json: schema } });
    expect(structuredRequest(format, compatOf('llamacpp'), false)?.fields).toEqual({
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
    });
    const object = structuredRequest(format, compatOf('deepseek'), false);
    expect(object?.fields).toEqual({ response_format: { type: 'json_object' } });
    expect(object?.systemExtra[0]).toContain('"required":["a"]');
  });

  it('asks LM Studio for json_object as a json_schema of any object, never json_object', () => {
    const request = structuredRequest({ type: 'json_object' }, compatOf('lmstudio'), false);
    expect(request?.fields).toEqual({
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } },
    });
  });

  it('converts a zod schema in responseFormat, and rejects what cannot be a JSON Schema', () => {
    const zod = z.object({ a: z.number() });
    const request = structuredRequest({ type: 'json_schema', schema: zod }, compatOf('vllm'), false);
    const format = request?.fields.response_format as { json_schema: { schema: object } } | undefined;
    const sent = format?.json_schema.schema;
    expect(sent).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
    expect(JSON.stringify(sent)).not.toContain('_zod');
    const opaque = { '~standard': { version: 1, vendor: 'opaque', validate: () => ({ value: 1 }) } };
    expect(() => compileOutput(opaque)).toThrow(InvalidArgumentError);
    expect(() => compileOutput('nope' as never)).toThrow(/Standard Schema/);
  });
});

describe('extractJson', () => {
  it('reads the whole text, a code fence, or the first balanced value', () => {
    expect(extractJson(' {"a":1} ')).toMatchObject({ ok: true, value: { a: 1 }, from: 'whole' });
    expect(extractJson('x\n```json\n[1,2]\n```')).toMatchObject({ ok: true, value: [1, 2], from: 'fence' });
    expect(extractJson('Sure: {"a":"}{"} and {"b":2}')).toMatchObject({ ok: true, value: { a: '}{' } });
    expect(extractJson('{not json} then {"b":2}')).toMatchObject({ ok: true, value: { b: 2 } });
  });

  it('says why when there is no JSON value', () => {
    const none = extractJson('Sure! Paris.');
    expect(none.ok).toBe(false);
    expect(extractJson('').ok).toBe(false);
    expect(extractJson('{'.repeat(10_000)).ok).toBe(false);
  });
});

describe('complete() with a schema', () => {
  it('sends a zod schema as JSON Schema and sets message.parsed when the answer passes', async () => {
    const { startFixtureServer, textResponse } = await import('../../src/testing/index.js');
    const { complete } = await import('../../src/index.js');
    const server = await startFixtureServer({
      responses: [textResponse('```json\n{"a": 3}\n```'), textResponse('{"a": "x"}')],
    });
    try {
      const m = modelFor({ provider: 'custom', id: 'm', baseUrl: server.baseUrl });
      const schemaZ = z.object({ a: z.number() });
      const ok = await complete(
        m,
        { messages: [{ role: 'user', content: 'a?' }] },
        {
          responseFormat: { type: 'json_schema', schema: schemaZ },
        },
      );
      expect(ok.parsed).toEqual({ a: 3 });
      const body = server.requests[0]?.json as { response_format: { json_schema: { schema: object } } };
      expect(body.response_format.json_schema.schema).toMatchObject({
        properties: { a: { type: 'number' } },
      });
      const bad = await complete(
        m,
        { messages: [{ role: 'user', content: 'a?' }] },
        {
          responseFormat: { type: 'json_schema', schema: schemaZ },
        },
      );
      expect(bad.stopReason).toBe('stop');
      expect(bad).not.toHaveProperty('parsed');
    } finally {
      await server.close();
    }
  });
});
