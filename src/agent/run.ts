import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { MultiController } from '../multi/controller.js';
import type { MultiRunOptions } from '../multi/options.js';
import { finishMulti, runHookListener } from '../multi/outcome.js';
import { DEFAULT_OUTPUT_REPAIRS, type FinalOutputStep } from '../output/final-output.js';
import { compileOutput } from '../output/schema.js';
import type { StreamFunction } from '../providers/registry.js';
import type { SessionStore } from '../sessions/store.js';
import { ResultStream } from '../stream/result-stream.js';
import type { AssistantMessage, Message, UserMessage } from '../types/message.js';
import type { ResponseFormat, StreamOptions } from '../types/options.js';
import type { AgentLoopConfig } from './config.js';
import type { AgentDefinition } from './definition.js';
import type { AgentEvent, AgentRunResult } from './events.js';
import { type AgentLoopInput, loopEvents, newResult, type RunObserver } from './loop.js';
import { RunState } from './run-state.js';
import { openSession } from './session-log.js';

/** A session to load the conversation from and write every checkpoint to. */
export interface RunSession {
  /** The store (`MemoryStore`, `JsonlFileStore`, `RedisStore`, or your own `SessionStore`). */
  store: SessionStore;
  /** The session's id (1 to 256 characters). */
  id: string;
}

/** How one run goes; who the agent is comes from its definition. Multi-agent options: {@link MultiRunOptions}. */
export interface RunOptions<Ctx = unknown> extends MultiRunOptions<Ctx> {
  /** Most model calls of this run, counted across resumes. @default 20 */
  maxTurns?: number;
  /** Aborts the run: the HTTP stream closes at once and running tools get the abort. */
  signal?: AbortSignal;
  /** The app's own context object, handed to tools, `instructions` and tool sources. Never serialized. */
  context?: Ctx;
  /** Load the conversation from a session and append each checkpoint to it (one store write per checkpoint). */
  session?: RunSession;
  /** See every event of the run, whoever iterates (tracing, logs). Called in order; errors are ignored. */
  observers?: readonly RunObserver[];
  /**
   * How tool calls run: `parallel` (calls of one batch concurrently), `sequential`, or `manual` (every call
   * is an interruption: the run ends `interrupted` and you answer the calls). @default 'parallel', or
   * `sequential` when a called tool says so
   */
  toolExecution?: 'parallel' | 'sequential' | 'manual';
  /** Per-call options that are about this run, not the agent: `apiKey`, `timeouts`, `retry`, `fetch`, `headers`. */
  streamOptions?: Omit<StreamOptions, 'signal'>;
  /** The provider call. @default stream (by `model.api`) */
  streamFn?: StreamFunction;
  /** Messages to deliver after the current tool batch (steering). */
  getSteeringMessages?: AgentLoopConfig<Ctx>['getSteeringMessages'];
  /** Messages to deliver when the agent would otherwise stop (follow-ups). */
  getFollowUpMessages?: AgentLoopConfig<Ctx>['getFollowUpMessages'];
}

/** What `await run(...)` gives: the run's result plus the fields ported code expects from OpenAI Agents JS. */
export interface RunOutcome<Out = string> extends AgentRunResult {
  /**
   * When the run completed: the parsed, validated output for an agent with `outputType`, else the text
   * of the last assistant message; `undefined` otherwise.
   */
  finalOutput: Out | undefined;
  /** The messages this run added (same array as `messages`). */
  newMessages: Message[];
  /** The agent whose turn it was when the run ended (a handoff target, after handoffs). */
  lastAgent: AgentDefinition<never>;
}

/** What a run's input may be: a prompt, several, or a saved state to resume (`[]` continues a session). */
export type RunInput = string | UserMessage | (string | UserMessage)[] | RunState;

/**
 * A running agent: `for await (const event of result)` reads its events, and `await result` (or
 * `result.result()`) its {@link RunOutcome}. Lazy: nothing runs until one of them is used. To read both,
 * iterate first and await after (awaiting alone drains the events, which can then not be iterated).
 */
export class RunResult<Out = string>
  extends ResultStream<AgentEvent, RunOutcome<Out>>
  implements PromiseLike<RunOutcome<Out>>
{
  /** Makes the run awaitable: resolves to its {@link RunOutcome} once it ended. Never rejects. */
  // biome-ignore lint/suspicious/noThenProperty: a run is awaitable on purpose (OpenAI Agents JS shape).
  then<A = RunOutcome<Out>, B = never>(
    onFulfilled?: ((value: RunOutcome<Out>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onFulfilled, onRejected);
  }
}

/**
 * Runs an agent definition: the one entry of the SDK (OpenAI Agents JS: `run(agent, input, options)`).
 *
 * - `input` is a prompt (or several), or a {@link RunState} to resume: after approving or rejecting its
 *   interruptions, or after a crash (the log's last checkpoint; calls that have a result never run again).
 * - With `session`, the session's log is loaded first; `[]` as input resumes its unfinished run, if any.
 *
 * Never throws for run failures: they end the run (`status` `failed`/`aborted`, `error`). Argument errors
 * (a state whose agent is another one) throw at once.
 *
 * @throws {InvalidArgumentError} when `input` is a state saved by another agent than `agent`.
 */
export function run<Ctx = unknown, Out = string>(
  agent: AgentDefinition<Ctx, Out>,
  input: RunInput,
  options: RunOptions<Ctx> = {},
): RunResult<Out> {
  const resume = input instanceof RunState ? input : undefined;
  const controller = new MultiController(agent, options, undefined);
  if (resume && !controller.knows(resume.agentName)) {
    throw new InvalidArgumentError(
      `This run state belongs to agent "${resume.agentName}", which is neither "${agent.name}" nor reachable from it through handoffs or agents used as tools.`,
      { argument: 'agent' },
    );
  }
  const multi = resume ? new MultiController(agent, options, resume) : controller;
  const prompts = resume ? [] : Array.isArray(input) ? input : [input as string | UserMessage];
  const result = newResult() as RunOutcome<Out>;
  const observers = options.observers ?? [];
  const eventHook = runHookListener(options.runHooks, multi);
  const base: AgentLoopInput<Ctx> = {
    prompts,
    messages: [],
    config: multi.configFor(multi.current),
    agentName: multi.current.name,
    controller: multi,
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(observers.length > 0 && { observers }),
    ...(eventHook !== undefined && { eventHook }),
  };
  const events = async function* (): AsyncGenerator<AgentEvent | AgentEvent[], void, undefined> {
    let loopInput = base;
    try {
      loopInput = await withSession(base, resume, options.session);
    } catch (error) {
      yield* setupFailed(result, agent.name, error);
      return;
    }
    yield* loopEvents(loopInput, result);
  };
  return new RunResult<Out>(
    events(),
    (e) => e.type === 'agent_end' && e.result === result,
    () => finishMulti(outcome(result, agent), multi, options),
  );
}

async function withSession<Ctx>(
  input: AgentLoopInput<Ctx>,
  resume: RunState | undefined,
  session: RunSession | undefined,
): Promise<AgentLoopInput<Ctx>> {
  if (!session) return resume ? { ...input, runState: resume } : input;
  const opened = await openSession(session, input.agentName ?? 'agent', resume, input.prompts.length > 0);
  return { ...input, runState: opened.state, persist: opened.persist, sessionId: session.id };
}

async function* setupFailed(
  result: AgentRunResult,
  agent: string,
  error: unknown,
): AsyncGenerator<AgentEvent> {
  result.error = SdkError.isInstance(error)
    ? error
    : new SdkError(error instanceof Error ? error.message : String(error));
  result.status = 'failed';
  result.state = new RunState({ agentName: agent, status: 'failed' });
  result.runId = result.state.runId;
  const meta = { runId: result.runId, agent, turn: 0 };
  yield { type: 'error', error: result.error, ...meta };
  yield { type: 'agent_end', result, ...meta };
}

function outcome<Ctx, Out>(result: RunOutcome<Out>, agent: AgentDefinition<Ctx, Out>): RunOutcome<Out> {
  result.newMessages = result.messages;
  result.lastAgent = agent as unknown as AgentDefinition<never>;
  const final = agent.outputType !== undefined ? result.output : textOf(result.lastMessage);
  result.finalOutput = result.status === 'completed' ? (final as Out) : undefined;
  return result;
}

function textOf(message: AssistantMessage | undefined): string | undefined {
  if (!message) return undefined;
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text;
}

/** The loop's config: the definition's fields plus this run's options. */
export function loopConfig<Ctx>(
  agent: AgentDefinition<Ctx, unknown>,
  options: RunOptions<Ctx>,
): AgentLoopConfig<Ctx> {
  const { instructions } = agent;
  const mode = options.toolExecution;
  const structured = outputSettings(agent);
  return {
    model: agent.model,
    ...(agent.tools !== undefined && { tools: agent.tools as AgentLoopConfig<Ctx>['tools'] }),
    ...(agent.hooks !== undefined && { hooks: agent.hooks }),
    ...(typeof instructions === 'string' && { systemPrompt: instructions }),
    ...(typeof instructions === 'function' && { instructions }),
    ...(agent.stopWhen !== undefined && { stopWhen: agent.stopWhen }),
    ...(agent.transformContext !== undefined && { transformContext: agent.transformContext }),
    ...(agent.convertToLlm !== undefined && { convertToLlm: agent.convertToLlm }),
    ...(agent.prepareNextTurn !== undefined && { prepareNextTurn: agent.prepareNextTurn }),
    streamOptions: { ...agent.modelSettings, ...structured?.streamOptions, ...options.streamOptions },
    ...(structured && { finalOutput: structured.step }),
    ...(mode === 'manual' && { autoExecuteTools: false }),
    ...((mode === 'parallel' || mode === 'sequential') && { toolExecution: mode }),
    ...(options.maxTurns !== undefined && { maxTurns: options.maxTurns }),
    ...(options.context !== undefined && { context: options.context }),
    ...(options.streamFn !== undefined && { streamFn: options.streamFn }),
    ...(options.getSteeringMessages !== undefined && { getSteeringMessages: options.getSteeringMessages }),
    ...(options.getFollowUpMessages !== undefined && { getFollowUpMessages: options.getFollowUpMessages }),
  };
}

/** The structured-output settings of an agent with `outputType`: the request format and the final step. */
function outputSettings<Ctx>(agent: AgentDefinition<Ctx, unknown>) {
  if (agent.outputType === undefined) return undefined;
  const output = compileOutput(agent.outputType, agent.name);
  const step: FinalOutputStep = { output, repairs: agent.outputRepairs ?? DEFAULT_OUTPUT_REPAIRS, used: 0 };
  const responseFormat: ResponseFormat = {
    type: 'json_schema',
    name: output.name,
    schema: output.jsonSchema,
  };
  return { step, streamOptions: { responseFormat } };
}
