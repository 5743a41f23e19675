import type { Tool } from '../tools/tool.js';
import type { Message, ToolResultMessage } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { AgentLoopConfig, AgentMessage } from './config.js';
import type { LoopController } from './controller.js';
import type { AgentEventBody, AgentRunResult } from './events.js';
import type { AgentLoopInput } from './loop.js';
import type { CallTiming, ModelResponseEntry, RunLogEntry, ToolResultEntry } from './run-log.js';
import { RunState } from './run-state.js';

/** Entries for a transcript of unknown origin (messages passed in, not read from a log): run id `''`. */
export function historyEntries(messages: readonly AgentMessage[]): RunLogEntry[] {
  return messages.map((message) =>
    message.role === 'assistant'
      ? { type: 'model_response', runId: '', turn: 0, message }
      : message.role === 'toolResult'
        ? { type: 'tool_result', runId: '', turn: 0, message }
        : { type: 'input', runId: '', turn: 0, message },
  );
}

/** The mutable state of one run, shared by the loop's phases (live: config, signal, tools). */
export class LoopState<Ctx> {
  /** The current agent's config (a handoff replaces it; src/multi). */
  config: AgentLoopConfig<Ctx>;
  /** Checkpoints of a multi-agent run (guardrails, handoffs, nested runs), if any. */
  readonly controller: LoopController<Ctx> | undefined;
  readonly signal: AbortSignal;
  /** The whole transcript: the input messages and everything this run added. */
  readonly transcript: AgentMessage[];
  readonly result: AgentRunResult;
  /** The run as data: the log this run appends to. */
  readonly log: RunState;
  /** The model of the next call (`prepareNextTurn` may switch it). */
  model: Model;
  /** The tools of the current turn (resolved before each model call, and before a resumed tool phase). */
  tools: Tool<unknown, Ctx>[] = [];
  /** True once a `Stop` hook made the run continue. */
  stopHookActive = false;
  /** Send the next model call without tools (a structured-output repair on a server that cannot combine them). */
  withoutToolsOnce = false;
  /** The typed error of the last model call's `error` event (`ApiError`, `ConnectionError`, ...), if any. */
  streamError: Error | undefined;
  readonly #persist: ((log: RunState) => Promise<void>) | undefined;
  /** The store writes in flight, chained (made on the first checkpoint of a run with a session). */
  #writes: Promise<void> | undefined;
  #writeError: unknown;
  /** The agent name {@link agentPath} was made for, and that path. */
  #pathOf = '';
  #path: readonly string[] = [];

  constructor(input: AgentLoopInput<Ctx>, result: AgentRunResult) {
    this.config = input.config;
    this.controller = input.controller;
    this.signal = input.signal ?? new AbortController().signal;
    this.log =
      input.runState ??
      new RunState({ agentName: input.agentName ?? 'agent', entries: historyEntries(input.messages) });
    this.transcript = input.runState ? input.runState.messages : [...input.messages];
    this.result = result;
    result.runId = this.log.runId;
    result.state = this.log;
    result.turns = input.runState ? this.log.turn : 0;
    this.model = input.config.model;
    this.#persist = input.persist;
  }

  /**
   * Adds a message to the transcript, the run's result and (unless `logged` already) the log; `timing` goes
   * on a `model_response` entry.
   */
  add(message: Message, logged = false, timing?: CallTiming): void {
    this.transcript.push(message);
    this.result.messages.push(message);
    if (logged) return;
    // Plain literals (no spreads): this runs for every message of every run.
    const { runId, agentName: agent } = this.log;
    const turn = this.result.turns;
    if (message.role === 'assistant') {
      const entry: ModelResponseEntry = { type: 'model_response', runId, turn, agent, message };
      if (timing) entry.timing = timing;
      this.log.entries.push(entry);
    } else if (message.role === 'toolResult')
      this.log.entries.push({ type: 'tool_result', runId, turn, agent, message });
    else this.log.entries.push({ type: 'input', runId, turn, agent, message });
  }

  /** Logs a tool result as soon as its call finished, and checkpoints (the transcript gets it later, in order). */
  logToolResult(message: ToolResultMessage, startMs?: number): void {
    const { runId, agentName: agent } = this.log;
    const entry: ToolResultEntry = { type: 'tool_result', runId, turn: this.result.turns, agent, message };
    if (startMs !== undefined) entry.timing = { startMs, endMs: Date.now() };
    this.log.entries.push(entry);
    if (this.#persist) void this.checkpoint().catch(() => undefined);
  }

  /** Adds a message and returns its start and end events. */
  *deliver(message: Message, logged = false): Generator<AgentEventBody, void, undefined> {
    this.add(message, logged);
    yield { type: 'message_start', message };
    yield { type: 'message_end', message };
  }

  /**
   * The `agentPath` of this run's events now: the controller's prefix (a nested run's parents) and the
   * current agent. One frozen array per agent name, shared by the events (a handoff changes the name).
   */
  agentPath(): readonly string[] {
    const agent = this.log.agentName;
    if (agent !== this.#pathOf || this.#path.length === 0) {
      this.#pathOf = agent;
      this.#path = Object.freeze([...(this.controller?.pathPrefix ?? []), agent]);
    }
    return this.#path;
  }

  /** True when the run writes its log (a session): without one, {@link checkpoint} has nothing to do. */
  get persists(): boolean {
    return this.#persist !== undefined;
  }

  /**
   * Writes the log entries not yet written (one store write at most; writes run one after another).
   * Resolves at once when the run has no session. Rejects with the store's error.
   */
  checkpoint(): Promise<void> {
    const persist = this.#persist;
    if (!persist) return Promise.resolve();
    this.#writes = (this.#writes ?? Promise.resolve())
      .then(() => persist(this.log))
      .catch((error: unknown) => {
        this.#writeError ??= error;
      });
    return this.#writes.then(() => {
      if (this.#writeError !== undefined) throw this.#writeError;
    });
  }

  /** The transcript without app-defined custom messages. */
  llmView(): Message[] {
    return this.transcript.filter((m): m is Message => m.role !== 'custom');
  }
}
