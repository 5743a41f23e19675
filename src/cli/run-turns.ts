import type { AgentDefinition } from '../agent/definition.js';
import { historyEntries } from '../agent/loop-state.js';
import type { RunSession } from '../agent/run.js';
import {
  type AgentEvent,
  type AgentRunResult,
  type AssistantEvent,
  type AssistantMessage,
  addUsage,
  type Context,
  defineAgent,
  emptyUsage,
  type Hooks,
  MaxTurnsError,
  type Message,
  type Model,
  OutputValidationError,
  type PendingCall,
  RunState,
  run,
  type StopReason,
  type StreamOptions,
  type Tool,
  type ToolCall,
  type ToolSource,
  type Usage,
} from '../index.js';
import type { JsonSchema } from '../types/tool.js';

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
  /** Hooks of the run's agent (ignored with `agent`, whose definition has its own). */
  hooks?: Hooks;
  /** Earlier messages of the conversation (chat, a repair turn); the run's prompts follow them. @default [] */
  history?: Message[];
  /**
   * The agent to run (`run --agent NAME`: a config agent, with its handoffs). Without it, the run's agent
   * is built from `model`, `context.systemPrompt`, `tools` and `hooks` (named `agent`). With it, those
   * four are ignored and the definition's own apply.
   */
  agent?: AgentDefinition;
  /**
   * A JSON Schema the final answer must match (`run --schema`): the run's agent gets it as `outputType`,
   * so every model call asks for it and an answer that does not match gets repair turns
   * (`output_repair` events) before the run fails (`outputError`).
   */
  outputType?: JsonSchema;
  /** Repair turns after an answer that fails `outputType`. @default 2 (`DEFAULT_OUTPUT_REPAIRS`) */
  outputRepairs?: number;
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
  /** With `--schema`: why the answer does not match it (after the repair turns). */
  outputError?: string;
  /** The agent whose turn it was when the run ended (differs from the first after a handoff). */
  lastAgent?: string;
  /** The session the run was appended to (`run --session`), if any. */
  session?: string;
}

/** The text blocks of an assistant message, joined. */
export function textOf(message: AssistantMessage | undefined): string {
  if (!message) return '';
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** The definition a run without `agent` runs: the model, system prompt, tools and hooks of the input. */
function agentOf(input: RunTurnsInput, tools: (Tool<unknown> | ToolSource<unknown>)[]): AgentDefinition {
  const schema = input.outputType;
  if (input.agent) {
    if (schema === undefined) return input.agent;
    return defineAgent({
      ...input.agent,
      outputType: schema,
      ...(input.outputRepairs !== undefined && { outputRepairs: input.outputRepairs }),
    }) as AgentDefinition;
  }
  return defineAgent({
    name: 'agent',
    model: input.model,
    ...(input.context.systemPrompt !== undefined && { instructions: input.context.systemPrompt }),
    ...(tools.length > 0 && { tools }),
    ...(input.hooks !== undefined && { hooks: input.hooks }),
    ...(schema !== undefined && { outputType: schema }),
    ...(input.outputRepairs !== undefined && { outputRepairs: input.outputRepairs }),
  }) as AgentDefinition;
}

/**
 * Runs the prompt through the SDK's one entry, `run(agent, input | state, options)`: the same runtime as
 * the library (handoffs, structured output with repair turns, interruptions, sessions). Calls that need
 * approval interrupt the run; each is decided by `decide` (`state.approve` / `state.reject`) and the run
 * resumes with `run(agent, state)`. Never throws for run failures: they end the run with the failed call's
 * message (`stopReason` `error` or `aborted`). With a `session`, a store that cannot be read ends the run
 * `error` before anything is sent.
 */
export async function runTurns(input: RunTurnsInput): Promise<RunOutcome> {
  const { signal, ...streamOptions } = input.options;
  const tools = input.tools ?? [];
  const agent = agentOf(input, tools);
  const hasTools = (agent.tools?.length ?? 0) > 0 || (agent.handoffs?.length ?? 0) > 0;
  const options = {
    maxTurns: input.maxTurns,
    streamOptions,
    ...(signal !== undefined && { signal }),
    ...(input.session !== undefined && { session: input.session }),
    // With no tools there is nothing to run: tool calls end the run for the caller to see.
    ...(!hasTools && { toolExecution: 'manual' as const }),
  };
  const prompts = input.context.messages.filter((m) => m.role === 'user');
  const history = input.history ?? [];
  // Earlier messages (a repair turn of `commit`): a state over them and the prompts, continued by run().
  let next: string | Message[] | RunState =
    history.length > 0 && input.session === undefined
      ? RunState.fromEntries(agent.name, historyEntries([...history, ...prompts]))
      : prompts;
  const messages: Message[] = next instanceof RunState ? [...prompts] : [];
  let usage = emptyUsage();
  let result: AgentRunResult & { lastAgent?: AgentDefinition<never> };
  for (;;) {
    const running = run(agent, next as Parameters<typeof run>[1], options);
    for await (const event of running) dispatch(input, event);
    result = await running;
    // Nothing was sent (a session store that cannot be read): a setup failure, as before run().
    if (result.status === 'failed' && result.messages.length === 0 && result.error) throw result.error;
    messages.push(...(result.messages as Message[]));
    usage = addUsage(usage, result.usage);
    if (result.status !== 'interrupted' || !input.decide || signal?.aborted) break;
    for (const call of result.interruptions) {
      const decision = await input.decide(call);
      if (decision.approved) result.state.approve(call);
      else result.state.reject(call, decision.message !== undefined ? { message: decision.message } : {});
    }
    next = result.state;
  }
  return outcomeOf(input, result, { messages, usage, hasTools });
}

/** The CLI's outcome of a finished `run()`. */
function outcomeOf(
  input: RunTurnsInput,
  result: AgentRunResult & { lastAgent?: AgentDefinition<never> },
  run: { messages: Message[]; usage: Usage; hasTools: boolean },
): RunOutcome {
  const last = result.lastMessage;
  const toolCalls = last?.content.filter((b): b is ToolCall => b.type === 'toolCall') ?? [];
  let ending: RunEnding = { kind: 'finished' };
  if (MaxTurnsError.isInstance(result.error)) ending = { kind: 'max_turns', toolCalls };
  else if (last?.stopReason === 'toolUse' && !run.hasTools) {
    ending =
      result.turns >= input.maxTurns ? { kind: 'max_turns', toolCalls } : { kind: 'no_tools', toolCalls };
  }
  // A run aborted during a tool call ends `aborted`, even though its last message asked for tools.
  const stopReason = result.status === 'aborted' ? 'aborted' : (last?.stopReason ?? result.stopReason);
  // An answer that failed the schema after its repairs is `outputError`, not a failed call.
  const invalid = OutputValidationError.isInstance(result.error) ? result.error : undefined;
  const failure = invalid ? undefined : result.error?.message;
  const lastAgent = result.lastAgent?.name;
  return {
    messages: run.messages,
    stopReason,
    ...(last?.errorMessage !== undefined && { errorMessage: last.errorMessage }),
    ...(last?.errorMessage === undefined && failure !== undefined && { errorMessage: failure }),
    usage: run.usage,
    text: textOf(last),
    turns: result.turns,
    ending,
    ...(input.outputType !== undefined && result.status === 'completed' && { output: result.output }),
    ...(invalid !== undefined && { outputError: invalid.issues }),
    ...(lastAgent !== undefined && input.agent !== undefined && { lastAgent }),
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
