import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { reachableAgents } from '../multi/graph.js';
import { randomUuid } from '../stream/ids.js';
import type { AgentMessage } from './config.js';
import type { AgentDefinition } from './definition.js';
import {
  type DecisionEntry,
  type InterruptionEntry,
  messagesOf,
  type PendingCall,
  plain,
  RUN_LOG_VERSION,
  type RunLogEntry,
} from './run-log.js';
import { migrateRunLog, type SerializedRunState } from './run-state-migrations.js';

/** How a run ended, or `running` while it goes on (or was killed before it could say). */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'aborted' | 'blocked';

/** Where `RunState.fromString` finds agent definitions by name. */
export type AgentResolver =
  | AgentDefinition<never>
  | readonly AgentDefinition<never>[]
  | Readonly<Record<string, AgentDefinition<never>>>
  | ((name: string) => AgentDefinition<never> | undefined);

/** A call the run stopped before (approval needed, or manual tool mode). */
export type ToolApprovalItem = PendingCall;

/** Options of {@link RunState.approve} and {@link RunState.reject}. */
export interface DecisionOptions {
  /** Apply the same decision to every later call of this tool in this state. @default false */
  always?: boolean;
}

/** Options of {@link RunState.reject}. */
export interface RejectOptions extends DecisionOptions {
  /** What the model reads as the call's (error) result. @default 'The user rejected this tool call.' */
  message?: string;
}

/** Default result text of a rejected call. */
export const REJECTED_MESSAGE = 'The user rejected this tool call.';

/**
 * A run as plain data: the append-only log (input, model responses, tool results, interruptions,
 * decisions) plus where it stands. Serializable with {@link RunState.toString}; resumed with
 * `run(agent, state)` in this or another process. Holds no function, key or secret.
 */
export class RunState {
  /** The run's id: the prefix of every tool call's idempotency key (`runId:callId`). */
  runId: string;
  /** Name of the agent whose turn it is. */
  agentName: string;
  /** How the run ended last (`running` if it never said: killed, or in progress). */
  status: RunStatus;
  /** The log, oldest first. Append only. */
  readonly entries: RunLogEntry[];
  /** Unknown top-level fields of the text it was read from, written back as they were. */
  readonly #extra: Record<string, unknown>;
  /** The resolved definition (from `fromString`), not serialized. */
  agent: AgentDefinition<never> | undefined;

  /** @internal Use `run()`, `RunState.fromString` or `RunState.fromEntries`. */
  constructor(fields: {
    runId?: string;
    agentName: string;
    status?: RunStatus;
    entries?: RunLogEntry[];
    extra?: Record<string, unknown>;
  }) {
    this.runId = fields.runId ?? randomUuid();
    this.agentName = fields.agentName;
    this.status = fields.status ?? 'running';
    this.entries = fields.entries ?? [];
    this.#extra = fields.extra ?? {};
  }

  /** Model calls made by this run so far (persists across resumes; `maxTurns` counts from it). */
  get turn(): number {
    let n = 0;
    for (const e of this.entries) if (e.type === 'model_response' && e.runId === this.runId) n++;
    return n;
  }

  /** The transcript the log describes (tool results in the model's order). */
  get messages(): AgentMessage[] {
    return messagesOf(this.entries);
  }

  /** The calls waiting for a decision: those of the last interruption with no result and no decision yet. */
  get interruptions(): ToolApprovalItem[] {
    const last = this.#lastInterruption();
    if (!last) return [];
    const done = new Set<string>();
    for (let i = last.index + 1; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e?.type === 'tool_result') done.add(e.message.toolCallId);
      else if (e?.type === 'decision') done.add(e.toolCallId);
    }
    return last.entry.calls.filter((c) => !done.has(c.toolCallId));
  }

  #lastInterruption(): { entry: InterruptionEntry; index: number } | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e?.type === 'interruption') return { entry: e, index: i };
      if (e?.type === 'model_response') return undefined;
    }
    return undefined;
  }

  /**
   * Approves an interrupted call: the resumed run executes it.
   * @throws {InvalidArgumentError} when the call is not waiting for a decision.
   */
  approve(call: ToolApprovalItem | string, options: DecisionOptions = {}): void {
    this.#decide(call, true, options);
  }

  /**
   * Rejects an interrupted call: the resumed run answers it with `message` as an error result, unrun.
   * @throws {InvalidArgumentError} when the call is not waiting for a decision.
   */
  reject(call: ToolApprovalItem | string, options: RejectOptions = {}): void {
    this.#decide(call, false, options);
  }

  #decide(call: ToolApprovalItem | string, approved: boolean, options: RejectOptions): void {
    const id = typeof call === 'string' ? call : call.toolCallId;
    const pending = this.interruptions.find((c) => c.toolCallId === id);
    if (!pending) {
      throw new InvalidArgumentError(`Tool call ${JSON.stringify(id)} is not waiting for a decision.`, {
        argument: 'call',
      });
    }
    const entry: DecisionEntry = {
      type: 'decision',
      runId: this.runId,
      turn: this.turn,
      agent: this.agentName,
      toolCallId: id,
      toolName: pending.toolName,
      approved,
    };
    if (!approved) entry.message = options.message ?? REJECTED_MESSAGE;
    if (options.always) entry.always = true;
    this.entries.push(entry);
  }

  /**
   * The decision for a call: one made for its id since the last model response, else a sticky (`always`)
   * one for its tool.
   */
  decisionFor(toolCallId: string, toolName: string): DecisionEntry | undefined {
    let sticky: DecisionEntry | undefined;
    let current = true;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e?.type === 'model_response') current = false;
      if (e?.type !== 'decision') continue;
      if (current && e.toolCallId === toolCallId) return e;
      if (!sticky && e.always && e.toolName === toolName) sticky = e;
    }
    return sticky;
  }

  /** The state as plain JSON (`v`: {@link RUN_LOG_VERSION}). */
  toJSON(): SerializedRunState {
    return {
      ...this.#extra,
      v: RUN_LOG_VERSION,
      runId: this.runId,
      agent: this.agentName,
      status: this.status,
      entries: this.entries,
    };
  }

  /** The state as a JSON string, for a file, a database or another process. */
  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  /**
   * Reads a saved state (any version since 1; older versions are migrated) and resolves its agent by name.
   * @throws {InvalidArgumentError} for text that is not a run state, a newer `v`, or an agent name
   * `agents` does not know (the message lists the names it knows).
   */
  static fromString(agents: AgentResolver, text: string): RunState {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InvalidArgumentError('Saved run state is not valid JSON.', { argument: 'state' });
    }
    const data = migrateRunLog(value);
    const { v: _v, runId, agent, status, entries, ...extra } = data;
    const name = agent ?? soleName(agents);
    const state = new RunState({ runId, agentName: name ?? '', status, entries, extra });
    state.agent = resolveAgent(agents, state.agentName);
    state.agentName = state.agent.name;
    return state;
  }

  /** A state over log entries read from a session (copied; the run id is the unfinished run's, if any). */
  static fromEntries(agentName: string, entries: RunLogEntry[], runId?: string): RunState {
    return new RunState({ agentName, entries: plain(entries), ...(runId !== undefined && { runId }) });
  }
}

function soleName(agents: AgentResolver): string | undefined {
  if (typeof agents === 'function') return undefined;
  if ('kind' in agents && agents.kind === 'agent_definition') return (agents as AgentDefinition<never>).name;
  const list = Array.isArray(agents) ? agents : Object.values(agents);
  return list.length === 1 ? (list[0] as AgentDefinition<never>).name : undefined;
}

/**
 * Finds the definition named `name`.
 * @throws {InvalidArgumentError} when there is none.
 */
export function resolveAgent(agents: AgentResolver, name: string): AgentDefinition<never> {
  let found: AgentDefinition<never> | undefined;
  let known: string[] = [];
  if (typeof agents === 'function') found = agents(name);
  else {
    // handoff targets and agents used as tools, reachable from the given definitions, resolve too
    const roots = (
      'kind' in agents && agents.kind === 'agent_definition'
        ? [agents]
        : Array.isArray(agents)
          ? agents
          : Object.values(agents)
    ) as AgentDefinition<never>[];
    const all = new Map<string, AgentDefinition<never>>();
    for (const root of roots) for (const [n, a] of reachableAgents(root)) if (!all.has(n)) all.set(n, a);
    known = [...all.keys()];
    found = all.get(name);
  }
  if (!found) {
    const list = known.length > 0 ? ` Known agents: ${known.map((n) => JSON.stringify(n)).join(', ')}.` : '';
    throw new InvalidArgumentError(
      `The saved run state names agent ${JSON.stringify(name)}, which was not given to fromString.${list}`,
      { argument: 'agents' },
    );
  }
  return found;
}
