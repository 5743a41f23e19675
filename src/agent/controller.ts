import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, ToolResultMessage } from '../types/message.js';
import type { AgentEventBody } from './events.js';
import type { LoopState } from './loop-state.js';
import type { PendingCall } from './run-log.js';

/** A call whose tool paused inside (a nested agent's approvals): the outer call stays unanswered. */
export interface DeferredCall {
  /** The nested calls waiting for a decision (they become the outer run's interruptions). */
  calls: PendingCall[];
  /** The nested run's state as plain JSON, stored in the outer interruption entry under `nested`. */
  state: unknown;
}

/**
 * The checkpoints a multi-agent run (src/multi) plugs into the loop: input guardrails, checks before a tool
 * batch, handoffs after it, output guardrails on the final answer, and calls whose tool paused inside.
 * Every method may throw: the run then ends `failed` with that error (the loop's usual path).
 */
export interface LoopController<Ctx> {
  /** Called once before the first model call of a run with new input: the input guardrails' outcome. */
  inputGate?(state: LoopState<Ctx>): { blocking: boolean; wait(): Promise<void> } | undefined;
  /** Called before a batch of tool calls runs (after the input gate passed). */
  beforeTools?(state: LoopState<Ctx>, calls: readonly ToolCall[]): Promise<void>;
  /**
   * Called after a tool phase ended `continue` or `stop`: may switch the agent (a handoff; its events are
   * yielded) and returns how the run goes on, or `undefined` to keep the phase's answer.
   */
  afterTools?(
    state: LoopState<Ctx>,
    results: readonly ToolResultMessage[],
  ): AsyncGenerator<AgentEventBody, 'continue' | 'stop' | undefined, undefined>;
  /** Called on a final answer (no tool calls) before the run ends; output guardrails throw here. */
  onFinalAnswer?(state: LoopState<Ctx>, message: AssistantMessage): Promise<void>;
  /** Takes the deferral of a call whose tool paused inside (asked once per finished call). */
  takeDeferred?(toolCallId: string): DeferredCall | undefined;
  /** Agent names above this run (nested runs): events get `agentPath = [...pathPrefix, agent]`. @default [] */
  pathPrefix?: readonly string[];
  /** Receives the tool phase's event channel while it runs, so nested runs can forward events into it. */
  attachEvents?(push: ((event: AgentEventBody) => void) | undefined): void;
}
