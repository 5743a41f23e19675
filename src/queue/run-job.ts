/**
 * One run job on a worker: load the run's log from the session, start or resume it, record decisions,
 * publish events as job progress, and turn the outcome into a return value or a (retryable) failure.
 */

import type { AgentDefinition } from '../agent/definition.js';
import type { AgentEvent } from '../agent/events.js';
import type { RunOptions, RunOutcome } from '../agent/run.js';
import { run } from '../agent/run.js';
import type { RunLogEntry } from '../agent/run-log.js';
import { RunState } from '../agent/run-state.js';
import { ApiError } from '../errors/api-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { SessionConflictError } from '../errors/session-conflict-error.js';
import { SessionStoreError } from '../errors/session-store-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import type { SessionStore } from '../sessions/store.js';
import type { AssistantMessage } from '../types/message.js';
import { RUN_JOB_VERSION, type RunJobData, type RunJobEvent, type RunJobResult } from './job-data.js';

/** What the processor needs from a BullMQ job. */
export interface RunJobLike {
  id?: string | undefined;
  data: unknown;
  attemptsStarted: number;
  updateProgress(progress: RunJobEvent): Promise<void>;
}

/** How a run job ended when it did not return: retry it (with backoff), or fail it for good. */
export class RunJobFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'RunJobFailure';
  }
}

/** Per-run options the worker passes to every run (keys come from here, never from the job). */
export type WorkerRunOptions = Pick<RunOptions, 'streamOptions' | 'streamFn' | 'toolExecution' | 'maxTurns'>;

/** Loads the run's state: the logged run if it started, else the session's log plus this run's input. */
export async function loadRunState(
  store: SessionStore,
  agent: string,
  data: RunJobData,
): Promise<RunState | undefined> {
  const loaded = await store.load(data.sessionId);
  const entries = loaded.entries.map((e) => e.item as unknown as RunLogEntry);
  const started = entries.some((e) => e.runId === data.runId);
  const state = RunState.fromEntries(agent, entries, data.runId);
  if (started) return state;
  if (!data.input) return undefined;
  for (const text of data.input) {
    state.entries.push({
      type: 'input',
      runId: data.runId,
      turn: 0,
      agent,
      message: { role: 'user', content: text, timestamp: Date.now() },
    });
  }
  return state;
}

/** Records the job's decisions that are still pending (a retried continuation finds them recorded). */
export function applyDecisions(state: RunState, data: RunJobData): void {
  for (const decision of data.decisions ?? []) {
    if (!state.interruptions.some((c) => c.toolCallId === decision.callId)) continue;
    if (decision.approved) state.approve(decision.callId);
    else state.reject(decision.callId, decision.message === undefined ? {} : { message: decision.message });
  }
}

/** A publisher of run events as job progress, in order; `flush()` waits for the last one. */
export function progressPublisher(job: RunJobLike, runId: string) {
  let seq = 0;
  let chain: Promise<void> = Promise.resolve();
  const observe = (event: AgentEvent): void => {
    const summary = summarize(event, runId, job.attemptsStarted);
    if (!summary) return;
    const next = { ...summary, seq: seq++ } as RunJobEvent;
    chain = chain.then(() => job.updateProgress(next)).catch(() => undefined);
  };
  return { observe, flush: () => chain };
}

const PUBLISHED = new Set([
  'agent_start',
  'turn_start',
  'message_end',
  'retry',
  'tool_execution_start',
  'tool_execution_end',
  'turn_end',
  'interrupted',
  'error',
  'agent_end',
]);

function summarize(event: AgentEvent, runId: string, attempt: number): Omit<RunJobEvent, 'seq'> | undefined {
  if (!PUBLISHED.has(event.type)) return undefined;
  const out: Omit<RunJobEvent, 'seq'> = {
    v: RUN_JOB_VERSION,
    type: event.type,
    runId,
    turn: event.turn,
    attempt,
  };
  if (event.type === 'message_end') {
    if (event.message.role !== 'assistant') return undefined;
    out.text = textOf(event.message);
  } else if (event.type === 'tool_execution_start') {
    out.toolName = event.toolName;
    out.toolCallId = event.toolCallId;
  } else if (event.type === 'tool_execution_end') {
    out.toolName = event.toolName;
    out.toolCallId = event.toolCallId;
    out.outcome = event.outcome;
  } else if (event.type === 'error') {
    out.text = event.error.message;
  }
  return out;
}

function textOf(message: AssistantMessage | undefined): string {
  let text = '';
  for (const block of message?.content ?? []) if (block.type === 'text') text += block.text;
  return text;
}

/** Failures worth another attempt: provider 5xx/429, network, timeouts, store hiccups, a second writer. */
export function isRetryable(error: unknown): boolean {
  if (ApiError.isInstance(error)) return (error as ApiError).retryable;
  return (
    ConnectionError.isInstance(error) ||
    TimeoutError.isInstance(error) ||
    SessionStoreError.isInstance(error) ||
    SessionConflictError.isInstance(error)
  );
}

/**
 * Runs (or resumes) one job's run to its end and returns the job's value.
 * @throws {RunJobFailure} retryable for transient failures, not retryable for the rest.
 */
export async function processRunJob(
  job: RunJobLike,
  data: RunJobData,
  agent: AgentDefinition<never>,
  store: SessionStore,
  options: WorkerRunOptions & { signal?: AbortSignal },
): Promise<RunJobResult> {
  const state = await loadRunState(store, agent.name, data);
  if (!state) throw new RunJobFailure(`Run ${data.runId} is not in session ${data.sessionId}.`, false);
  applyDecisions(state, data);
  const publisher = progressPublisher(job, data.runId);
  const maxTurns = data.maxTurns ?? options.maxTurns;
  const outcome: RunOutcome<unknown> = await run(agent, state, {
    session: { store, id: data.sessionId },
    observers: [publisher.observe],
    ...(options.streamOptions !== undefined && { streamOptions: options.streamOptions }),
    ...(options.streamFn !== undefined && { streamFn: options.streamFn }),
    ...(options.toolExecution !== undefined && { toolExecution: options.toolExecution }),
    ...(maxTurns !== undefined && { maxTurns }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  await publisher.flush();
  if (outcome.status === 'failed' || outcome.status === 'aborted') {
    const error = outcome.error;
    const message = `Run ${data.runId} ${outcome.status}: ${error?.message ?? 'unknown error'}`;
    throw new RunJobFailure(message, outcome.status === 'aborted' || isRetryable(error));
  }
  return resultOf(outcome, data);
}

function resultOf(outcome: RunOutcome<unknown>, data: RunJobData): RunJobResult {
  const state = outcome.state;
  // A structured output (an agent with `outputType`) travels as its JSON text: job results are plain JSON text.
  const output = outcome.finalOutput;
  let finalOutput = typeof output === 'string' || output === undefined ? output : JSON.stringify(output);
  if (outcome.status === 'completed' && finalOutput === undefined) {
    const last = [...state.messages].reverse().find((m) => m.role === 'assistant');
    finalOutput = textOf(last as AssistantMessage | undefined);
  }
  return {
    v: RUN_JOB_VERSION,
    runId: data.runId,
    sessionId: data.sessionId,
    agent: data.agent,
    status: outcome.status as RunJobResult['status'],
    ...(finalOutput !== undefined && { finalOutput }),
    interruptions: outcome.interruptions.map((c) => ({
      callId: c.toolCallId,
      toolName: c.toolName,
      arguments: c.arguments,
    })),
    turns: state.turn,
  };
}
