import type { AgentMessage } from '../agent/config.js';
import type { AgentDefinition } from '../agent/definition.js';
import type { ToolOutput } from '../tools/tool-output.js';
import type { ToolResultMessage, UserMessage } from '../types/message.js';

/** What an input guardrail gets: the first agent, the run's new input, the app context. */
export interface InputGuardrailArgs<Ctx = unknown> {
  agent: AgentDefinition<never>;
  /** The run's new input messages (prompts). */
  input: (UserMessage | AgentMessage)[];
  context: Ctx;
}

/** What an output guardrail gets: the agent that answered, its final text, the app context. */
export interface OutputGuardrailArgs<Ctx = unknown> {
  agent: AgentDefinition<never>;
  /** Text of the final answer. */
  agentOutput: string;
  context: Ctx;
}

/** A guardrail's verdict (OpenAI Agents JS: `GuardrailFunctionOutput`). */
export interface GuardrailFunctionOutput {
  /** True ends the run with a tripwire error. */
  tripwireTriggered: boolean;
  /** Anything to report (plain data): kept on the error. */
  outputInfo?: unknown;
}

/** A check on the first agent's input (OpenAI Agents JS: `InputGuardrail`). */
export interface InputGuardrail<Ctx = unknown> {
  name: string;
  execute(args: InputGuardrailArgs<Ctx>): GuardrailFunctionOutput | Promise<GuardrailFunctionOutput>;
  /**
   * Run beside the first model call instead of before it. Tools still wait for it: no tool runs and no
   * answer is final before it passed. @default false (blocking, unlike OpenAI Agents JS)
   */
  runInParallel?: boolean;
}

/** A check on the final output (OpenAI Agents JS: `OutputGuardrail`). */
export interface OutputGuardrail<Ctx = unknown> {
  name: string;
  execute(args: OutputGuardrailArgs<Ctx>): GuardrailFunctionOutput | Promise<GuardrailFunctionOutput>;
}

/** What a tool guardrail gets before the call runs. */
export interface ToolInputGuardrailArgs<Ctx = unknown> {
  toolName: string;
  toolCallId: string;
  /** The validated arguments. */
  args: unknown;
  context: Ctx;
}

/** What a tool guardrail gets after the call ran. */
export interface ToolOutputGuardrailArgs<Ctx = unknown> extends ToolInputGuardrailArgs<Ctx> {
  /** What the tool's `execute` returned (a string, parts, a `ToolResult` or a JSON value). */
  output: ToolOutput;
}

/**
 * A tool guardrail's verdict (OpenAI Agents JS: `allow` / `rejectContent` / `throwException`):
 * - `allow`: go on;
 * - `rejectContent`: (before) the call does not run, the model reads `message` as its error result; (after)
 *   `message` replaces the result;
 * - `throwException`: the call is answered with an error result, then the run ends with
 *   `ToolGuardrailTripwireTriggered`.
 */
export type ToolGuardrailResult =
  | { type: 'allow' }
  | { type: 'rejectContent'; message: string }
  | { type: 'throwException'; outputInfo?: unknown };

/** A check before a tool call runs. */
export interface ToolInputGuardrail<Ctx = unknown> {
  name: string;
  execute(args: ToolInputGuardrailArgs<Ctx>): ToolGuardrailResult | Promise<ToolGuardrailResult>;
}

/** A check after a tool call ran. */
export interface ToolOutputGuardrail<Ctx = unknown> {
  name: string;
  execute(args: ToolOutputGuardrailArgs<Ctx>): ToolGuardrailResult | Promise<ToolGuardrailResult>;
}

/** What a {@link ToolUseBehaviorFunction} returns (OpenAI Agents JS: `ToolsToFinalOutputResult`). */
export type ToolsToFinalOutputResult =
  | { isFinalOutput: false }
  | { isFinalOutput: true; finalOutput: string };

/** Decides after a tool batch whether its results are the final output. */
export type ToolUseBehaviorFunction<Ctx = unknown> = (
  context: Ctx,
  toolResults: readonly ToolResultMessage[],
) => ToolsToFinalOutputResult;

/**
 * When to stop after tools ran (OpenAI Agents JS names): `run_llm_again` (default), `stop_on_first_tool`
 * (the first tool's result is the final output), `{ stopAtToolNames }`, or a function.
 */
export type ToolUseBehavior<Ctx = unknown> =
  | 'run_llm_again'
  | 'stop_on_first_tool'
  | { stopAtToolNames: string[] }
  | ToolUseBehaviorFunction<Ctx>;
