import type { AgentDefinition } from '../agent/definition.js';
import type { AgentEvent } from '../agent/events.js';
import type { ToolResultMessage } from '../types/message.js';

/**
 * Callbacks on a run's life (OpenAI Agents JS `RunHooks`, plus `model_start`/`model_end`), for the run's own
 * agents (not nested ones). Each is **awaited** before the run goes on, so async hooks (a DB write) run one
 * at a time, in event order: `model_start` finishes before the model call is sent, `agent_end` before the
 * run's result is given. `tool_start` is awaited before the run goes on, but the call may already be running
 * (calls of a batch run while their events are delivered). A hook that throws or rejects **fails the run**
 * with a `HookError` (`hookEvent` names the hook; tool calls already running finish), like a listener's
 * exception in OpenAI Agents JS and an awaited hook's in the Python SDK. A hook may return anything; a
 * returned promise (or thenable) is awaited.
 */
export interface RunHooks {
  /** An agent starts: the run's first agent, and every handoff target. */
  agent_start?(agent: string, event: AgentEvent): unknown;
  /** The run ended with `agent`'s final output (`undefined` unless completed). */
  agent_end?(agent: string, output: string | undefined, event: AgentEvent): unknown;
  /** The conversation passed from `from` to `to`. */
  handoff?(from: string, to: string, event: AgentEvent): unknown;
  /** A tool call starts. */
  tool_start?(agent: string, toolName: string, toolCallId: string, event: AgentEvent): unknown;
  /** A tool call ended with `result`. */
  tool_end?(agent: string, toolName: string, result: ToolResultMessage, event: AgentEvent): unknown;
  /** A model call starts (turn number). */
  model_start?(agent: string, turn: number, event: AgentEvent): unknown;
  /** A model call ended. */
  model_end?(agent: string, turn: number, event: AgentEvent): unknown;
}

/** What an error handler gets. */
export interface ErrorHandlerContext<Ctx = unknown> {
  /** The agent whose turn it was. */
  agent: AgentDefinition<never>;
  /** The error that ended the run. */
  error: Error;
  context: Ctx;
}

/** Turns a run-ending error into a final output (OpenAI Agents JS `errorHandlers`). */
export interface ErrorHandlers<Ctx = unknown> {
  /** The turn limit was reached: return `{ finalOutput }` to complete the run with it instead of failing. */
  maxTurns?(context: ErrorHandlerContext<Ctx>): { finalOutput: string } | undefined;
}

/** The multi-agent part of the run options (merged into `RunOptions`). */
export interface MultiRunOptions<Ctx = unknown> {
  /** Callbacks on the run's life. */
  runHooks?: RunHooks;
  /** Final outputs instead of errors. */
  errorHandlers?: ErrorHandlers<Ctx>;
  /**
   * A call of a tool the agent does not have: `return_error_to_model` (it reads an error result naming the
   * available tools) or `raise` (the run fails with `ToolNotFoundError` before the batch runs).
   * @default 'return_error_to_model'
   */
  toolNotFoundBehavior?: 'return_error_to_model' | 'raise';
  /** @internal Agent names above this run (set by agents used as tools). */
  agentPathPrefix?: readonly string[];
}
