import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { DeferredCall } from '../agent/controller.js';
import type { AgentDefinition } from '../agent/definition.js';
import type { AgentEvent } from '../agent/events.js';
import type { RunOptions, RunOutcome } from '../agent/run.js';
import { run } from '../agent/run.js';
import { RunState } from '../agent/run-state.js';
import {
  type JsonSchemaInput,
  type NeedsApproval,
  type Tool,
  type ToolExecuteArgs,
  tool,
} from '../tools/tool.js';
import type { ToolOutput } from '../tools/tool-output.js';
import { NESTED_AGENT } from './graph.js';
import { transferToolName } from './handoff.js';

/** Options of {@link asTool} (OpenAI Agents JS: `agent.asTool(options)`). */
export interface AsToolOptions<Ctx = unknown> {
  /** @default the agent's name in snake case */
  toolName?: string;
  /** @default the agent's `handoffDescription`, else "Ask the <name> agent." */
  toolDescription?: string;
  /** The arguments' schema. @default `{ input: string }` */
  parameters?: StandardSchemaV1 | JsonSchemaInput;
  /** Turns the arguments into the nested run's prompt. @default `args.input`, else the arguments as JSON */
  inputBuilder?: (args: unknown) => string;
  /** What the outer model reads. @default the nested run's final output */
  outputExtractor?: (outcome: RunOutcome<unknown>) => ToolOutput | Promise<ToolOutput>;
  /** Human approval before the nested agent runs at all. @default false */
  needsApproval?: boolean | NeedsApproval<unknown, Ctx>;
  /** Most model calls of the nested run. @default 20 */
  maxTurns?: number;
}

/** What the outer run gives a nested run (bound by the run's controller). */
export interface NestedHost {
  /** The outer run's agent path (the nested agent's events get `[...path, name]`). */
  path: readonly string[];
  /** Forwards a nested event into the outer stream. */
  forward(event: AgentEvent): void;
  /** The saved nested state of an outer call that paused, with the decisions made on the outer state. */
  saved(toolCallId: string): RunState | undefined;
  /** Marks the outer call as paused inside. */
  defer(toolCallId: string, deferral: DeferredCall): void;
  /** Options the nested run inherits (transport, credentials). */
  options: Pick<RunOptions<unknown>, 'streamFn' | 'streamOptions'>;
}

const DEFAULT_PARAMETERS = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The request for the agent.' } },
  required: ['input'],
  additionalProperties: false,
};

/** Property under which an agent-as-tool keeps its options. */
export const AS_TOOL_OPTIONS: unique symbol = Symbol.for('open-agent-sdk.asToolOptions');

/**
 * An agent used as a tool (OpenAI Agents JS: `agent.asTool`): calling it runs `agent` in a nested `run()`
 * with the call's input; the outer model reads its final output. Inside a run, the nested events reach the
 * outer stream with `agentPath` (`['triage', 'researcher']`), and the nested run's approvals pause the outer
 * run (`interruptions` with `parentToolCallId`); approving them on the outer state resumes the nested run.
 *
 * @throws {InvalidArgumentError} for an invalid tool name or schema (as `tool()`).
 */
export function asTool<Ctx = unknown>(
  agent: AgentDefinition<Ctx>,
  options: AsToolOptions<Ctx> = {},
): Tool<unknown, Ctx> {
  const made = tool<unknown, Ctx>({
    name: options.toolName ?? transferToolName(agent.name).slice('transfer_to_'.length),
    description: options.toolDescription ?? agent.handoffDescription ?? `Ask the ${agent.name} agent.`,
    parameters: options.parameters ?? DEFAULT_PARAMETERS,
    timeoutMs: Number.POSITIVE_INFINITY,
    ...(options.needsApproval !== undefined && { needsApproval: options.needsApproval }),
    execute: nestedExecute(agent, options, undefined),
  });
  return Object.freeze({ ...made, [NESTED_AGENT]: agent, [AS_TOOL_OPTIONS]: options }) as Tool<unknown, Ctx>;
}

/** The options of an agent-as-tool, if `value` is one. */
export function asToolOptionsOf(value: unknown): AsToolOptions<never> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [AS_TOOL_OPTIONS]?: AsToolOptions<never> })[AS_TOOL_OPTIONS];
}

function promptOf(args: unknown, build: ((args: unknown) => string) | undefined): string {
  if (build) return build(args);
  const input = (args as { input?: unknown } | undefined)?.input;
  return typeof input === 'string' ? input : JSON.stringify(args ?? {});
}

/** The execute of an agent-as-tool; with `host`, bound to the outer run (events, approvals). */
export function nestedExecute<Ctx>(
  agent: AgentDefinition<Ctx>,
  options: AsToolOptions<Ctx>,
  host: NestedHost | undefined,
): (call: ToolExecuteArgs<unknown, Ctx>) => Promise<ToolOutput> {
  return async (call) => {
    const saved = host?.saved(call.toolCallId);
    const input = saved ?? promptOf(call.args, options.inputBuilder);
    const nested = run(agent, input, {
      signal: call.signal,
      context: call.context,
      ...(options.maxTurns !== undefined && { maxTurns: options.maxTurns }),
      ...host?.options,
      agentPathPrefix: host?.path ?? [],
    });
    for await (const event of nested) host?.forward(event);
    const outcome = await nested;
    if (outcome.status === 'interrupted' && host) {
      const calls = outcome.interruptions.map((c) => ({
        ...c,
        agentPath: c.agentPath ?? [...host.path, agent.name],
      }));
      host.defer(call.toolCallId, { calls, state: outcome.state.toJSON() });
      return `Paused: ${calls.length} call(s) of ${agent.name} wait for approval.`;
    }
    if (outcome.status !== 'completed') {
      throw outcome.error ?? new Error(`The ${agent.name} agent ended ${outcome.status}.`);
    }
    if (options.outputExtractor) return options.outputExtractor(outcome);
    const output = outcome.finalOutput;
    return typeof output === 'string' ? output : output === undefined ? '' : JSON.stringify(output);
  };
}

/** Restores a nested state saved in an outer interruption entry and applies the outer decisions to it. */
export function restoreNested(
  agent: AgentDefinition<never>,
  saved: unknown,
  decisions: readonly { toolCallId: string; approved: boolean; message?: string; always?: boolean }[],
): RunState {
  const state = RunState.fromString(agent, JSON.stringify(saved));
  for (const pending of state.interruptions) {
    const decision = decisions.find((d) => d.toolCallId === pending.toolCallId);
    if (!decision) continue;
    const always = decision.always === true ? { always: true } : {};
    if (decision.approved) state.approve(pending, always);
    else
      state.reject(pending, {
        ...always,
        ...(decision.message !== undefined && { message: decision.message }),
      });
  }
  return state;
}
