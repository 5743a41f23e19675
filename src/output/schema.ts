import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { isStandardSchema } from '../tools/schema-kind.js';
import { createValidator } from '../tools/validation.js';
import type { JsonSchema } from '../types/tool.js';

/**
 * What an output may be described with: any Standard Schema (zod 4, Valibot, ArkType; its output type
 * becomes the parsed type) or a plain JSON Schema object (the parsed type is `unknown` unless given).
 */
export type OutputSchema<Out = unknown> = StandardSchemaV1<unknown, Out> | JsonSchema;

/** The parsed type an {@link OutputSchema} describes (`unknown` for a plain JSON Schema). */
export type OutputOf<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/** Result of validating a candidate output: the (transformed) value, or the validator's messages. */
export type OutputValidation<Out> = { ok: true; value: Out } | { ok: false; message: string };

/** An output schema ready for use: the JSON Schema sent to servers, and the validator. */
export interface CompiledOutput<Out = unknown> {
  /** Name sent as `json_schema.name` (letters, digits, `_` and `-`). */
  readonly name: string;
  /** The JSON Schema for the wire (a deep copy, without `$schema`). */
  readonly jsonSchema: JsonSchema;
  /** Validates a parsed JSON value. Never throws. */
  validate(value: unknown): Promise<OutputValidation<Out>>;
}

const compiled = new WeakMap<object, CompiledOutput<unknown>>();

/**
 * Compiles an output schema once (cached per schema object): Standard Schema → JSON Schema through
 * Standard JSON Schema `~standard.jsonSchema.output({ target: 'draft-2020-12' })` (zod ≥ 4.2, ArkType,
 * Valibot's `toStandardJsonSchema`) or the schema's own `toJSONSchema()`; a plain JSON Schema is used as
 * is. Validation uses the Standard Schema itself, or `@cfworker/json-schema` for a JSON Schema (the same
 * machinery as tool arguments, `src/tools/validation.ts`).
 *
 * @param name - Schema name for the wire and messages. @default 'output'
 * @throws {InvalidArgumentError} (`argument` `outputType`) when the schema is neither a Standard Schema
 *   nor a JSON object, a Standard Schema cannot produce a JSON Schema, or a JSON Schema cannot be compiled.
 */
export function compileOutput<Out = unknown>(
  schema: OutputSchema<Out>,
  name = 'output',
): CompiledOutput<Out> {
  if (
    (typeof schema !== 'object' && typeof schema !== 'function') ||
    schema === null ||
    Array.isArray(schema)
  ) {
    throw new InvalidArgumentError(
      'An output schema must be a Standard Schema (zod, Valibot, ArkType) or a JSON Schema object.',
      { argument: 'outputType' },
    );
  }
  const hit = compiled.get(schema);
  if (hit) return hit as CompiledOutput<Out>;
  const wireName = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
  const jsonSchema = jsonCopy(isStandardSchema(schema) ? standardToJsonSchema(schema) : schema);
  const validator = createValidator<Out>(wireName, isStandardSchema(schema) ? schema : jsonSchema);
  const out: CompiledOutput<Out> = Object.freeze({ name: wireName, jsonSchema, validate: validator });
  compiled.set(schema, out as CompiledOutput<unknown>);
  return out;
}

/** A JSON Schema for the wire from a schema that may be a Standard Schema (else returned as a copy). */
export function wireJsonSchema(schema: unknown): JsonSchema {
  if (isStandardSchema(schema)) return compileOutput(schema).jsonSchema;
  return jsonCopy(schema);
}

type JsonSchemaProps = StandardSchemaV1.Props & Partial<Pick<StandardJSONSchemaV1.Props, 'jsonSchema'>>;

function standardToJsonSchema(schema: StandardSchemaV1): unknown {
  const props: JsonSchemaProps = schema['~standard'];
  const standard = props.jsonSchema;
  const own = (schema as { toJSONSchema?: unknown }).toJSONSchema;
  try {
    if (typeof standard?.output === 'function') return standard.output({ target: 'draft-2020-12' });
    if (typeof own === 'function') return own.call(schema, { target: 'draft-2020-12', io: 'output' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(
      `Converting the ${props.vendor} output schema to JSON Schema failed: ${reason}. Pass a JSON Schema instead.`,
      { argument: 'outputType', cause: error },
    );
  }
  throw new InvalidArgumentError(
    `The ${props.vendor} output schema cannot produce a JSON Schema (it implements neither Standard JSON ` +
      'Schema `~standard.jsonSchema` nor `toJSONSchema()`): pass a JSON Schema (zod < 4.2: `z.toJSONSchema(schema)`).',
    { argument: 'outputType' },
  );
}

function jsonCopy(schema: unknown): JsonSchema {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(schema));
  } catch (error) {
    throw new InvalidArgumentError('The output JSON Schema is not JSON.', {
      argument: 'outputType',
      cause: error,
    });
  }
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new InvalidArgumentError('The output JSON Schema must be an object.', { argument: 'outputType' });
  }
  const wire = copy as JsonSchema;
  delete wire.$schema;
  return wire;
}
