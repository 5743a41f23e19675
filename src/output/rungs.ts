/**
 * The rungs of the structured-output ladder, best first:
 *
 * - `json_schema`: the OpenAI `response_format: { type: 'json_schema', json_schema: { name, schema } }`
 *   in the shape the server honours (Ollama's native API: `format: <schema>`).
 * - `native`: the server's own grammar field ({@link NativeSchemaField}): llama.cpp top-level
 *   `json_schema`, vLLM `structured_outputs: { json }`.
 * - `json_object`: `response_format: { type: 'json_object' }` plus the schema in the system prompt.
 * - `prompt`: the schema in the system prompt only; the answer is extracted (code fences, first balanced
 *   JSON value) and validated.
 *
 * Source: ../shared/notes/round2-anchors.md §4 and the table in `src/presets/structured-ladder.ts`.
 */
export type StructuredRung = 'json_schema' | 'native' | 'json_object' | 'prompt';

/** Every rung, best first. */
export const ALL_RUNGS: readonly StructuredRung[] = Object.freeze([
  'json_schema',
  'native',
  'json_object',
  'prompt',
]);

/**
 * The server's native grammar field for a JSON Schema: llama.cpp `json_schema` (top level of the chat
 * body), vLLM `structured_outputs: { json: schema }`, Ollama's native `format: schema`, or none.
 */
export type NativeSchemaField = 'json_schema' | 'structured_outputs' | 'format' | 'none';

/** What a fail-open check found for one rung: the constraint applied, was silently ignored, or refused. */
export type StructuredVerdict = 'enforced' | 'ignored' | 'rejected';
