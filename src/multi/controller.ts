import type { AgentLoopConfig, AgentMessage } from '../agent/config.js';
import type { DeferredCall, LoopController } from '../agent/controller.js';
import type { AgentDefinition } from '../agent/definition.js';
import type { AgentEvent, AgentEventBody } from '../agent/events.js';
import type { LoopState } from '../agent/loop-state.js';
import { loopConfig, type RunOptions } from '../agent/run.js';
import {
  type DecisionEntry,
  type HandoffEntry,
  type InterruptionEntry,
  unansweredCalls,
} from '../agent/run-log.js';
import type { RunState } from '../agent/run-state.js';
import {
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  ToolGuardrailTripwireTriggered,
  ToolNotFoundGuardrailError,
} from '../errors/guardrail-errors.js';
import type { Tool } from '../tools/tool.js';
import { isToolSource, type ToolSource } from '../tools/tool-source.js';
import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, ToolResultMessage } from '../types/message.js';
import { asToolOptionsOf, type NestedHost, nestedExecute, restoreNested } from './as-tool.js';
import { nestedAgentOf, reachableAgents } from './graph.js';
import { type Handoff, handoffsOf } from './handoff.js';
import { type HandoffRequest, handoffSource } from './handoff-tools.js';
import {
  guardedExecute,
  guardedSource,
  sourceGuardrailsOf,
  type TripSink,
  toolGuardrailsOf,
} from './tool-guardrails.js';
import { stopBehaviourOf, textOfResults } from './tool-use-behavior.js';

/** The input filter of the last handoff, and where the history it filters ends. */
interface ActiveFilter {
  apply: (history: readonly AgentMessage[]) => AgentMessage[];
  at: number;
}

/**
 * The checkpoints of one multi-agent run: the current agent (handoffs switch it), input and output
 * guardrails, tool guardrail trips, unknown-tool behaviour, and agents used as tools (events, approvals).
 */
export class MultiController<Ctx> implements LoopController<Ctx> {
  readonly root: AgentDefinition<Ctx>;
  readonly pathPrefix: readonly string[];
  /** The agent whose turn it is. */
  current: AgentDefinition<Ctx>;
  /** A final output decided by `toolUseBehavior` (else the last answer's text). */
  finalOutput: string | undefined;
  readonly #options: RunOptions<Ctx>;
  readonly #agents: Map<string, AgentDefinition<never>>;
  readonly #configs = new Map<string, AgentLoopConfig<Ctx>>();
  #handoff: HandoffRequest<Ctx> | undefined;
  #trip: ToolGuardrailTripwireTriggered | undefined;
  #push: ((event: AgentEventBody) => void) | undefined;
  readonly #deferred = new Map<string, DeferredCall>();
  #state: LoopState<Ctx> | undefined;
  /** Input filter of the last handoff, and where the history it filters ends. */
  #filter: ActiveFilter | undefined;

  constructor(root: AgentDefinition<Ctx>, options: RunOptions<Ctx>, resume: RunState | undefined) {
    this.root = root;
    this.#options = options;
    this.pathPrefix = options.agentPathPrefix ?? [];
    this.#agents = reachableAgents(root as AgentDefinition<never>);
    this.current = resume ? this.agent(resume.agentName) : root;
    if (resume) {
      this.#filter = this.#filterFromLog(resume);
      this.#handoff = this.#handoffFromLog(resume);
    }
  }

  /** The definition named `name` in the graph reachable from the root (the root's own name included). */
  agent(name: string): AgentDefinition<Ctx> {
    const found = this.#agents.get(name);
    return (found ?? this.root) as AgentDefinition<Ctx>;
  }

  /** True when `name` is reachable from the root. */
  knows(name: string): boolean {
    return this.#agents.has(name);
  }

  /** The loop config of `agent` (built once per run): its tools bound to this run, handoff tools, filters. */
  configFor(agent: AgentDefinition<Ctx>): AgentLoopConfig<Ctx> {
    const cached = this.#configs.get(agent.name);
    if (cached) return cached;
    const base = loopConfig(agent, this.#options);
    const tools: (Tool<unknown, Ctx> | ToolSource<Ctx>)[] = (agent.tools ?? []).map((t) =>
      isToolSource(t) ? this.#bindSource(t as ToolSource<Ctx>) : this.#bind(t as Tool<unknown, Ctx>),
    );
    const handoffs = handoffsOf(agent);
    if (handoffs.length > 0) tools.push(handoffSource(handoffs, (request) => this.#request(request)));
    const stopWhen =
      agent.toolUseBehavior !== undefined
        ? stopBehaviourOf(agent.toolUseBehavior, this, () => this.#options.context as Ctx)
        : base.stopWhen;
    const own = agent.transformContext;
    const config: AgentLoopConfig<Ctx> = {
      ...base,
      tools: tools as AgentLoopConfig<Ctx>['tools'],
      ...(stopWhen !== undefined && { stopWhen }),
      transformContext: async (messages, signal) => {
        const filter = this.#filter;
        const view = filter
          ? [...filter.apply(messages.slice(0, filter.at)), ...messages.slice(filter.at)]
          : messages;
        return own ? own(view, signal) : view;
      },
    };
    this.#configs.set(agent.name, config);
    return config;
  }

  #bind(tool: Tool<unknown, Ctx>): Tool<unknown, Ctx> {
    const guarded = toolGuardrailsOf(tool);
    const inner = (guarded?.inner ?? tool) as Tool<unknown, Ctx>;
    const nested = nestedAgentOf(inner);
    if (!guarded && !nested) return tool;
    let bound: Tool<unknown, Ctx> = inner;
    if (nested) {
      const options = asToolOptionsOf(inner) ?? {};
      const execute = nestedExecute(nested as AgentDefinition<Ctx>, options as never, this.#host());
      bound = { ...bound, execute };
    }
    if (guarded) {
      bound = { ...bound, execute: guardedExecute(bound, guarded.guardrails as never, this.#sink()) };
    }
    return bound;
  }

  /**
   * A source whose listed tools are bound to this run like the agent's own (their guardrails report trips
   * here, agents used as tools forward events); a source made by `withToolGuardrails` guards every tool.
   */
  #bindSource(source: ToolSource<Ctx>): ToolSource<Ctx> {
    const bind = (t: Tool<unknown, Ctx>) => this.#bind(t);
    const guarded = sourceGuardrailsOf(source);
    if (guarded) {
      const inner = this.#bindSource(guarded.inner as ToolSource<Ctx>);
      return guardedSource(inner, guarded.guardrails as never, this.#sink());
    }
    return {
      kind: 'tool_source',
      name: source.name,
      listTools: async (context) => (await source.listTools(context)).map(bind),
    };
  }

  #sink(): TripSink {
    return (trip) => {
      this.#trip ??= new ToolGuardrailTripwireTriggered(
        `The tool guardrail "${trip.guardrail}" stopped the run at ${trip.toolName} (${trip.phase}).`,
        { ...trip, agent: this.current.name },
      );
    };
  }

  #host(): NestedHost {
    return {
      path: [...this.pathPrefix, this.current.name],
      forward: (event: AgentEvent) => this.#push?.(event as unknown as AgentEventBody),
      saved: (toolCallId) => this.#savedNested(toolCallId),
      defer: (toolCallId, deferral) => {
        this.#deferred.set(toolCallId, deferral);
      },
      options: {
        ...(this.#options.streamFn !== undefined && { streamFn: this.#options.streamFn }),
        ...(this.#options.streamOptions !== undefined && { streamOptions: this.#options.streamOptions }),
      },
    };
  }

  /** The nested state saved for an outer call by the last interruption, with the outer decisions applied. */
  #savedNested(toolCallId: string): RunState | undefined {
    const entries = this.#state?.log.entries ?? [];
    let index = -1;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e?.type === 'model_response') break;
      if (e?.type === 'interruption') {
        index = i;
        break;
      }
    }
    const entry = entries[index] as InterruptionEntry | undefined;
    const saved = (entry?.nested as Record<string, unknown> | undefined)?.[toolCallId];
    if (saved === undefined) return undefined;
    const decisions = entries.slice(index + 1).filter((e): e is DecisionEntry => e.type === 'decision');
    const name = (saved as { agent?: string }).agent ?? '';
    const agent = this.agent(name) as AgentDefinition<never>;
    return restoreNested(agent, saved, decisions);
  }

  #request(request: HandoffRequest<Ctx>): 'accepted' | 'ignored' {
    if (this.#handoff) return 'ignored';
    this.#handoff = request;
    return 'accepted';
  }

  inputGate(state: LoopState<Ctx>): { blocking: boolean; wait(): Promise<void> } | undefined {
    this.#state = state;
    const guardrails = this.root.inputGuardrails ?? [];
    if (guardrails.length === 0 || this.current !== this.root) return undefined;
    const input = state.log.entries
      .filter((e) => e.type === 'input' && e.runId === state.log.runId)
      .map((e) => (e as { message: AgentMessage }).message);
    const context = state.config.context as Ctx;
    const check = async (): Promise<void> => {
      const verdicts = await Promise.all(
        guardrails.map(async (g) => ({
          g,
          v: await g.execute({ agent: this.root as never, input, context }),
        })),
      );
      const tripped = verdicts.find(({ v }) => v.tripwireTriggered);
      if (tripped) {
        throw new InputGuardrailTripwireTriggered(
          `The input guardrail "${tripped.g.name}" of agent "${this.root.name}" tripped.`,
          {
            guardrail: tripped.g.name,
            agent: this.root.name,
            outputInfo: tripped.v.outputInfo,
            state: state.log,
          },
        );
      }
    };
    const blocking = !guardrails.every((g) => g.runInParallel === true);
    const settled = check().then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    return {
      blocking,
      wait: async () => {
        const outcome = await settled;
        if (outcome) throw outcome.error;
      },
    };
  }

  async beforeTools(state: LoopState<Ctx>, calls: readonly ToolCall[]): Promise<void> {
    this.#state = state;
    if (this.#options.toolNotFoundBehavior !== 'raise') return;
    const unknown = calls.find((c) => !state.tools.some((t) => t.name === c.name));
    if (unknown) {
      throw new ToolNotFoundGuardrailError(
        `Agent "${this.current.name}" has no tool named ${JSON.stringify(unknown.name.slice(0, 100))} (toolNotFoundBehavior: 'raise').`,
        { toolName: unknown.name },
      );
    }
  }

  async *afterTools(
    state: LoopState<Ctx>,
    _results: readonly ToolResultMessage[],
  ): AsyncGenerator<AgentEventBody, 'continue' | 'stop' | undefined, undefined> {
    const trip = this.#trip;
    if (trip) {
      this.#trip = undefined;
      trip.state = state.log;
      this.#handoff = undefined;
      throw trip;
    }
    const request = this.#handoff;
    if (!request) return undefined;
    this.#handoff = undefined;
    this.finalOutput = undefined;
    yield* this.#switch(state, request.handoff, request.toolCallId);
    return 'continue';
  }

  async *#switch(
    state: LoopState<Ctx>,
    to: Handoff<Ctx>,
    toolCallId: string,
  ): AsyncGenerator<AgentEventBody, void, undefined> {
    const from = this.current.name;
    const entry: HandoffEntry = {
      type: 'handoff',
      runId: state.log.runId,
      turn: state.result.turns,
      agent: from,
      from,
      to: to.agent.name,
      toolCallId,
      at: state.transcript.length,
    };
    state.log.entries.push(entry);
    yield { type: 'handoff', from, to: to.agent.name, toolCallId }; // stamped with `from`
    this.current = to.agent;
    state.log.agentName = to.agent.name;
    state.config = this.configFor(to.agent);
    this.#filter = to.inputFilter ? { apply: to.inputFilter, at: entry.at } : undefined;
    await state.checkpoint();
  }

  /** The filter of the last handoff in a restored log (its target's handoff options from the source agent). */
  #filterFromLog(state: RunState): ActiveFilter | undefined {
    const last = state.entries.findLast((e): e is HandoffEntry => e.type === 'handoff');
    if (!last) return undefined;
    const from = this.#agents.get(last.from);
    const h = from ? handoffsOf(from).find((x) => x.agent.name === last.to) : undefined;
    return h?.inputFilter ? { apply: h.inputFilter, at: last.at } : undefined;
  }

  /**
   * A transfer the log answered in a batch that paused (another call of it waits for a decision, or the run
   * crashed mid-batch) whose handoff has not happened: it happens after the resumed batch, like it would
   * have without the pause (OpenAI Agents JS drops the waiting calls instead; see docs/multi-agent.md).
   */
  #handoffFromLog(state: RunState): HandoffRequest<Ctx> | undefined {
    const messages = state.messages;
    const { assistant, calls } = unansweredCalls(messages);
    if (!assistant || calls.length === 0) return undefined;
    const after = messages.slice(messages.lastIndexOf(assistant) + 1);
    const done = new Set(
      state.entries.filter((e): e is HandoffEntry => e.type === 'handoff').map((e) => e.toolCallId),
    );
    const handoffs = handoffsOf(this.current);
    for (const block of assistant.content) {
      if (block.type !== 'toolCall' || done.has(block.id)) continue;
      const h = handoffs.find((x) => x.toolName === block.name);
      const answered = after.some((m) => m.role === 'toolResult' && m.toolCallId === block.id && !m.isError);
      if (h && answered) return { handoff: h, toolCallId: block.id };
    }
    return undefined;
  }

  async onFinalAnswer(state: LoopState<Ctx>, message: AssistantMessage): Promise<void> {
    const guardrails = this.current.outputGuardrails ?? [];
    if (guardrails.length === 0) return;
    const agentOutput = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const context = state.config.context as Ctx;
    for (const g of guardrails) {
      const verdict = await g.execute({ agent: this.current as never, agentOutput, context });
      if (verdict.tripwireTriggered) {
        throw new OutputGuardrailTripwireTriggered(
          `The output guardrail "${g.name}" of agent "${this.current.name}" tripped.`,
          { guardrail: g.name, agent: this.current.name, outputInfo: verdict.outputInfo, state: state.log },
        );
      }
    }
  }

  takeDeferred(toolCallId: string): DeferredCall | undefined {
    const d = this.#deferred.get(toolCallId);
    this.#deferred.delete(toolCallId);
    return d;
  }

  attachEvents(push: ((event: AgentEventBody) => void) | undefined): void {
    this.#push = push;
  }

  /** Records a final output decided by `toolUseBehavior`. */
  decideFinal(results: readonly ToolResultMessage[], output?: string): void {
    this.finalOutput = output ?? textOfResults(results.slice(0, 1));
  }
}
