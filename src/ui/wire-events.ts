/**
 * Agent events as the dashboard sends them over SSE (`GET /api/events`): small JSON objects with the event
 * meta (`runId`, `agent`, `agentPath`, `turn`) and only what the page shows (text deltas, tool calls and
 * outcomes, usage, interruptions, typed errors). Never the run state, request headers or keys.
 *
 * @module
 */
import type { AgentEvent } from '../agent/events.js';

/** One SSE `data:` payload. `sessionId` names the session the run writes to. */
export interface WireEvent {
  sessionId: string;
  type: string;
  runId: string;
  agent: string;
  agentPath?: readonly string[];
  turn: number;
  [key: string]: unknown;
}

function textOf(content: readonly { type: string; text?: string }[]): string {
  return content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
}

/** The wire form of an event, or `undefined` for events the page does not use. */
export function wireEvent(sessionId: string, event: AgentEvent): WireEvent | undefined {
  const meta: WireEvent = {
    sessionId,
    type: event.type,
    runId: event.runId,
    agent: event.agent,
    turn: event.turn,
    ...(event.agentPath !== undefined && { agentPath: event.agentPath }),
  };
  switch (event.type) {
    case 'agent_start':
    case 'turn_start':
      return meta;
    case 'message_update': {
      const e = event.event;
      if (e.type === 'text_delta') return { ...meta, type: 'text_delta', delta: e.delta };
      if (e.type === 'thinking_delta') return { ...meta, type: 'thinking_delta', delta: e.delta };
      return undefined;
    }
    case 'message_end': {
      const m = event.message;
      if (m.role === 'user')
        return {
          ...meta,
          type: 'user_message',
          text: textOf(typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content),
        };
      if (m.role !== 'assistant') return undefined;
      return {
        ...meta,
        type: 'assistant_message',
        text: textOf(m.content),
        stopReason: m.stopReason,
        usage: { input: m.usage.input, output: m.usage.output, total: m.usage.total },
        ...(m.errorMessage !== undefined && { error: m.errorMessage }),
        ...(event.firstChunkMs !== undefined && { firstChunkMs: event.firstChunkMs }),
      };
    }
    case 'tool_execution_start':
      return { ...meta, toolCallId: event.toolCallId, toolName: event.toolName, args: event.args };
    case 'tool_execution_end':
      return {
        ...meta,
        toolCallId: event.toolCallId,
        toolName: event.toolName,
        outcome: event.outcome,
        isError: event.result.isError,
        text: textOf(event.result.content).slice(0, 4000),
      };
    case 'retry':
      return { ...meta, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason };
    case 'handoff':
      return { ...meta, from: event.from, to: event.to };
    case 'interrupted':
      return { ...meta, interruptions: event.interruptions };
    case 'error':
      return {
        ...meta,
        error: {
          name: event.error.name,
          message: event.error.message,
          ...('code' in event.error && { code: (event.error as { code?: unknown }).code }),
        },
      };
    case 'agent_end': {
      const r = event.result;
      return {
        ...meta,
        status: r.status,
        turns: r.turns,
        usage: { input: r.usage.input, output: r.usage.output, total: r.usage.total },
        ...(r.error !== undefined && { error: { name: r.error.name, message: r.error.message } }),
      };
    }
    default:
      return undefined;
  }
}
