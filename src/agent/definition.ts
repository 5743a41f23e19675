import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Handoff } from '../multi/handoff.js';
import type { InputGuardrail, OutputGuardrail, ToolUseBehavior } from '../multi/types.js';
import { compileOutput, type OutputSchema } from '../output/schema.js';
import type { Tool } from '../tools/tool.js';
import type { ToolSource } from '../tools/tool-source.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import type { AgentLoopConfig, StopBehaviour } from './config.js';
import type { Hooks } from './hooks.js';

/** What `instructions` (as a function) and tool sources get: who is running, for which run. */
export interface RunContext<Ctx = unknown> {
  /** The run's id (stable across resumes of the same run). */
  runId: string;
  /** The name of the agent whose turn it is. */
  agentName: string;
  /** Model calls made so far in this run (persists across resumes). */
  turn: number;
  /** The app's context object of the run (`RunOptions.context`). */
  context: Ctx;
}

/** Per-call model settings of a definition (`maxTokens`, `temperature`, `reasoning`, `topP`, ...). */
export type ModelSettings = Omit<StreamOptions, 'signal' | 'apiKey' | 'fetch' | 'onPayload' | 'onResponse'>;

/**
 * Who an agent is, as reusable data: share one definition between runs, processes and (later) other agents.
 * How one run goes (turn cap, signal, context, session, observers) is in `RunOptions`.
 *
 * Fields marked "coming" are typed `never` so that passing them fails to compile until they exist.
 */
export interface AgentDefinitionInput<Ctx = unknown> {
  /**
   * Stable name: saved run states refer to the agent by it, and `RunState.fromString` finds the definition
   * by it. 1 to 128 characters, no control characters.
   */
  name: string;
  /** The system prompt, or a function of the run context called before every model call. */
  instructions?: string | ((run: RunContext<Ctx>) => string | Promise<string>);
  /** The model to call. */
  model: Model;
  /** Tools and tool sources (resolved once per turn; names must be unique). */
  tools?: (Tool<unknown, Ctx> | ToolSource<Ctx>)[];
  /** Hooks (PreToolUse, PostToolUse, PostToolUseFailure, UserPromptSubmit, Stop). */
  hooks?: Hooks;
  /** Settings of every model call. Credentials (`apiKey`) and transport (`fetch`) are run options. */
  modelSettings?: ModelSettings;
  /** When to stop after tools ran (OpenAI Agents: `toolUseBehavior`). @default 'run_llm_again' */
  stopWhen?: StopBehaviour;
  /** Rewrites the transcript before every model call (see `AgentLoopConfig.transformContext`). */
  transformContext?: AgentLoopConfig<Ctx>['transformContext'];
  /** Turns the transcript into model messages (see `AgentLoopConfig.convertToLlm`). */
  convertToLlm?: AgentLoopConfig<Ctx>['convertToLlm'];
  /** May switch model or reasoning before a model call (see `AgentLoopConfig.prepareNextTurn`). */
  prepareNextTurn?: AgentLoopConfig<Ctx>['prepareNextTurn'];
  /**
   * Agents this one can hand the conversation to (src/multi): a definition, or `handoff(agent, options)`.
   * The model sees one `transfer_to_<name>` tool per entry.
   */
  handoffs?: readonly (AgentDefinition<never> | Handoff<never>)[];
  /** What other agents' `transfer_to_*` tool says about this one. */
  handoffDescription?: string;
  /**
   * A schema the final output must match (structured output; docs/structured-output.md): any Standard
   * Schema (zod, Valibot, ArkType) or a JSON Schema. Every model call asks for it on the best rung of the
   * server's ladder; the final answer is extracted, validated, and repaired up to `outputRepairs` times;
   * `finalOutput` is then the parsed value, else the run fails with an `OutputValidationError`.
   */
  outputType?: OutputSchema;
  /** Repair turns after an answer that fails `outputType` (each an `output_repair` event). @default 2 */
  outputRepairs?: number;
  /** Checks on the run's input when this agent starts the run (blocking by default; src/multi). */
  inputGuardrails?: readonly InputGuardrail<Ctx>[];
  /** Checks on the final output when this agent gives it (src/multi). */
  outputGuardrails?: readonly OutputGuardrail<Ctx>[];
  /**
   * When to stop after tools ran, in OpenAI Agents names (`run_llm_again`, `stop_on_first_tool`,
   * `{ stopAtToolNames }`, a function); wins over `stopWhen`. @default 'run_llm_again'
   */
  toolUseBehavior?: ToolUseBehavior<Ctx>;
}

/**
 * A checked, frozen agent definition (made by {@link defineAgent}). `Out` is the type of the run's
 * `finalOutput` (`string` without `outputType`; a type parameter only, never a field at run time).
 */
export type AgentDefinition<Ctx = unknown, Out = unknown> = Readonly<AgentDefinitionInput<Ctx>> & {
  readonly kind: 'agent_definition';
  /** Type-level only: the final output's type. */
  readonly '~output'?: Out;
};

/** The `finalOutput` type of an `outputType`: the schema's output type, `unknown` for a JSON Schema, else `string`. */
export type FinalOutputOf<S> = [S] extends [undefined]
  ? string
  : S extends StandardSchemaV1<unknown, infer O>
    ? O
    : unknown;

/**
 * Defines an agent (OpenAI Agents JS: `new Agent({...})`). The result is frozen data you can share.
 *
 * ```ts
 * const assistant = defineAgent({ name: 'assistant', instructions: 'Be brief.', model, tools: [weather] });
 * const result = await run(assistant, 'Weather in Paris?');
 * ```
 *
 * @throws {InvalidArgumentError} for a missing or invalid `name`, a missing `model`, `instructions` that is
 * neither a string nor a function, a handoff that is not a definition, or an `outputType` that cannot
 * become a JSON Schema.
 */
export function defineAgent<Ctx = unknown, S extends OutputSchema | undefined = undefined>(
  definition: AgentDefinitionInput<Ctx> & { outputType?: S },
): AgentDefinition<Ctx, FinalOutputOf<S>> {
  const { name, model, instructions } = definition;
  if (typeof name !== 'string' || name.length === 0 || name.length > 128 || hasControl(name)) {
    throw new InvalidArgumentError(
      `Agent name ${JSON.stringify(name)} is invalid: use 1 to 128 characters without control characters.`,
      { argument: 'name' },
    );
  }
  if (typeof model !== 'object' || model === null || typeof model.id !== 'string') {
    throw new InvalidArgumentError(`Agent "${name}": model must be a Model record.`, { argument: 'model' });
  }
  if (instructions !== undefined && typeof instructions !== 'string' && typeof instructions !== 'function') {
    throw new InvalidArgumentError(`Agent "${name}": instructions must be a string or a function.`, {
      argument: 'instructions',
    });
  }
  if (definition.outputType !== undefined) compileOutput(definition.outputType, name);
  const repairs = definition.outputRepairs;
  if (repairs !== undefined && !(Number.isInteger(repairs) && repairs >= 0)) {
    throw new InvalidArgumentError(`Agent "${name}": outputRepairs must be a non-negative integer.`, {
      argument: 'outputRepairs',
    });
  }
  for (const entry of definition.handoffs ?? []) {
    const kind = (entry as { kind?: unknown } | null)?.kind;
    if (kind !== 'agent_definition' && kind !== 'handoff') {
      throw new InvalidArgumentError(
        `Agent "${name}": every handoff must be a definition or handoff(agent).`,
        {
          argument: 'handoffs',
        },
      );
    }
  }
  return Object.freeze({
    ...definition,
    tools: definition.tools && [...definition.tools],
    handoffs: definition.handoffs && [...definition.handoffs],
    kind: 'agent_definition',
  });
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** True when `value` was made by {@link defineAgent}. */
export function isAgentDefinition(value: unknown): value is AgentDefinition<never> {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'agent_definition'
  );
}
