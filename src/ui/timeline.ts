/**
 * A session's run log as the dashboard shows it: a summary row (agent, model, server, start, duration,
 * tokens, cost, status) and a timeline of steps (inputs, model calls, tool calls, handoffs, interruptions,
 * decisions) with their times, read from the entries' `timing` (logs written before it have the messages'
 * timestamps only, so their durations are unknown).
 *
 * @module
 */
import type { AgentMessage } from '../agent/config.js';
import type { CallTiming, PendingCall, RunLogEntry } from '../agent/run-log.js';
import { RunState, type RunStatus } from '../agent/run-state.js';
import type { ToolCall } from '../types/content.js';
import type { AssistantMessage } from '../types/message.js';

/** What kind of thing a step is. `guardrail` steps come from trace files only (span events). */
export type StepKind = 'input' | 'model' | 'tool' | 'handoff' | 'interruption' | 'decision' | 'guardrail';

/** Token counts of a step or a run; `costUsd` only when the model has prices. */
export interface StepUsage {
  input: number;
  output: number;
  total: number;
  /** USD, when priced (`model.cost`). */
  costUsd?: number;
}

/** One step of a timeline (JSON of `GET /api/sessions/:id` and `GET /api/traces/:id`). */
export interface TimelineStep {
  /** Position in the timeline, from 0. */
  index: number;
  kind: StepKind;
  /** The run the step belongs to. */
  runId: string;
  /** The agent whose turn it was. */
  agent?: string;
  /** One line: `chat qwen3`, `lookup {"city":"Oslo"}`, `handoff triage → billing`. */
  label: string;
  /** Start, ms since the Unix epoch. */
  startMs?: number;
  /** Duration in ms (model and tool calls whose log has timings; trace spans). */
  durationMs?: number;
  /** Model calls: time to first token in ms. */
  firstChunkMs?: number;
  /** Model calls: retries before the response. */
  retries?: number;
  /** Model calls: token usage. */
  usage?: StepUsage;
  /** Model calls: the model id and server (`host:port`). */
  model?: string;
  server?: string;
  /** `ok`, `error` (typed details in `error`), `pending` (waits for a decision), `approved`, `rejected`. */
  status: 'ok' | 'error' | 'pending' | 'approved' | 'rejected';
  /** What went wrong (model error message, tool error text, span status message). */
  error?: string;
  /** The step's own data: the message (model/input), the call and its result (tool), or span attributes. */
  detail: unknown;
}

/** One row of the runs and sessions list (JSON of `GET /api/runs`). */
export interface RunSummary {
  /** `session` (a session store file) or `trace` (a `--trace` file's trace). */
  source: 'session' | 'trace';
  /** Session id or trace id. */
  id: string;
  /** For traces: the file it came from. */
  file?: string;
  /** Number of runs in the session (1 for a trace). */
  runs: number;
  agent?: string;
  model?: string;
  server?: string;
  /** Start of the first step, ms since the Unix epoch. */
  startMs?: number;
  /** From the first step's start to the last step's end, in ms. */
  durationMs?: number;
  usage: StepUsage;
  /** `running` while the dashboard runs it; `unknown` when the log says nothing either way. */
  status: RunStatus | 'unknown';
  /** Number of steps of its timeline. */
  steps: number;
  /** Tool calls waiting for a decision. */
  pending: number;
}

/** A session's timeline and the transcript it describes. */
export interface SessionView {
  summary: RunSummary;
  steps: TimelineStep[];
  /** The transcript (`messagesOf` the log). */
  messages: AgentMessage[];
}

function timingOf(entry: RunLogEntry): CallTiming | undefined {
  const t = (entry as { timing?: unknown }).timing as CallTiming | undefined;
  return t && typeof t.startMs === 'number' && typeof t.endMs === 'number' ? t : undefined;
}

function usageOf(message: AssistantMessage): StepUsage {
  const u = message.usage;
  const usage: StepUsage = { input: u?.input ?? 0, output: u?.output ?? 0, total: u?.total ?? 0 };
  if (usage.total === 0) usage.total = usage.input + usage.output;
  if (u?.cost && u.cost.total > 0) usage.costUsd = u.cost.total;
  return usage;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { type?: string; text?: string }) => (b.type === 'text' ? (b.text ?? '') : ''))
    .join('');
}

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function modelStep(entry: Extract<RunLogEntry, { type: 'model_response' }>): Omit<TimelineStep, 'index'> {
  const m = entry.message;
  const t = timingOf(entry);
  const calls = m.content.filter((b): b is ToolCall => b.type === 'toolCall').map((c) => c.name);
  const said = short(textOf(m.content), 40);
  const step: Omit<TimelineStep, 'index'> = {
    kind: 'model',
    runId: entry.runId,
    label: `chat ${m.model}${calls.length > 0 ? ` → ${calls.join(', ')}` : said ? `: ${said}` : ''}`,
    startMs: t?.startMs ?? m.timestamp,
    usage: usageOf(m),
    model: m.model,
    status: m.stopReason === 'error' || m.stopReason === 'aborted' ? 'error' : 'ok',
    detail: { message: m },
  };
  if (entry.agent !== undefined) step.agent = entry.agent;
  if (t) step.durationMs = Math.max(0, t.endMs - t.startMs);
  if (t?.firstChunkMs !== undefined) step.firstChunkMs = t.firstChunkMs;
  if (t?.retries !== undefined) step.retries = t.retries;
  if (t?.server !== undefined) step.server = t.server;
  if (m.errorMessage !== undefined) step.error = m.errorMessage;
  return step;
}

function toolStep(
  entry: Extract<RunLogEntry, { type: 'tool_result' }>,
  calls: ReadonlyMap<string, ToolCall>,
): Omit<TimelineStep, 'index'> {
  const r = entry.message;
  const call = calls.get(r.toolCallId);
  const t = timingOf(entry);
  const step: Omit<TimelineStep, 'index'> = {
    kind: 'tool',
    runId: entry.runId,
    label: `${r.toolName} ${short(JSON.stringify(call?.arguments ?? {}), 50)}`,
    status: r.isError ? 'error' : 'ok',
    detail: { call: call ?? { id: r.toolCallId, name: r.toolName }, result: r },
  };
  if (entry.agent !== undefined) step.agent = entry.agent;
  const start = t?.startMs ?? r.timestamp;
  if (start !== undefined) step.startMs = start;
  if (t) step.durationMs = Math.max(0, t.endMs - t.startMs);
  if (r.isError) step.error = short(textOf(r.content), 200);
  return step;
}

function stepOf(entry: RunLogEntry, calls: Map<string, ToolCall>): Omit<TimelineStep, 'index'> | undefined {
  const base = { runId: entry.runId, ...(entry.agent !== undefined && { agent: entry.agent }) };
  switch (entry.type) {
    case 'input': {
      const m = entry.message;
      const text = 'content' in m ? textOf(m.content) : '';
      return {
        ...base,
        kind: 'input',
        label: `${m.role === 'custom' ? 'custom' : 'user'}: ${short(text)}`,
        ...('timestamp' in m && typeof m.timestamp === 'number' && { startMs: m.timestamp }),
        status: 'ok',
        detail: { message: m },
      };
    }
    case 'model_response':
      for (const b of entry.message.content) if (b.type === 'toolCall') calls.set(b.id, b);
      return modelStep(entry);
    case 'tool_result':
      return toolStep(entry, calls);
    case 'handoff':
      return {
        ...base,
        kind: 'handoff',
        label: `handoff ${entry.from} → ${entry.to}`,
        status: 'ok',
        detail: entry,
      };
    case 'interruption':
      return {
        ...base,
        kind: 'interruption',
        label: `waits for approval: ${entry.calls.map((c) => c.toolName).join(', ')}`,
        status: 'pending',
        detail: { calls: entry.calls },
      };
    case 'decision':
      return {
        ...base,
        kind: 'decision',
        label: `${entry.approved ? 'approved' : 'rejected'} ${entry.toolName}`,
        status: entry.approved ? 'approved' : 'rejected',
        detail: entry,
      };
    default:
      return undefined; // an entry type this version does not know: kept in the log, not shown
  }
}

/** The status the log describes: pending calls, the last model call's stop reason, or `running`. */
export function statusOf(entries: readonly RunLogEntry[], pending: number): RunStatus | 'unknown' {
  if (pending > 0) return 'interrupted';
  const last = entries[entries.length - 1];
  if (!last) return 'unknown';
  if (last.type !== 'model_response') return 'running';
  const reason = last.message.stopReason;
  if (reason === 'error') return 'failed';
  if (reason === 'aborted') return 'aborted';
  if (reason === 'toolUse') return 'running';
  return 'completed';
}

/** The calls of the session's last interruption still waiting for a decision. */
export function pendingCalls(entries: readonly RunLogEntry[]): PendingCall[] {
  const last = entries[entries.length - 1];
  return RunState.fromEntries(last?.agent ?? 'agent', [...entries], last?.runId).interruptions;
}

/** Builds a session's view from its log entries. */
export function sessionView(id: string, entries: readonly RunLogEntry[]): SessionView {
  const calls = new Map<string, ToolCall>();
  const steps: TimelineStep[] = [];
  for (const entry of entries) {
    const step = stepOf(entry, calls);
    if (step) steps.push({ index: steps.length, ...step });
  }
  const pending = pendingCalls(entries);
  for (const step of steps) if (step.kind === 'interruption' && pending.length === 0) step.status = 'ok'; // decided since
  const models = steps.filter((s) => s.kind === 'model');
  const usage: StepUsage = { input: 0, output: 0, total: 0 };
  let cost = 0;
  for (const s of models) {
    usage.input += s.usage?.input ?? 0;
    usage.output += s.usage?.output ?? 0;
    usage.total += s.usage?.total ?? 0;
    cost += s.usage?.costUsd ?? 0;
  }
  if (cost > 0) usage.costUsd = cost;
  const starts = steps.map((s) => s.startMs).filter((v): v is number => v !== undefined);
  const ends = steps.map((s) => (s.startMs ?? 0) + (s.durationMs ?? 0)).filter((v) => v > 0);
  const lastModel = models[models.length - 1];
  const summary: RunSummary = {
    source: 'session',
    id,
    runs: new Set(entries.map((e) => e.runId).filter((r) => r !== '')).size,
    usage,
    status: statusOf(entries, pending.length),
    steps: steps.length,
    pending: pending.length,
  };
  const agent = entries.find((e) => e.agent !== undefined)?.agent;
  if (agent !== undefined) summary.agent = agent;
  if (lastModel?.model !== undefined) summary.model = lastModel.model;
  const server = models.find((s) => s.server !== undefined)?.server;
  if (server !== undefined) summary.server = server;
  if (starts.length > 0) {
    summary.startMs = Math.min(...starts);
    summary.durationMs = Math.max(0, Math.max(...ends, ...starts) - summary.startMs);
  }
  return { summary, steps, messages: RunState.fromEntries('agent', [...entries]).messages };
}
