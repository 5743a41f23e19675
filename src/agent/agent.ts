import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { Tool, ToolSource } from '../tools/index.js';
import type { ImageContent, TextContent } from '../types/content.js';
import type { AssistantMessage, Message, ToolResultMessage, UserMessage } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { ReasoningLevel } from '../types/options.js';
import type { AgentLoopConfig, AgentMessage } from './config.js';
import type { AgentEvent, AgentRunResult } from './events.js';
import { agentLoop, type RunObserver } from './loop.js';
import { MessageQueue, type QueueMode } from './queue.js';
import { applyPostHooks } from './tool-batch.js';

/** A tool result computed by the caller in manual tool mode. */
export interface SubmittedToolResult {
  /** Id of the pending tool call it answers. */
  toolCallId: string;
  /** Result text, or text and image parts. */
  content: string | (TextContent | ImageContent)[];
  /** The tool failed or was refused. @default false */
  isError?: boolean;
}

/** Options of an {@link Agent}: the loop's options plus the starting transcript and queue mode. */
export interface AgentOptions<Ctx = unknown>
  extends Omit<AgentLoopConfig<Ctx>, 'getSteeringMessages' | 'getFollowUpMessages'> {
  /** Starting transcript. @default [] */
  messages?: AgentMessage[];
  /** Delivery of steering and follow-up messages. @default 'one-at-a-time' */
  queueMode?: QueueMode;
  /** Reasoning level for every model call (overrides `streamOptions.reasoning`). */
  reasoning?: ReasoningLevel;
  /** The agent's name in events and run logs. @default 'agent' */
  name?: string;
  /** See every event of every run (besides `subscribe` listeners, which are awaited). */
  observers?: RunObserver[];
}

/** A listener of agent events; awaited in order, so a slow listener slows the agent (on purpose). */
export type AgentListener = (event: AgentEvent) => void | Promise<void>;

/** Read-only view of an agent's state. */
export interface AgentState {
  systemPrompt: string | undefined;
  model: Model;
  reasoning: ReasoningLevel | undefined;
  tools: readonly (Tool<unknown> | ToolSource<unknown>)[];
  messages: readonly AgentMessage[];
  /** True while a run is in progress. */
  isStreaming: boolean;
  /**
   * The partial assistant message while a model call streams (the live object of the last
   * `message_update`: read it, do not mutate it); `undefined` between calls and when idle.
   */
  streamingMessage: AssistantMessage | undefined;
  /** Ids of tool calls currently executing. */
  pendingToolCalls: ReadonlySet<string>;
  /** The error that ended the last run, if it failed. */
  lastError: SdkError | undefined;
}

function toUser(input: string | UserMessage): UserMessage {
  return typeof input === 'string' ? { role: 'user', content: input, timestamp: Date.now() } : input;
}

/**
 * A stateful agent over {@link agentLoop}: keeps the transcript, runs prompts, and lets another task
 * steer, queue follow-ups, or abort. One run at a time.
 */
export class Agent<Ctx = unknown> {
  #options: AgentOptions<Ctx>;
  #messages: AgentMessage[];
  #listeners: AgentListener[] = [];
  #steering: MessageQueue;
  #followUps: MessageQueue;
  #controller: AbortController | undefined;
  #running: Promise<AgentRunResult> | undefined;
  #pending = new Set<string>();
  #lastError: SdkError | undefined;
  #streamingMessage: AssistantMessage | undefined;

  constructor(options: AgentOptions<Ctx>) {
    this.#options = { ...options };
    this.#messages = [...(options.messages ?? [])];
    this.#steering = new MessageQueue(options.queueMode);
    this.#followUps = new MessageQueue(options.queueMode);
  }

  /** The current state (a snapshot of the fields; `messages` is the live array, do not mutate it). */
  get state(): AgentState {
    return {
      systemPrompt: this.#options.systemPrompt,
      model: this.#options.model,
      reasoning: this.#options.reasoning,
      tools: this.#options.tools ?? [],
      messages: this.#messages,
      isStreaming: this.#running !== undefined,
      streamingMessage: this.#streamingMessage,
      pendingToolCalls: new Set(this.#pending),
      lastError: this.#lastError,
    };
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: AgentListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Runs one or more prompts to the end of the run.
   * @throws {InvalidArgumentError} when a run is already in progress (use `steer` or `followUp`).
   */
  prompt(input: string | UserMessage | (string | UserMessage)[]): Promise<AgentRunResult> {
    const prompts = Array.isArray(input) ? input : [input];
    return this.#start(prompts.map(toUser));
  }

  /**
   * Continues from the transcript without a new prompt: after manual tool results, or after a failed or
   * aborted turn, which it retries (the failed answer stays in the transcript; requests leave it out).
   * @throws {InvalidArgumentError} when the last message is a finished answer.
   */
  continue(): Promise<AgentRunResult> {
    const last = this.#messages.findLast((m) => m.role !== 'custom');
    const failed =
      last?.role === 'assistant' && (last.stopReason === 'error' || last.stopReason === 'aborted');
    if (!last || (last.role === 'assistant' && !failed)) {
      throw new InvalidArgumentError(
        'continue() needs a user message, a tool result or a failed turn (which it retries) as the last message.',
        { argument: 'messages' },
      );
    }
    return this.#start([]);
  }

  /** Delivers a message after the current tool batch; the batch's calls not yet started are skipped. */
  steer(message: string | UserMessage): void {
    this.#steering.push(toUser(message));
  }

  /** Delivers a message when the agent would otherwise stop. */
  followUp(message: string | UserMessage): void {
    this.#followUps.push(toUser(message));
  }

  /** Aborts the current run at once (closes the HTTP stream, aborts running tools). Idempotent; safe from any task. */
  abort(): void {
    this.#controller?.abort();
  }

  /** Resolves when no run is in progress. */
  async waitForIdle(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }

  /** Aborts any run and clears the transcript, the queues and the last error. */
  reset(): void {
    this.abort();
    this.#messages = [];
    this.#steering.clear();
    this.#followUps.clear();
    this.#lastError = undefined;
  }

  /** Replaces the transcript (e.g. after loading a saved session). */
  replaceMessages(messages: AgentMessage[]): void {
    this.#messages = [...messages];
  }

  /** Adds messages to the transcript as they are (no hooks); call `continue()` to go on. */
  appendMessages(messages: Message[]): void {
    this.#messages.push(...messages);
  }

  /**
   * Manual tool mode: adds the results you computed for pending tool calls, after passing each through the
   * `PostToolUse` (or, for `isError`, `PostToolUseFailure`) hooks, so hooks still apply. Then call
   * `continue()`. Results for ids that are not tool calls of the last assistant message are refused.
   * @throws {InvalidArgumentError} for an unknown `toolCallId` or while a run is in progress.
   */
  async submitToolResults(results: SubmittedToolResult[]): Promise<void> {
    if (this.#running)
      throw new InvalidArgumentError('Wait for the run to end before submitting tool results.', {
        argument: 'results',
      });
    const last = this.#messages.findLast((m) => m.role === 'assistant');
    const calls = last?.role === 'assistant' ? last.content.filter((b) => b.type === 'toolCall') : [];
    const signal = new AbortController().signal;
    for (const submitted of results) {
      const call = calls.find((c) => c.id === submitted.toolCallId);
      if (!call) {
        throw new InvalidArgumentError(
          `No pending tool call has id ${JSON.stringify(submitted.toolCallId)}.`,
          { argument: 'toolCallId' },
        );
      }
      let message: ToolResultMessage = {
        role: 'toolResult',
        toolCallId: call.id,
        toolName: call.name,
        content:
          typeof submitted.content === 'string'
            ? [{ type: 'text', text: submitted.content }]
            : submitted.content,
        isError: submitted.isError ?? false,
        timestamp: Date.now(),
      };
      message = await applyPostHooks(
        this.#options.hooks,
        message,
        call.arguments,
        this.#messages.filter((m): m is Message => m.role !== 'custom'),
        signal,
        (event) => this.#emit({ ...event, runId: '', agent: this.#options.name ?? 'agent', turn: 0 }),
      );
      this.#messages.push(message);
    }
  }

  async #emit(event: AgentEvent): Promise<void> {
    for (const listener of this.#listeners) await listener(event);
  }

  setModel(model: Model): void {
    this.#options.model = model;
  }
  setTools(tools: Tool<unknown, Ctx>[]): void {
    this.#options.tools = tools;
  }
  setSystemPrompt(systemPrompt: string | undefined): void {
    this.#options.systemPrompt = systemPrompt;
  }
  setToolExecution(mode: 'parallel' | 'sequential'): void {
    this.#options.toolExecution = mode;
  }
  setReasoning(reasoning: ReasoningLevel | undefined): void {
    this.#options.reasoning = reasoning;
  }
  setQueueMode(mode: QueueMode): void {
    this.#steering.mode = mode;
    this.#followUps.mode = mode;
  }

  #start(prompts: UserMessage[]): Promise<AgentRunResult> {
    if (this.#running) {
      throw new InvalidArgumentError(
        'The agent is already running; use steer() or followUp(), or await waitForIdle().',
        {
          argument: 'prompt',
        },
      );
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.#lastError = undefined;
    const running = this.#run(prompts, controller).finally(() => {
      this.#running = undefined;
      this.#controller = undefined;
      this.#pending.clear();
      this.#streamingMessage = undefined;
    });
    this.#running = running;
    return running;
  }

  async #run(prompts: UserMessage[], controller: AbortController): Promise<AgentRunResult> {
    const { messages: _m, queueMode: _q, reasoning, name, observers, ...config } = this.#options;
    const run = agentLoop<Ctx>({
      prompts,
      messages: this.#messages,
      signal: controller.signal,
      ...(name !== undefined && { agentName: name }),
      ...(observers !== undefined && { observers }),
      // Assignments, not a literal that starts with a spread (docs/architecture.md, "Hot paths").
      config: Object.assign(config, {
        streamOptions: Object.assign({}, config.streamOptions, reasoning !== undefined && { reasoning }),
        getSteeringMessages: () => this.#steering.take(),
        getFollowUpMessages: () => this.#followUps.take(),
      }),
    });
    for await (const event of run) {
      if (event.type === 'message_update') this.#streamingMessage = event.message;
      else if (event.type === 'message_end') {
        this.#streamingMessage = undefined;
        this.#messages.push(event.message);
      } else if (event.type === 'tool_execution_start') this.#pending.add(event.toolCallId);
      else if (event.type === 'tool_execution_end') this.#pending.delete(event.toolCallId);
      // No subscriber: no promise per event.
      if (this.#listeners.length > 0) await this.#emit(event);
    }
    const result = await run.result();
    this.#lastError = result.error;
    return result;
  }
}
