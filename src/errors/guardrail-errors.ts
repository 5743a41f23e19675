import type { RunState } from '../agent/run-state.js';
import { SdkError, type SdkErrorOptions } from './sdk-error.js';

/** Fields of a guardrail tripwire error. */
export interface GuardrailTripwireOptions extends SdkErrorOptions {
  /** Name of the guardrail that tripped. */
  guardrail: string;
  /** The agent whose guardrail tripped. */
  agent: string;
  /** What the guardrail returned as `outputInfo` (plain data for logs and UIs). */
  outputInfo?: unknown;
  /** The run as data when it ended (set by the run; resumable after fixing the cause). */
  state?: RunState;
}

/** Base of the tripwire errors: which guardrail, on which agent, what it said, and the run's state. */
export abstract class GuardrailTripwireTriggered extends SdkError {
  static override readonly errorName: string = 'GuardrailTripwireTriggered';
  /** Name of the guardrail that tripped. */
  readonly guardrail: string;
  /** The agent whose guardrail tripped. */
  readonly agent: string;
  /** The guardrail's `outputInfo`. */
  readonly outputInfo: unknown;
  /** The run as data when it ended. Set by the run before the error is reported. */
  state: RunState | undefined;

  constructor(message: string, options: GuardrailTripwireOptions) {
    super(message, options);
    this.guardrail = options.guardrail;
    this.agent = options.agent;
    this.outputInfo = options.outputInfo;
    this.state = options.state;
  }
}

/**
 * An input guardrail of the run's first agent tripped (OpenAI Agents JS: `InputGuardrailTripwireTriggered`).
 * A blocking guardrail (the default) trips before any model call; a `runInParallel` one before any tool runs.
 */
export class InputGuardrailTripwireTriggered extends GuardrailTripwireTriggered {
  static override readonly errorName: string = 'InputGuardrailTripwireTriggered';
  override readonly name: string = 'InputGuardrailTripwireTriggered';
}

/** An output guardrail tripped on the final output (OpenAI Agents JS: `OutputGuardrailTripwireTriggered`). */
export class OutputGuardrailTripwireTriggered extends GuardrailTripwireTriggered {
  static override readonly errorName: string = 'OutputGuardrailTripwireTriggered';
  override readonly name: string = 'OutputGuardrailTripwireTriggered';
}

/** Fields of a {@link ToolGuardrailTripwireTriggered}. */
export interface ToolGuardrailTripwireOptions extends GuardrailTripwireOptions {
  /** The tool whose guardrail stopped the run. */
  toolName: string;
  /** The call it stopped. */
  toolCallId: string;
  /** `input` (before the call ran) or `output` (after). */
  phase: 'input' | 'output';
}

/**
 * A tool guardrail stopped the run (`{ type: 'throwException' }`). The call is answered with an error result
 * first, so the saved history stays valid for every API.
 */
export class ToolGuardrailTripwireTriggered extends GuardrailTripwireTriggered {
  static override readonly errorName: string = 'ToolGuardrailTripwireTriggered';
  override readonly name: string = 'ToolGuardrailTripwireTriggered';
  /** The tool whose guardrail stopped the run. */
  readonly toolName: string;
  /** The call it stopped. */
  readonly toolCallId: string;
  /** `input` (before the call ran) or `output` (after). */
  readonly phase: 'input' | 'output';

  constructor(message: string, options: ToolGuardrailTripwireOptions) {
    super(message, options);
    this.toolName = options.toolName;
    this.toolCallId = options.toolCallId;
    this.phase = options.phase;
  }
}

/** The model called a tool the agent does not have, and the run's `toolNotFoundBehavior` is `raise`. */
export class ToolNotFoundGuardrailError extends SdkError {
  static override readonly errorName: string = 'ToolNotFoundError';
  override readonly name: string = 'ToolNotFoundError';
  /** The name the model called. */
  readonly toolName: string;
  constructor(message: string, options: SdkErrorOptions & { toolName: string }) {
    super(message, options);
    this.toolName = options.toolName;
  }
}
