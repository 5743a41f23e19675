/**
 * Runs the dashboard starts: chats with an agent of the config file, and resumed runs after a decision on
 * their interruptions. Every run writes to a session of the store (so it appears in the list like any
 * other), and its events go to the SSE subscribers. Decisions go through the library's path:
 * `state.approve(call)` / `state.reject(call, { message })`, then `run(agent, state, { session })`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { AgentDefinition } from '../agent/definition.js';
import { type RunOptions, run } from '../agent/run.js';
import type { RunLogEntry } from '../agent/run-log.js';
import { RunState } from '../agent/run-state.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SessionStore } from '../sessions/store.js';
import { type WireEvent, wireEvent } from './wire-events.js';

/** What {@link LiveRuns} needs. */
export interface LiveRunsOptions {
  /** The session store runs write to (the CLI's sessions directory). */
  store: SessionStore;
  /** Agents by name; the first one is the default. */
  agents: Readonly<Record<string, AgentDefinition>>;
  /** Options of every run (`streamOptions` with the API key, `maxTurns`): never sent to the page. */
  runOptions: Omit<RunOptions, 'session' | 'signal'>;
}

/** Why a dashboard request cannot be done: `status` is the HTTP status to answer with. */
export class DashboardRequestError extends Error {
  override readonly name = 'DashboardRequestError';
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

/** The result of a decision. */
export interface DecisionResult {
  /** True when this was the last undecided call: the run resumed. */
  resumed: boolean;
  /** Calls of the interruption still waiting for a decision. */
  remaining: number;
}

/** A new id for a dashboard chat session: `ui-YYYYMMDD-HHMMSS-xxxx` (UTC). */
export function newUiSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `ui-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Chats and resumed runs started from the dashboard. */
export class LiveRuns {
  readonly #options: LiveRunsOptions;
  readonly #listeners = new Set<(event: WireEvent) => void>();
  /** Sessions with a run in progress. */
  readonly running = new Set<string>();
  /** Decided-but-not-resumed states (an interruption of several calls, decided one by one). */
  readonly #decided = new Map<string, RunState>();
  readonly #abort = new AbortController();

  constructor(options: LiveRunsOptions) {
    this.#options = options;
  }

  /** Names of the agents, the default first. */
  agentNames(): string[] {
    return Object.keys(this.#options.agents);
  }

  /** Calls `listener` with every event of every live run; returns the unsubscribe function. */
  subscribe(listener: (event: WireEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #agent(name: string | undefined): AgentDefinition {
    const names = this.agentNames();
    const chosen = name ?? names[0];
    const agent = chosen === undefined ? undefined : this.#options.agents[chosen];
    if (!agent || !Object.hasOwn(this.#options.agents, chosen as string))
      throw new DashboardRequestError(
        `Unknown agent ${JSON.stringify(name)}; agents: ${names.join(', ')}.`,
        404,
      );
    return agent;
  }

  #claim(sessionId: string): void {
    if (this.running.has(sessionId))
      throw new DashboardRequestError(`Session ${JSON.stringify(sessionId)} has a run in progress.`, 409);
    this.running.add(sessionId);
  }

  /**
   * Starts a chat turn in the background: `text` to `agent` (default: the first), in session `sessionId`
   * (default: a new one). Resolves with the session id as soon as the run started.
   * @throws DashboardRequestError (404 unknown agent, 409 the session has a run in progress, 400 no text)
   */
  chat(input: { text: string; agent?: string; sessionId?: string }): { sessionId: string } {
    if (input.text.trim() === '') throw new DashboardRequestError('The message is empty.', 400);
    const agent = this.#agent(input.agent);
    const sessionId = input.sessionId ?? newUiSessionId();
    this.#claim(sessionId);
    this.#decided.delete(sessionId);
    this.#start(sessionId, agent, input.text);
    return { sessionId };
  }

  /**
   * Approves or rejects one pending call of a session's run; once every call of the interruption is
   * decided, resumes the run (`run(agent, state, { session })`) in the background.
   * @throws DashboardRequestError (404 no such session, or the call is not waiting; 409 a run is in progress)
   */
  async decide(input: {
    sessionId: string;
    toolCallId: string;
    approved: boolean;
    message?: string;
  }): Promise<DecisionResult> {
    const { sessionId } = input;
    if (this.running.has(sessionId))
      throw new DashboardRequestError(`Session ${JSON.stringify(sessionId)} has a run in progress.`, 409);
    let state = this.#decided.get(sessionId);
    if (!state) {
      let loaded: Awaited<ReturnType<SessionStore['load']>>;
      try {
        loaded = await this.#options.store.load(sessionId);
      } catch (error) {
        // an id the store refuses (`../x`, too long) or a file it cannot read
        throw new DashboardRequestError(
          `Cannot read session ${JSON.stringify(sessionId)}: ${(error as Error).message}`,
          404,
        );
      }
      const entries = loaded.entries.map((e) => e.item as unknown as RunLogEntry);
      if (entries.length === 0)
        throw new DashboardRequestError(`No session ${JSON.stringify(sessionId)}.`, 404);
      const last = entries[entries.length - 1] as RunLogEntry;
      state = RunState.fromEntries(last.agent ?? this.agentNames()[0] ?? 'agent', entries, last.runId);
    }
    try {
      if (input.approved) state.approve(input.toolCallId);
      else state.reject(input.toolCallId, input.message !== undefined ? { message: input.message } : {});
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw new DashboardRequestError(error.message, 404);
      throw error;
    }
    const remaining = state.interruptions.length;
    if (remaining > 0) {
      this.#decided.set(sessionId, state);
      return { resumed: false, remaining };
    }
    this.#decided.delete(sessionId);
    const agent = this.#owner(state);
    this.#claim(sessionId);
    this.#start(sessionId, agent, state);
    return { resumed: true, remaining: 0 };
  }

  /** The config agent that runs `state`: the one of its name, else one that reaches it (handoffs). */
  #owner(state: RunState): AgentDefinition {
    const agents = this.#options.agents;
    if (Object.hasOwn(agents, state.agentName)) return agents[state.agentName] as AgentDefinition;
    const first = state.entries.find((e) => e.agent !== undefined)?.agent;
    if (first !== undefined && Object.hasOwn(agents, first)) return agents[first] as AgentDefinition;
    throw new DashboardRequestError(
      `The run belongs to agent ${JSON.stringify(state.agentName)}, which the config file does not declare (agents: ${this.agentNames().join(', ')}).`,
      409,
    );
  }

  #start(sessionId: string, agent: AgentDefinition, input: string | RunState): void {
    const session = { store: this.#options.store, id: sessionId };
    const go = async (): Promise<void> => {
      try {
        const result = run(agent, input, {
          ...this.#options.runOptions,
          session,
          signal: this.#abort.signal,
        });
        for await (const event of result) {
          const wire = wireEvent(sessionId, event);
          if (wire) for (const listener of this.#listeners) listener(wire);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const wire: WireEvent = {
          sessionId,
          type: 'error',
          runId: '',
          agent: agent.name,
          turn: 0,
          error: { name: 'Error', message },
        };
        for (const listener of this.#listeners) listener(wire);
      } finally {
        this.running.delete(sessionId);
        const done: WireEvent = { sessionId, type: 'session_idle', runId: '', agent: agent.name, turn: 0 };
        for (const listener of this.#listeners) listener(done);
      }
    };
    void go();
  }

  /** Aborts every live run (the server is closing). */
  close(): void {
    this.#abort.abort();
  }
}
