import type { ContextOverflowEvent } from '../context/window.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { ToolExecutionOutcome, ToolResult } from '../tools/index.js';
import type { AssistantEvent } from '../types/events.js';
import type { AssistantMessage, Message, StopReason, ToolResultMessage } from '../types/message.js';
import type { Usage } from '../types/usage.js';
import type { PendingCall } from './run-log.js';
import type { RunState, RunStatus } from './run-state.js';

/**
 * Events of one agent run, in order: `agent_start`; per turn `turn_start`, the assistant message
 * (`message_start`, `message_update`…, `message_end`), the tool calls (`tool_execution_start`,
 * `tool_execution_update`…, `tool_execution_end`, then their result messages), `turn_end`; user messages
 * (prompts, steering, follow-ups) as `message_start` + `message_end`; an `interrupted` event when the run
 * stops for approvals; finally `agent_end`. Every event carries {@link EventMeta} (`runId`, `agent`, `turn`).
 */
export type AgentEvent = AgentEventBody & EventMeta;

/** Where an event comes from: set on every event of a run, whoever iterates. */
export interface EventMeta {
  /** The run's id (stable across resumes of the same run). */
  runId: string;
  /** Name of the agent whose turn it is. */
  agent: string;
  /**
   * Agent names from the outermost run down to the one that emitted the event: `['triage']` for the run's own
   * events, `['triage', 'researcher']` for the events of an agent used as a tool by `triage`.
   */
  agentPath?: readonly string[];
  /** The run's model-call count when the event was emitted (0 before the first call). */
  turn: number;
}

/** An event without its {@link EventMeta}: what the loop's phases produce. */
export type AgentEventBody =
  /** The run starts; `sessionId` is the session's id when the run uses one (`gen_ai.conversation.id`). */
  | { type: 'agent_start'; sessionId?: string }
  | { type: 'turn_start'; turn: number }
  /**
   * A message starts. For a model call's assistant message, `request` describes the call (model, server,
   * sampling settings): what tracing needs, never a key, header or prompt.
   */
  | { type: 'message_start'; message: Message; request?: ModelCallInfo }
  /** A provider event of the assistant message being streamed; `message` is the live partial message. */
  | { type: 'message_update'; message: AssistantMessage; event: AssistantEvent }
  /**
   * A message is complete. For a model call's assistant message, `firstChunkMs` is the time from sending the
   * request to the first streamed content chunk (text, thinking or tool-call start or delta), in ms, when
   * there was one (time to first token; retries included).
   */
  | { type: 'message_end'; message: Message; firstChunkMs?: number }
  /**
   * The model call of `turn` failed before any response byte and is retried after `delayMs` (the provider
   * stream's `retry` event, forwarded instead of as a `message_update`).
   */
  | { type: 'retry'; turn: number; attempt: number; delayMs: number; reason: string; error: Error }
  /**
   * The model call of `turn` waits for a free slot of its server origin (`maxConcurrentRequests`): the
   * provider stream's `queued` event, forwarded instead of as a `message_update`. `position` 1 = next.
   */
  | { type: 'queued'; turn: number; position: number; limit: number; origin: string }
  /**
   * The request of `turn` is estimated not to fit the model's context window (`estimateTokens` plus the
   * output reserve against `contextWindowOf(model)`); emitted before it is sent, only when the model record
   * has a `contextWindow`. Nothing is dropped: the request is sent as it is, and the app decides
   * (truncate, compact, switch model, or abort the run). See docs/context.md.
   */
  | ContextOverflowEvent
  /** A tool call starts; `mcp` is set when the tool is an MCP server's tool (`tool.mcp`). */
  | {
      type: 'tool_execution_start';
      toolCallId: string;
      toolName: string;
      /** The tool's human display name (`tool({ label })`), when it has one. */
      label?: string;
      args: unknown;
      mcp?: { server: string; name: string };
    }
  | { type: 'tool_execution_update'; toolCallId: string; toolName: string; partial: ToolResult }
  | {
      type: 'tool_execution_end';
      toolCallId: string;
      toolName: string;
      result: ToolResultMessage;
      /**
       * `ok`, `error`, `invalid`, `unknown`, `timeout`, `aborted`, `blocked` (a hook refused it), `skipped`
       * (steering), `rejected` (a human rejected it on the run state).
       */
      outcome: ToolExecutionOutcome | 'blocked' | 'skipped' | 'rejected';
    }
  | { type: 'turn_end'; turn: number; message: AssistantMessage; toolResults: ToolResultMessage[] }
  /** The run passed the conversation from one agent to another (src/multi); the next call is `to`'s. */
  | { type: 'handoff'; from: string; to: string; toolCallId: string }
  /** The run stopped before these calls (approval needed, or manual tool mode); `agent_end` follows. */
  | { type: 'interrupted'; interruptions: PendingCall[] }
  /** A prompt was refused by a `UserPromptSubmit` hook; the run ends without a model call. */
  | { type: 'prompt_blocked'; reason: string }
  /** The run failed or was aborted (provider error, `AbortError`, `MaxTurnsError`); `agent_end` follows. */
  | { type: 'error'; error: SdkError }
  /** A post-hook (or stop hook) failed; the run went on. */
  | { type: 'hook_error'; hookEvent: string; error: SdkError }
  /**
   * The final answer failed the agent's `outputType`; a repair turn follows whose prompt holds `issues`
   * (attempt `attempt` of `maxRepairs`). `rawText` is the rejected answer.
   */
  | { type: 'output_repair'; attempt: number; maxRepairs: number; issues: string; rawText: string }
  | { type: 'agent_end'; result: AgentRunResult };

/**
 * What a model call asks for, on the assistant `message_start` event (for tracing and logs). Only what
 * the request carries: no key, header, prompt or URL path.
 */
export interface ModelCallInfo {
  /** Model id as requested. */
  model: string;
  /** Provider or preset name of the model record (`ollama`, `openai`, ...). */
  provider: string;
  /** Wire protocol (`openai-chat`, ..., or an in-process engine's api). */
  api: string;
  /** Host name or IP of the model server, from the model's base URL (none for an in-process engine). */
  serverAddress?: string;
  /** Port of the model server (the scheme's default when the URL has none). */
  serverPort?: number;
  /** Output token limit sent. */
  maxTokens?: number;
  /** Sampling temperature sent. */
  temperature?: number;
  /** Nucleus sampling mass sent. */
  topP?: number;
  /** Stop sequences sent. */
  stop?: readonly string[];
  /** Sampling seed sent. */
  seed?: number;
  /** True when the response is streamed (the default). */
  streaming: boolean;
  /** Structured output was requested (`json`), else `text`. */
  outputType: 'text' | 'json';
}

/** How a run ended. */
export interface AgentRunResult {
  /** Every message the run added (prompts, assistant messages, tool results), in order. */
  messages: Message[];
  /** Stop reason of the last assistant message (`stop` when the run made no model call). */
  stopReason: StopReason;
  /** The last assistant message, if any. */
  lastMessage?: AssistantMessage;
  /** Usage summed over the run's model calls. */
  usage: Usage;
  /** What ended the run early: a provider error, `AbortError`, `MaxTurnsError`. */
  error?: SdkError;
  /** Set when a `UserPromptSubmit` hook blocked the prompt. */
  blockedReason?: string;
  /** Number of model calls made by the run (counted across resumes of the same run). */
  turns: number;
  /** The run's id. */
  runId: string;
  /** How the run ended: `completed`, `interrupted`, `failed`, `aborted` or `blocked`. */
  status: RunStatus;
  /** The calls waiting for a decision when `status` is `interrupted` (else empty). */
  interruptions: PendingCall[];
  /** The final answer parsed and validated against the agent's `outputType` (set only with one). */
  output?: unknown;
  /** The run as data: serialize it, approve or reject its interruptions, resume it with `run(agent, state)`. */
  state: RunState;
}
