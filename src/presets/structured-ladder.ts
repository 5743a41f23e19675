import type { OpenAIChatCompat } from '../types/compat.js';

/** The structured-output flags of one server kind (a slice of {@link OpenAIChatCompat}). */
export type StructuredLadderEntry = Pick<
  OpenAIChatCompat,
  'structuredRungs' | 'nativeSchemaField' | 'grammarWithTools'
>;

/**
 * The structured-output ladder per server kind: which rungs the server honours (best first), its native
 * schema field, and whether it applies a grammar while tools are offered. Presets spread these entries
 * into their `compat`; the one compat resolver then gives every request its ladder, and a probe verdict
 * (`probe({ structured: true })`) drops the rungs a server was seen to ignore.
 *
 * Every entry says where the behaviour was observed. "anchors §4" is ../shared/notes/round2-anchors.md §4.
 */
export const STRUCTURED_LADDER = Object.freeze({
  // llama.cpp llama-server (ggml-org/llama.cpp tools/server/server-common.cpp, oaicompat chat parse):
  // `response_format: { type: 'json_schema', json_schema: { schema } }` and `{ type: 'json_object',
  // schema? }` are honoured, and the top-level `json_schema` field is read from the chat body too. The
  // README's `{ type: 'json_schema', schema }` is silently ignored (HTTP 200, no constraint), so it is never
  // sent. "Cannot use custom grammar constraints with tools": no grammar on turns with tools (anchors §4).
  llamacpp: {
    structuredRungs: ['json_schema', 'native', 'json_object', 'prompt'],
    nativeSchemaField: 'json_schema',
    grammarWithTools: false,
  },
  // vLLM (docs.vllm.ai/en/latest/features/structured_outputs, re-read for issue 17): `response_format` json_schema or
  // json_object, and the extra field `structured_outputs: { json }`. The legacy `guided_json` & co. were
  // removed in v0.12.0 and are silently ignored (dottxt-ai/outlines#1887), so they are never sent.
  vllm: {
    structuredRungs: ['json_schema', 'native', 'json_object', 'prompt'],
    nativeSchemaField: 'structured_outputs',
    grammarWithTools: true,
  },
  // LM Studio (lmstudio.ai/docs/advanced/structured-output): `response_format` json_schema only;
  // `json_object` answers 400 "'response_format.type' must be 'json_schema' or 'text'"
  // (lmstudio-ai/lmstudio-bug-tracker#189, seen on 0.4.20), so that rung is left out.
  lmstudio: {
    structuredRungs: ['json_schema', 'prompt'],
    nativeSchemaField: 'none',
    grammarWithTools: true,
  },
  // Ollama /v1/chat/completions (ollama/ollama openai/openai.go:81-88, :684-694): maps
  // `response_format.json_schema.schema` onto its `format` field and `json_object` onto `format: "json"`.
  // `format` itself is a field of the native /api/chat only (provider ollama-chat), not of /v1.
  ollama: {
    structuredRungs: ['json_schema', 'json_object', 'prompt'],
    nativeSchemaField: 'none',
    grammarWithTools: true,
  },
} satisfies Record<string, StructuredLadderEntry>);
