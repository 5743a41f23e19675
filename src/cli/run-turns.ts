import type { RunSession } from '../agent/run.js';
import { openSession } from '../agent/session-log.js';
import {
  type AgentEvent,
  type AgentLoopConfig,
  type AgentRunResult,
  type AssistantEvent,
  type AssistantMessage,
  addUsage,
  agentLoop,
  type Context,
  emptyUsage,
  type Hooks,
  MaxTurnsError,
  type Message,
  type Model,
  type PendingCall,
  type RunState,
  type StopReason,
  type StreamOptions,
  type Tool,
  type ToolCall,
  type ToolSource,
  type Usage,
} from '../index.js';

/** Input of {@link runTurns}. */
export interface RunTurnsInput {
  /** The model to call. */
  model: Model;
  /** System prompt and the messages that start the run (the user prompt). */
  context: Context;
  /** Options of every model call (`signal` aborts the run). */
  options: StreamOptions;
  /** Model calls allowed in this run (the agent loop's `maxTurns`); tool calls of the last allowed call are not executed. */
  maxTurns: number;
  /**
   * Tools and tool sources (MCP servers, listed before every model call). Without any, a run is one model
   * call and tool calls are returned unexecuted.
   */
  tools?: (Tool<unknown> | ToolSource<unknown>)[];
  /**
   * The session to load the conversation from and append every checkpoint to (`run --session`). Its
   * entries replace `history`. Opening it may throw the store's `SessionStoreError`.
   */
  session?: RunSession;
  /** Sees every agent event as it is (the one channel: model events, retries, tools, interruptions). */
  onAgentEvent?: (event: AgentEvent) => void;
  /** Sees every event of every model call, with the 1-based turn number (a filter over `onAgentEvent`). */
  onEvent?: (event: AssistantEvent, turn: number) => void;
  /** Sees `tool_execution_start` and `tool_execution_end`, with the turn whose calls they run. */
  onToolEvent?: (event: ToolExecutionEvent, turn: number) => void;
  /**
   * Decides the calls of tools that need approval (`needsApproval`): the run stops at them
   * (`interrupted`), each is decided here, and the run resumes from its state. Without it, an interrupted
   * run ends as it is.
   */
  decide?: (call: PendingCall) => Promise<{ approved: boolean; message?: string }>;
  /** Hooks (the CLI's approval prompt is a `PreToolUse` hook). */
  hooks?: Hooks;
  /** Earlier messages of the conversation (chat, a repair turn); the run's prompts follow them. @default [] */
  history?: Message[];
}

/** The tool events the CLI prints. */
export type ToolExecutionEvent = Extract<AgentEvent, { type: 'tool_execution_start' | 'tool_execution_end' }>;

/**
 * Why the run stopped: the model finished (or failed), the turn limit was reached while the model asked
 * for tools, or the model asked for tools that this run cannot execute.
 */
export type RunEnding =
  | { kind: 'finished' }
  | { kind: 'max_turns'; toolCalls: ToolCall[] }
  | { kind: 'no_tools'; toolCalls: ToolCall[] };

/** The outcome of {@link runTurns}. */
export interface RunOutcome {
  /** Every message of the run in order: the starting messages, then each assistant message and tool result. */
  messages: Message[];
  /** Stop reason of the last assistant message. */
  stopReason: StopReason;
  /** `errorMessage` of the last assistant message, for `error` and `aborted`. */
  errorMessage?: string;
  /** Usage summed over every model call. */
  usage: Usage;
  /** Text of the last assistant message ('' when none). */
  text: string;
  /** Number of model calls made. */
  turns: number;
  /** Why the run stopped. */
  ending: RunEnding;
  /** With `--schema`: the answer's JSON value, validated. */
  output?: unknown;
  /** With `--schema`: why the answer does not match it. */
  outputError?: string;
  /** The session the run was appended to (`run --session`), if any. */
  session?: string;
}

/** The text blocks of an assistant message, joined. */
export function textOf(message: AssistantMessage | undefined): string {
  if (!message) return '';
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/**
 * Runs the prompt through the agent loop (`agentLoop`, the same engine as the library's facades). Never
 * throws for run failures: they end the run with the failed call's message (`stopReason` `error` or
 * `aborted`). With a `session`, a store that cannot be read rejects before anything is sent.
 */
export async function runTurns(input: RunTurnsInput): Promise<RunOutcome> {
  const { signal, ...streamOptions } = input.options;
  const tools = input.tools ?? [];
  const config: AgentLoopConfig = {
    model: input.model,
    maxTurns: input.maxTurns,
    streamOptions,
    tools,
    // With no tools there is nothing to run: tool calls end the run for the caller to see.
    autoExecuteTools: tools.length > 0,
    ...(input.hooks !== undefined && { hooks: input.hooks }),
    ...(input.context.systemPrompt !== undefined && { systemPrompt: input.context.systemPrompt }),
  };
  const prompts = input.context.messages.filter((m) => m.role === 'user');
  const messages: Message[] = [];
  let usage = emptyUsage();
  const opened = input.session ? await openSession(input.session, 'agent', undefined, true) : undefined;
  let runState: RunState | undefined = opened?.state;
  let first = true;
  let result: AgentRunResult;
  for (;;) {
    const run = agentLoop({
      prompts: first ? prompts : [],
      messages: input.history ?? [],
      config,
      ...(runState !== undefined && { runState }),
      ...(opened !== undefined && { persist: opened.persist }),
      ...(signal !== undefined && { signal }),
    });
    first = false;
    for await (const event of run) dispatch(input, event);
    result = await run.result();
    messages.push(...result.messages);
    usage = addUsage(usage, result.usage);
    if (result.status !== 'interrupted' || !input.decide || signal?.aborted) break;
    for (const call of result.interruptions) {
      const decision = await input.decide(call);
      if (decision.approved) result.state.approve(call);
      else result.state.reject(call, decision.message !== undefined ? { message: decision.message } : {});
    }
    runState = result.state;
  }
  const last = result.lastMessage;
  const toolCalls = last?.content.filter((b): b is ToolCall => b.type === 'toolCall') ?? [];
  let ending: RunEnding = { kind: 'finished' };
  if (MaxTurnsError.isInstance(result.error)) ending = { kind: 'max_turns', toolCalls };
  else if (last?.stopReason === 'toolUse' && tools.length === 0) {
    ending =
      result.turns >= input.maxTurns ? { kind: 'max_turns', toolCalls } : { kind: 'no_tools', toolCalls };
  }
  // A run aborted during a tool call ends `aborted`, even though its last message asked for tools.
  const stopReason = result.status === 'aborted' ? 'aborted' : (last?.stopReason ?? result.stopReason);
  return {
    messages,
    stopReason,
    ...(last?.errorMessage !== undefined && { errorMessage: last.errorMessage }),
    ...(last?.errorMessage === undefined &&
      result.error !== undefined && { errorMessage: result.error.message }),
    usage,
    text: textOf(last),
    turns: result.turns,
    ending,
    ...(input.session !== undefined && { session: input.session.id }),
  };
}

/** Hands an agent event to the input's listeners, as it is and (for the older listeners) unwrapped. */
function dispatch(input: RunTurnsInput, event: AgentEvent): void {
  input.onAgentEvent?.(event);
  if (event.type === 'message_update') input.onEvent?.(event.event, event.turn);
  else if (event.type === 'tool_execution_start' || event.type === 'tool_execution_end') {
    input.onToolEvent?.(event, event.turn);
  }
}
