import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { readEnvNumber } from '../http/env.js';
import type { JsonSchema, ToolSpec } from '../types/tool.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from './cap-output.js';
import { isStandardSchema } from './schema-kind.js';
import type { ToolOutput } from './tool-output.js';
import { type ArgumentsValidator, createValidator, type ToolValidation } from './validation.js';
import { deriveWireSchema } from './wire-schema.js';

/** Default time limit of one tool execution: 120,000 ms (2 minutes). */
export const DEFAULT_TOOL_TIMEOUT_MS = 120_000;

/** Valid tool names: 1 to 64 ASCII letters, digits, `_` and `-` (the strictest provider rule, OpenAI's). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** What a tool's `execute` receives: one object, so fields can be added later. */
export interface ToolExecuteArgs<Args, Ctx> {
  /** The validated arguments (for a Standard Schema, its output: defaults and transforms applied). */
  args: Args;
  /** Aborted when the run is aborted or the tool's `timeoutMs` passes; the reason says which. */
  signal: AbortSignal;
  /** Id of the tool call being answered. */
  toolCallId: string;
  /**
   * Stable key of this call across retries and resumes: `runId:callId` when an agent runs the tool (the call
   * id alone when called directly). A run resumed after a crash may execute a call whose result was not yet
   * checkpointed a second time, with the same key: tools with side effects use it to apply them once.
   */
  idempotencyKey: string;
  /** The app's own context object given to the agent (`undefined` when none). */
  context: Ctx;
  /**
   * Streams progress. Each call is normalized like a return value (and capped at `maxOutputBytes`) and
   * becomes a `tool_execution_update` event. Calls after the execution has ended are ignored.
   * @throws TypeError when `partial` is not JSON (a function, a `bigint`, a cycle).
   */
  update: (partial: ToolOutput) => void;
}

/**
 * A JSON Schema object as any library types it (`JSONSchema7`, zod's `JSONSchema`, Valibot's
 * `toJsonSchema()` result, a literal), since those interfaces lack the index signature of
 * {@link JsonSchema}. Checked at runtime: it must survive a JSON round trip as a plain object.
 *
 * Source: JSON Schema 2020-12 (https://json-schema.org/draft/2020-12).
 */
export type JsonSchemaInput = JsonSchema | object;

/** How to define a tool with {@link tool}. */
export interface ToolDefinition<Args, Ctx> {
  /** Tool name, `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does and when to use it, for the model. */
  description?: string;
  /**
   * A human display name (e.g. `Read file`), shown by the CLI's tool line and carried on
   * `tool_execution_start` events; never sent to the model. @default the name
   */
  label?: string;
  /**
   * Runs on the parsed arguments before validation, e.g. to coerce a legacy or sloppy shape (a string where
   * an array is expected, an old field name). Its result is what `parameters` validates. A throw (or
   * rejection) goes back to the model as a tool error ("The arguments for NAME are invalid: …"), like a
   * validation failure. Declared as a method so a `Tool<A>` stays assignable to `Tool<unknown>`.
   */
  prepareArguments?(args: unknown): unknown;
  /**
   * The arguments' schema: a Standard Schema (zod 4, Valibot, ArkType, ...; validates and may transform)
   * or a plain JSON Schema object (draft 2020-12 unless its `$schema` names another draft; validates only).
   */
  parameters: StandardSchemaV1<unknown, Args> | JsonSchemaInput;
  /**
   * The JSON Schema sent to the model, when the schema library cannot produce one (zod < 4.2, `zod/mini`,
   * plain Valibot) or to override it. Validation still uses `parameters`.
   */
  jsonSchema?: JsonSchemaInput;
  /**
   * Runs the tool. May throw (the model gets the error message) or return any {@link ToolOutput}.
   * Declared as a method so a `Tool<{ city: string }>` is assignable to `Tool<unknown>`.
   */
  execute(args: ToolExecuteArgs<Args, Ctx>): ToolOutput | Promise<ToolOutput>;
  /** `parallel` tools of one batch run concurrently; `sequential` ones run alone, in order. @default 'parallel' */
  executionMode?: 'parallel' | 'sequential';
  /** Time limit of one execution in ms (`Infinity` for none). @default 120_000, or `OPEN_AGENT_TOOL_TIMEOUT_MS` */
  timeoutMs?: number;
  /** Limit on the result's text, in UTF-8 bytes over all text parts (`Infinity` for none). @default 262_144 (256 KiB) */
  maxOutputBytes?: number;
  /** Ask the provider for strict schema adherence, where the compat profile allows it. */
  strict?: boolean;
  /**
   * Human approval: `true`, or a function of the call returning true, makes a run that reaches a call of
   * this tool end as `interrupted` before running it; approve or reject it on the run's state and resume
   * (see docs/runs.md). Evaluated once per call, before the `PreToolUse` hooks. @default false
   */
  needsApproval?: boolean | NeedsApproval<Args, Ctx>;
}

/** What a {@link NeedsApproval} function receives. */
export interface ApprovalQuery<Args, Ctx> {
  /** The arguments as the model sent them (not yet validated: treat as untrusted). */
  args: Partial<Args> | unknown;
  toolCallId: string;
  /** The run's app context. */
  context: Ctx;
}

/**
 * Decides whether one call needs a human's approval. Declared through a method so that a
 * `Tool<A, MyCtx>` stays assignable to `Tool<unknown>` (parameter bivariance).
 */
export type NeedsApproval<Args, Ctx> = {
  check(call: ApprovalQuery<Args, Ctx>): boolean | Promise<boolean>;
}['check'];

/** A tool ready for the agent: settings resolved, wire schema derived and validator compiled once. */
export interface Tool<Args = unknown, Ctx = unknown>
  extends Required<
    Pick<ToolDefinition<Args, Ctx>, 'name' | 'executionMode' | 'timeoutMs' | 'maxOutputBytes'>
  > {
  /** What the tool does, for the model. */
  readonly description: string | undefined;
  /** The definition's human display name, when it has one. */
  readonly label?: string;
  /** What the model sees: name, description, JSON Schema (without `$schema`), strict flag. Derived once. */
  readonly spec: ToolSpec;
  /**
   * Validates (and, for Standard Schema, transforms) arguments, after the definition's
   * `prepareArguments` when there is one. Never throws.
   */
  validate(input: unknown): Promise<ToolValidation<Args>>;
  /**
   * The definition's `execute`. Declared as a method so a `Tool<{ a: number }>` is assignable to
   * `Tool<unknown>` (a list of different tools); the agent only calls it with validated arguments.
   */
  execute(args: ToolExecuteArgs<Args, Ctx>): ToolOutput | Promise<ToolOutput>;
  /** The definition's `needsApproval` (absent: never). */
  readonly needsApproval?: boolean | NeedsApproval<unknown, Ctx>;
}

/**
 * Defines a tool: checks the definition, derives the wire JSON Schema and compiles the validator once.
 *
 * ```ts
 * const weather = tool({
 *   name: 'get_weather',
 *   description: 'Current weather for a city.',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ args, signal }) => fetchWeather(args.city, signal),
 * });
 * ```
 *
 * Sources: Standard Schema v1 (https://standardschema.dev), JSON Schema 2020-12.
 *
 * @throws InvalidArgumentError when the name does not match `^[a-zA-Z0-9_-]{1,64}$`, `parameters` is
 * neither a Standard Schema nor a JSON Schema object, `execute` is not a function, `executionMode`,
 * `timeoutMs` (> 0) or `maxOutputBytes` (integer ≥ 1) is out of range, or no wire JSON Schema can be
 * derived (pass `jsonSchema`).
 */
export function tool<Args, Ctx = unknown>(definition: ToolDefinition<Args, Ctx>): Tool<Args, Ctx> {
  const { name, description, parameters, strict } = definition;
  checkDefinition(definition);
  const parametersSchema = deriveWireSchema(name, parameters, definition.jsonSchema);
  const spec: ToolSpec = { name, parameters: parametersSchema };
  if (description !== undefined) spec.description = description;
  if (strict !== undefined) spec.strict = strict;
  const validate = withPreparation(createValidator<Args>(name, parameters), definition);
  const needsApproval = definition.needsApproval as boolean | NeedsApproval<unknown, Ctx> | undefined;
  return {
    ...(needsApproval !== undefined && needsApproval !== false && { needsApproval }),
    name,
    description,
    ...(definition.label !== undefined && { label: definition.label }),
    spec,
    executionMode: definition.executionMode ?? 'parallel',
    timeoutMs: definition.timeoutMs ?? readEnvNumber('OPEN_AGENT_TOOL_TIMEOUT_MS') ?? DEFAULT_TOOL_TIMEOUT_MS,
    maxOutputBytes: definition.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    validate,
    execute: definition.execute,
  };
}

/** The validator, run on the result of `prepareArguments` when the definition has one. */
function withPreparation<Args>(
  validate: ArgumentsValidator<Args>,
  definition: Pick<ToolDefinition<Args, unknown>, 'prepareArguments'>,
): ArgumentsValidator<Args> {
  const prepare = definition.prepareArguments;
  if (prepare === undefined) return validate;
  return async (input) => {
    let prepared: unknown;
    try {
      prepared = await prepare.call(definition, input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `prepareArguments failed: ${reason}` };
    }
    return validate(prepared);
  };
}

function checkDefinition(definition: ToolDefinition<unknown, unknown>): void {
  const { name, parameters, executionMode, timeoutMs, maxOutputBytes } = definition;
  const fail = (argument: string, message: string): never => {
    throw new InvalidArgumentError(message, { argument });
  };
  if (typeof name !== 'string' || !TOOL_NAME.test(name))
    fail(
      'name',
      `Tool name ${JSON.stringify(name)} is invalid: use 1 to 64 characters from a-z, A-Z, 0-9, _ and -.`,
    );
  if ((typeof parameters !== 'object' && typeof parameters !== 'function') || parameters === null)
    fail('parameters', `Tool "${name}": parameters must be a Standard Schema or a JSON Schema object.`);
  if ('~standard' in parameters && !isStandardSchema(parameters))
    fail(
      'parameters',
      `Tool "${name}": parameters has \`~standard\` but does not implement Standard Schema v1.`,
    );
  if (typeof definition.execute !== 'function')
    fail('execute', `Tool "${name}": execute must be a function.`);
  if (definition.prepareArguments !== undefined && typeof definition.prepareArguments !== 'function')
    fail('prepareArguments', `Tool "${name}": prepareArguments must be a function.`);
  if (definition.label !== undefined && typeof definition.label !== 'string')
    fail('label', `Tool "${name}": label must be a string.`);
  const approval = definition.needsApproval;
  if (approval !== undefined && typeof approval !== 'boolean' && typeof approval !== 'function')
    fail('needsApproval', `Tool "${name}": needsApproval must be a boolean or a function.`);
  if (executionMode !== undefined && executionMode !== 'parallel' && executionMode !== 'sequential')
    fail('executionMode', `Tool "${name}": executionMode must be 'parallel' or 'sequential'.`);
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0))
    fail('timeoutMs', `Tool "${name}": timeoutMs must be a number of milliseconds above 0 (or Infinity).`);
  if (
    maxOutputBytes !== undefined &&
    !(
      maxOutputBytes === Number.POSITIVE_INFINITY ||
      (Number.isInteger(maxOutputBytes) && maxOutputBytes >= 1)
    )
  )
    fail('maxOutputBytes', `Tool "${name}": maxOutputBytes must be an integer of at least 1 (or Infinity).`);
}
