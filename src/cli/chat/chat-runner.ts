/**
 * The chat's conversation on the SDK's one entry, `run(agent, state, options)`: each prompt is a run over
 * the conversation so far; calls that need approval interrupt it and are decided on the library's path
 * (`state.approve` / `state.reject`, then `run(agent, state)` resumes); after a handoff the next prompt
 * goes to the agent that took over.
 *
 * @module
 */
import type { AgentMessage } from '../../agent/config.js';
import { type AgentDefinition, defineAgent } from '../../agent/definition.js';
import type { AgentEvent, AgentRunResult } from '../../agent/events.js';
import { historyEntries } from '../../agent/loop-state.js';
import { run } from '../../agent/run.js';
import type { PendingCall, RunLogEntry } from '../../agent/run-log.js';
import { RunState } from '../../agent/run-state.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Tool } from '../../tools/tool.js';
import type { ToolSource } from '../../tools/tool-source.js';
import type { UserMessage } from '../../types/message.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';

/** What the chat shows and slash commands read: the current agent's model, prompt, tools and the transcript. */
export interface ChatAgentState {
  systemPrompt: string | undefined;
  model: Model;
  tools: readonly (Tool<unknown> | ToolSource<unknown>)[];
  messages: readonly AgentMessage[];
}

/**
 * What the chat needs from its conversation (a {@link ChatRunner}; the library's stateful `Agent` has the
 * same shape).
 */
export interface ChatAgent {
  readonly state: ChatAgentState;
  /** Adds a listener of every event; returns a function that removes it. */
  subscribe(listener: (event: AgentEvent) => void | Promise<void>): () => void;
  /** Runs one prompt to its end. */
  prompt(text: string): Promise<AgentRunResult>;
  /** Aborts the running prompt, if any. */
  abort(): void;
  /** Forgets the conversation. */
  reset(): void;
  /** Replaces the transcript (`/load`). */
  replaceMessages(messages: AgentMessage[]): void;
  /** Replaces the system prompt (`/load` of a conversation saved with one). */
  setSystemPrompt(systemPrompt: string | undefined): void;
  /** Switches the model (`/model NAME`). */
  setModel(model: Model): void;
}

/** Decides one interrupted call (the CLI asks at the terminal). */
export type ChatDecide = (call: PendingCall) => Promise<{ approved: boolean; message?: string }>;

/** Options of a {@link ChatRunner}. */
export interface ChatRunnerOptions {
  /** The agent the chat starts with (and returns to on `/reset`). */
  agent: AgentDefinition;
  /** The conversation so far (`chat --resume`). @default [] */
  messages?: AgentMessage[];
  /** Model calls allowed per prompt. @default 20 (the run's default) */
  maxTurns?: number;
  /** Per-call options: `apiKey`, `maxTokens`, `temperature`, retries and time limits. */
  streamOptions?: Omit<StreamOptions, 'signal'>;
  /** Decides calls that need approval; without it an interrupted prompt ends as it is. */
  decide?: ChatDecide;
}

/** A conversation of runs: see the module comment. One prompt at a time. */
export class ChatRunner implements ChatAgent {
  readonly #root: AgentDefinition;
  readonly #options: ChatRunnerOptions;
  #current: AgentDefinition;
  #messages: AgentMessage[];
  #model: Model | undefined;
  #systemPrompt: { value: string | undefined } | undefined;
  #listeners: ((event: AgentEvent) => void | Promise<void>)[] = [];
  #settled: ((entries: RunLogEntry[], runId: string) => Promise<void>)[] = [];
  #controller: AbortController | undefined;

  constructor(options: ChatRunnerOptions) {
    this.#options = options;
    this.#root = options.agent;
    this.#current = options.agent;
    this.#messages = [...(options.messages ?? [])];
  }

  /** The current agent (after a handoff, the one that took over), as the chat shows it. */
  get state(): ChatAgentState {
    const agent = this.#effective();
    return {
      systemPrompt: typeof agent.instructions === 'string' ? agent.instructions : undefined,
      model: agent.model,
      tools: agent.tools ?? [],
      messages: this.#messages,
    };
  }

  /** Name of the agent the next prompt goes to. */
  get agentName(): string {
    return this.#current.name;
  }

  subscribe(listener: (event: AgentEvent) => void | Promise<void>): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Calls `listener` once a prompt has ended (after every resume), before `prompt()` resolves, with the
   * log entries the prompt wrote (its input, answers, tool results, interruptions, decisions, handoffs).
   */
  onSettled(listener: (entries: RunLogEntry[], runId: string) => Promise<void>): void {
    this.#settled.push(listener);
  }

  /**
   * Runs one prompt: `run(agent, state)` over the conversation and the prompt, resumed after each
   * interruption once `decide` answered its calls.
   * @throws {InvalidArgumentError} when a prompt is already running.
   */
  async prompt(text: string): Promise<AgentRunResult> {
    if (this.#controller)
      throw new InvalidArgumentError('A prompt is already running.', { argument: 'prompt' });
    const controller = new AbortController();
    this.#controller = controller;
    try {
      return await this.#prompt(text, controller.signal);
    } finally {
      this.#controller = undefined;
    }
  }

  async #prompt(text: string, signal: AbortSignal): Promise<AgentRunResult> {
    const agent = this.#effective();
    const runId = globalThis.crypto.randomUUID();
    const user: UserMessage = { role: 'user', content: text, timestamp: Date.now() };
    const prompt: RunLogEntry = { type: 'input', runId, turn: 0, agent: agent.name, message: user };
    let state = RunState.fromEntries(agent.name, [...historyEntries(this.#messages), prompt], runId);
    this.#messages.push(user);
    const options = {
      signal,
      ...(this.#options.maxTurns !== undefined && { maxTurns: this.#options.maxTurns }),
      ...(this.#options.streamOptions !== undefined && { streamOptions: this.#options.streamOptions }),
    };
    let result: AgentRunResult & { lastAgent?: AgentDefinition<never> };
    for (;;) {
      const running = run(agent, state, options);
      for await (const event of running) {
        if (event.type === 'message_end' && (event.agentPath?.length ?? 1) <= 1)
          this.#messages.push(event.message);
        for (const listener of this.#listeners) await listener(event);
      }
      result = await running;
      const decide = this.#options.decide;
      if (result.status !== 'interrupted' || !decide || signal.aborted) break;
      for (const call of result.interruptions) {
        const decision = await decide(call);
        if (decision.approved) result.state.approve(call);
        else result.state.reject(call, decision.message !== undefined ? { message: decision.message } : {});
      }
      state = result.state;
    }
    if (result.lastAgent && result.lastAgent.name !== agent.name)
      this.#current = result.lastAgent as AgentDefinition;
    const entries = result.state.entries.filter((e) => e.runId === runId);
    for (const listener of this.#settled) await listener(entries, runId);
    return result;
  }

  abort(): void {
    this.#controller?.abort();
  }

  reset(): void {
    this.#messages = [];
    this.#current = this.#root;
  }

  replaceMessages(messages: AgentMessage[]): void {
    this.#messages = [...messages];
  }

  setSystemPrompt(systemPrompt: string | undefined): void {
    this.#systemPrompt = { value: systemPrompt };
  }

  setModel(model: Model): void {
    this.#model = model;
  }

  /** The current agent with the chat's `/model` and `/load` changes applied. */
  #effective(): AgentDefinition {
    const base = this.#current;
    if (this.#model === undefined && this.#systemPrompt === undefined) return base;
    const { kind: _kind, instructions, ...rest } = base;
    const system = this.#systemPrompt;
    const chosen = system ? system.value : instructions;
    return defineAgent({
      ...rest,
      ...(this.#model !== undefined && { model: this.#model }),
      ...(chosen !== undefined && { instructions: chosen }),
    }) as AgentDefinition;
  }
}
