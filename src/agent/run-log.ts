import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, ToolResultMessage, UserMessage } from '../types/message.js';
import type { AgentMessage, CustomMessage } from './config.js';

/**
 * Version of the run log format written by {@link RunState.toString} and stored in sessions (`v`).
 * Version 1 is the earlier `SerializedAgentState` (`schemaVersion: 1`); it is migrated forward on read.
 */
export const RUN_LOG_VERSION = 2;

/** Fields every log entry carries. Unknown fields are kept as they are. */
export interface RunLogEntryBase {
  /** The run that wrote the entry. */
  runId: string;
  /** The run's model-call count when the entry was written (0 before the first call). */
  turn: number;
  /** Name of the agent whose turn it was (stable across processes: definitions are found by it). */
  agent?: string;
  [key: string]: unknown;
}

/** A user message (prompt, steering, follow-up) or an app-defined custom message. */
export interface InputEntry extends RunLogEntryBase {
  type: 'input';
  message: UserMessage | CustomMessage;
}

/**
 * When a model call or a tool call ran (added after 0.1.0 without a version change: entries written before
 * have none, and readers treat it as optional). Times are ms since the Unix epoch.
 */
export interface CallTiming {
  /** When the request was sent (model call) or the tool started. */
  startMs: number;
  /** When the response was complete (model call) or the tool's result was ready. */
  endMs: number;
  /** Model calls: ms from sending the request to the first streamed content chunk (time to first token). */
  firstChunkMs?: number;
  /** Model calls: how many times the request was retried before a response came (absent for none). */
  retries?: number;
  /** Model calls: the model server's host and port (`127.0.0.1:11434`); never a path, query or key. */
  server?: string;
}

/** A finished model call (checkpoint). */
export interface ModelResponseEntry extends RunLogEntryBase {
  type: 'model_response';
  message: AssistantMessage;
  /** When the call ran (absent in logs written by 0.1.0, and for transcripts passed in as messages). */
  timing?: CallTiming;
}

/** A tool call's result, written as soon as the call finishes (checkpoint). */
export interface ToolResultEntry extends RunLogEntryBase {
  type: 'tool_result';
  message: ToolResultMessage;
  /** When the tool ran (absent for refused calls, older logs and transcripts passed in as messages). */
  timing?: CallTiming;
}

/** A tool call waiting for a decision (approval, or a result in manual tool mode). */
export interface PendingCall {
  toolCallId: string;
  toolName: string;
  /** The arguments as the model sent them. */
  arguments: Record<string, unknown>;
  /** For a call of a nested agent (an agent used as a tool): the outer call that runs that agent. */
  parentToolCallId?: string;
  /** For a call of a nested agent: the agent names from the outer run's agent down to the one that asks. */
  agentPath?: string[];
}

/** The run stopped before these calls: they need a decision (see `RunState.approve` / `reject`). */
export interface InterruptionEntry extends RunLogEntryBase {
  type: 'interruption';
  calls: PendingCall[];
}

/** A human's decision on an interrupted call. */
export interface DecisionEntry extends RunLogEntryBase {
  type: 'decision';
  toolCallId: string;
  toolName: string;
  approved: boolean;
  /** Rejections: the text the model gets as the call's (error) result. */
  message?: string;
  /** Applies to every later call of `toolName` in this state (sticky). */
  always?: boolean;
}

/**
 * The conversation passed from one agent to another (src/multi): from the next model call on, `to`'s
 * instructions, tools and model apply. `agent` (the base field) is `from`.
 */
export interface HandoffEntry extends RunLogEntryBase {
  type: 'handoff';
  /** The agent that handed off. */
  from: string;
  /** The agent that takes over. */
  to: string;
  /** The `transfer_to_*` call that asked for it (answered with `{"assistant": to}`). */
  toolCallId: string;
  /** Transcript length at the handoff: the target's input filter applies to the messages before it. */
  at: number;
}

/**
 * One entry of the append-only run log. Entries of a type this version does not know are kept and skipped.
 * An `interruption` entry of a run whose agents nest also has `nested` (outer call id → nested run state).
 */
export type RunLogEntry =
  | InputEntry
  | ModelResponseEntry
  | ToolResultEntry
  | InterruptionEntry
  | DecisionEntry
  | HandoffEntry;

/** Rebuilds the transcript from log entries: tool results in the order of the calls that asked for them. */
export function messagesOf(entries: readonly { type: string }[]): AgentMessage[] {
  const out: AgentMessage[] = [];
  let order: Map<string, number> | undefined;
  let groupStart = -1;
  for (const raw of entries) {
    const entry = raw as RunLogEntry;
    if (entry.type === 'model_response') {
      out.push(entry.message);
      const calls = entry.message.content.filter((b) => b.type === 'toolCall');
      order = new Map(calls.map((c, i) => [c.id, i]));
      groupStart = out.length;
    } else if (entry.type === 'tool_result') {
      out.push(entry.message);
    } else if (entry.type === 'input') {
      sortResults(out, groupStart, order);
      order = undefined;
      out.push(entry.message);
    }
  }
  sortResults(out, groupStart, order);
  return out;
}

/** Sorts the tool results that follow the assistant message at `start - 1` by the model's call order. */
function sortResults(out: AgentMessage[], start: number, order: Map<string, number> | undefined): void {
  if (!order || order.size < 2) return;
  let end = start;
  while (end < out.length && out[end]?.role === 'toolResult') end++;
  if (end - start < 2) return;
  const rank = (m: AgentMessage) => (m.role === 'toolResult' ? (order.get(m.toolCallId) ?? 0) : 0);
  const group = out.slice(start, end).sort((a, b) => rank(a) - rank(b));
  out.splice(start, group.length, ...group);
}

/**
 * The calls of the last assistant message that have no result yet (what a resumed run answers first).
 * Empty when the last message is not an assistant message with tool calls, or it failed.
 */
export function unansweredCalls(messages: readonly AgentMessage[]): {
  assistant: AssistantMessage | undefined;
  calls: ToolCall[];
} {
  const answered = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || m.role === 'custom') continue;
    if (m.role === 'toolResult') {
      answered.add(m.toolCallId);
      continue;
    }
    if (m.role === 'user') return { assistant: undefined, calls: [] };
    if (m.stopReason === 'error' || m.stopReason === 'aborted') return { assistant: undefined, calls: [] };
    const calls = m.content.filter((b): b is ToolCall => b.type === 'toolCall' && !answered.has(b.id));
    return { assistant: m, calls };
  }
  return { assistant: undefined, calls: [] };
}

/** Copies a value through JSON (drops functions and `undefined`; entries are plain data). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
