import type { FixtureHandler, RecordedRequest, ScriptedResponse } from '../../src/testing/index.js';
import { textResponse } from '../../src/testing/index.js';

/**
 * Synthetic imitations of how local servers treat structured-output fields (not recordings): each decides
 * from the request body whether the constraint "applied", and answers the schema-conforming JSON when it
 * did, else free text. Behaviours from ../shared/notes/round2-anchors.md §4.
 */
export type Behaviour =
  /** Honours `response_format: { type: 'json_schema', json_schema: { schema } }` (OpenAI, LM Studio). */
  | 'honours-json-schema'
  /** LM Studio: honours json_schema, answers 400 to `json_object`. */
  | 'lmstudio'
  /** llama.cpp: honours the top-level `json_schema` and `response_format.json_schema.schema`; ignores `response_format.schema`. */
  | 'llamacpp'
  /** llama.cpp built that ignores `response_format`: only its native top-level `json_schema` applies. */
  | 'llamacpp-native-only'
  /** vLLM ≥ 0.12 whose `response_format` is ignored (as LocalAI PR #10339): only `structured_outputs.json` applies; `guided_json` is ignored. */
  | 'vllm-native-only'
  /** Ignores every structured-output field (HTTP 200, free text). */
  | 'fail-open';

export interface Imitation {
  /** The JSON answered when the constraint applied. */
  valid: unknown;
  /** The free text answered when it did not. @default 'Sure! Paris is a lovely city.' */
  freeText?: string;
  /** Answers to give, in order, regardless of fields (then the behaviour decides). */
  first?: string[];
}

type Body = Record<string, unknown> & {
  response_format?: { type?: string; json_schema?: { schema?: unknown }; schema?: unknown };
  structured_outputs?: { json?: unknown };
  json_schema?: unknown;
  stream?: boolean;
};

function schemaApplied(behaviour: Behaviour, body: Body): unknown {
  const rf = body.response_format;
  const openAiShape = rf?.type === 'json_schema' ? rf.json_schema?.schema : undefined;
  switch (behaviour) {
    case 'honours-json-schema':
    case 'lmstudio':
      return openAiShape;
    case 'llamacpp':
      return body.json_schema ?? openAiShape;
    case 'llamacpp-native-only':
      return body.json_schema;
    case 'vllm-native-only':
      return body.structured_outputs?.json;
    case 'fail-open':
      return undefined;
  }
}

function answer(text: string, streaming: boolean): ScriptedResponse {
  if (streaming) return textResponse(text);
  const body = {
    id: 'chatcmpl-imitation',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  };
  return { contentType: 'application/json', body: JSON.stringify(body) };
}

/** A fixture handler imitating `behaviour` on `/v1/chat/completions` (plus `/v1/models`, and `/props` for llama.cpp). */
export function imitate(behaviour: Behaviour, imitation: Imitation): FixtureHandler {
  const first = [...(imitation.first ?? [])];
  return (request: RecordedRequest) => {
    if (request.method === 'GET') return getAnswer(behaviour, request.path);
    const body = (request.json ?? {}) as Body;
    const streaming = body.stream !== false;
    if (behaviour === 'lmstudio' && body.response_format?.type === 'json_object') {
      return {
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: "'response_format.type' must be 'json_schema' or 'text'" }),
      };
    }
    const scripted = first.shift();
    if (scripted !== undefined) return answer(scripted, streaming);
    const schema = schemaApplied(behaviour, body) as { properties?: Record<string, unknown> } | undefined;
    if (schema === undefined) return answer(imitation.freeText ?? 'Sure! Paris is a lovely city.', streaming);
    const probe = schema.properties?.probe !== undefined;
    return answer(JSON.stringify(probe ? { probe: 'oa-7f3c-enforced' } : imitation.valid), streaming);
  };
}

function getAnswer(behaviour: Behaviour, path: string): ScriptedResponse {
  const json = (value: unknown, status = 200): ScriptedResponse => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify(value),
  });
  if (path === '/v1/models')
    return json({
      object: 'list',
      data: [{ id: 'm1', object: 'model', owned_by: behaviour.startsWith('vllm') ? 'vllm' : 'me' }],
    });
  if (path === '/props' && behaviour.startsWith('llamacpp'))
    return json({ default_generation_settings: { n_ctx: 8192 }, chat_template: '{{ messages }}' });
  return json({ error: 'not found' }, 404);
}

/** The chat requests a server received, parsed. */
export function chatBodies(requests: readonly RecordedRequest[]): Body[] {
  return requests.filter((r) => r.method === 'POST').map((r) => r.json as Body);
}
