import type { FinalOutputStep } from '../output/final-output.js';
import type { StreamFunction } from '../providers/registry.js';
import type { Tool, ToolSource } from '../tools/index.js';
import type { Message } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { ReasoningLevel, StreamOptions } from '../types/options.js';
import type { RunContext } from './definition.js';
import type { Hooks } from './hooks.js';

/**
 * A message the app keeps in its transcript but the model never sees as such (UI notes, markers).
 * `convertToLlm` decides what, if anything, it becomes; by default it is dropped.
 */
export interface CustomMessage {
  role: 'custom';
  /** App-defined kind. */
  customType: string;
  /** App-defined payload (plain JSON). */
  data?: unknown;
  timestamp?: number;
}

/** Anything in an agent's transcript. */
export type AgentMessage = Message | CustomMessage;

/** What decides that the run stops after a tool batch. */
export type StopBehaviour =
  /** Call the model again with the results (the default). */
  | 'run_llm_again'
  /** Stop after the first batch of tool calls (results are in the transcript). */
  | 'stop_on_first_tool'
  /** Stop once any of these tools has run. */
  | { stopAtTools: string[] }
  /** Stop when this returns true. */
  | ((state: { toolNames: string[]; messages: readonly AgentMessage[]; turn: number }) => boolean);

/** Options of the pure agent loop. */
export interface AgentLoopConfig<Ctx = unknown> {
  /** The model to call. */
  model: Model;
  /** Tools the model may call, and sources of tools resolved once per turn (names must be unique). */
  tools?: (Tool<unknown, Ctx> | ToolSource<Ctx>)[];
  /** Options for every model call (`maxTokens`, `temperature`, `apiKey`, `reasoning`, ...). `signal` is the run's. */
  streamOptions?: Omit<StreamOptions, 'signal'>;
  /** Hooks (PreToolUse, PostToolUse, PostToolUseFailure, UserPromptSubmit, Stop). */
  hooks?: Hooks;
  /** Run the calls of one batch concurrently (`parallel`) or one by one. @default 'parallel' */
  toolExecution?: 'parallel' | 'sequential';
  /** Run tools automatically; `false` ends the run with the tool calls for the caller to answer. @default true */
  autoExecuteTools?: boolean;
  /** Most model calls per run. @default 20 */
  maxTurns?: number;
  /** When to stop after tools ran. @default 'run_llm_again' */
  stopWhen?: StopBehaviour;
  /** Rewrites the transcript before every model call (prune, inject); the stored transcript is not changed. */
  transformContext?: (
    messages: AgentMessage[],
    signal: AbortSignal,
  ) => AgentMessage[] | Promise<AgentMessage[]>;
  /** Turns the transcript into model messages; the default drops `custom` messages. */
  convertToLlm?: (messages: AgentMessage[]) => Message[] | Promise<Message[]>;
  /** May switch model or reasoning level before a model call. */
  prepareNextTurn?: (state: {
    turn: number;
    messages: readonly AgentMessage[];
    model: Model;
  }) =>
    | { model?: Model; reasoning?: ReasoningLevel }
    | undefined
    | Promise<{ model?: Model; reasoning?: ReasoningLevel } | undefined>;
  /** Messages to deliver after the current tool batch (steering); remaining calls of the batch are skipped. */
  getSteeringMessages?: () => Message[] | Promise<Message[]>;
  /** Messages to deliver when the agent would stop (follow-ups). */
  getFollowUpMessages?: () => Message[] | Promise<Message[]>;
  /** The app's own context object, handed to tools as `context`. */
  context?: Ctx;
  /** System prompt. */
  systemPrompt?: string;
  /** A system prompt computed before every model call (a definition's `instructions` function); wins over `systemPrompt`. */
  instructions?: (run: RunContext<Ctx>) => string | Promise<string>;
  /** The provider call. @default stream (by `model.api`) */
  streamFn?: StreamFunction;
  /** Structured output: validate (and repair) the final answer (set from a definition's `outputType`). */
  finalOutput?: FinalOutputStep;
}

/** Default most model calls per run. */
export const DEFAULT_MAX_TURNS = 20;
