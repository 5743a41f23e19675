import type { OpenAIChatCompat } from '../types/compat.js';
import type { ResponseFormat } from '../types/options.js';
import type { JsonSchema } from '../types/tool.js';
import type { StructuredRung } from './rungs.js';
import { wireJsonSchema } from './schema.js';

/** The compat flags the ladder reads (OpenAI Chat Completions profile). */
export type LadderCompat = Pick<
  OpenAIChatCompat,
  'responseFormat' | 'structuredRungs' | 'nativeSchemaField' | 'grammarWithTools'
>;

/** What one rung adds to a Chat Completions request. */
export interface StructuredRequest {
  /** The rung used. */
  rung: StructuredRung;
  /** Body fields to set (`response_format`, `json_schema`, `structured_outputs`). */
  fields: Record<string, unknown>;
  /** Text for the system prompt (the schema, for the `json_object` and `prompt` rungs). */
  systemExtra: string[];
  /** One line saying which rung was used and why (for the `start` event's warnings). */
  warning: string;
}

/**
 * The rungs this server may use for this request, best first: `structuredRungs` capped by `responseFormat`
 * (`json_object` drops `json_schema`, `none` drops both), `native` only with a native field, and only
 * `prompt` on a turn with tools when the server cannot combine a grammar with tools.
 */
export function usableRungs(compat: LadderCompat, hasTools: boolean): StructuredRung[] {
  const rungs = compat.structuredRungs.filter((rung) => {
    if (rung === 'json_schema') return compat.responseFormat === 'json_schema';
    if (rung === 'json_object') return compat.responseFormat !== 'none';
    if (rung === 'native') return compat.nativeSchemaField !== 'none';
    return true;
  });
  const allowed = hasTools && !compat.grammarWithTools ? rungs.filter((r) => r === 'prompt') : rungs;
  return allowed.length > 0 ? allowed : ['prompt'];
}

function schemaPrompt(schema: JsonSchema): string {
  return `Answer with one JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(schema)}`;
}

/**
 * The Chat Completions fields for a `responseFormat`, on the first usable rung of the server's ladder
 * ({@link usableRungs}). A Standard Schema in `format.schema` is converted to JSON Schema here.
 * Returns `undefined` for `text` or no format.
 *
 * @throws {InvalidArgumentError} when `format.schema` cannot become a JSON Schema.
 */
export function structuredRequest(
  format: ResponseFormat | undefined,
  compat: LadderCompat,
  hasTools: boolean,
): StructuredRequest | undefined {
  if (!format || format.type === 'text') return undefined;
  const schema: JsonSchema =
    format.type === 'json_schema' ? wireJsonSchema(format.schema) : { type: 'object' };
  const rungs = usableRungs(compat, hasTools);
  const rung =
    format.type === 'json_object' ? (rungs.find((r) => r !== 'native') ?? 'prompt') : (rungs[0] ?? 'prompt');
  const asked = format.type === 'json_schema' ? 'response_format json_schema' : 'response_format json_object';
  const why = hasTools && !compat.grammarWithTools ? ' while tools are offered' : '';
  const fields: Record<string, unknown> = {};
  const systemExtra: string[] = [];
  if (rung === 'json_schema') {
    // The OpenAI shape, the one llama.cpp's parser reads (`json_schema.schema`); never `{ type, schema }`.
    const wire: Record<string, unknown> = {
      name: format.type === 'json_schema' ? (format.name ?? 'response') : 'response',
      schema,
    };
    if (format.type === 'json_schema' && format.strict !== undefined) wire.strict = format.strict;
    fields.response_format = { type: 'json_schema', json_schema: wire };
  } else if (rung === 'native') {
    if (compat.nativeSchemaField === 'structured_outputs') fields.structured_outputs = { json: schema };
    else if (compat.nativeSchemaField === 'json_schema') fields.json_schema = schema;
    else fields.format = schema;
  } else {
    if (rung === 'json_object') fields.response_format = { type: 'json_object' };
    systemExtra.push(
      format.type === 'json_schema' ? schemaPrompt(schema) : 'Answer with one JSON object and nothing else.',
    );
  }
  const downgraded = rung !== 'json_schema' && format.type === 'json_schema';
  const warning = downgraded
    ? `structured output: ${asked} is not supported by this server${why}; used rung "${rung}"${describe(rung, compat)}`
    : `structured output: used rung "${rung}"${describe(rung, compat)}`;
  return { rung, fields, systemExtra, warning };
}

function describe(rung: StructuredRung, compat: LadderCompat): string {
  if (rung === 'json_schema') return ' (response_format json_schema)';
  if (rung === 'native') return ` (native field ${compat.nativeSchemaField})`;
  if (rung === 'json_object') return ' (json_object with the schema in the system prompt)';
  return ' (the schema in the system prompt; the answer is extracted and validated)';
}
