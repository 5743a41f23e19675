import type { Tool, ToolExecuteArgs } from '../tools/tool.js';
import type { ToolOutput } from '../tools/tool-output.js';
import { isToolSource, type ToolSource } from '../tools/tool-source.js';
import type { ToolInputGuardrail, ToolOutputGuardrail } from './types.js';

/** Property under which a guarded tool keeps its guardrails (see {@link withToolGuardrails}). */
export const TOOL_GUARDRAILS: unique symbol = Symbol.for('open-agent-sdk.toolGuardrails');

/** Guardrails of one tool. */
export interface ToolGuardrails<Ctx = unknown> {
  /** Checked in order before the call runs (after its arguments were validated). */
  input?: readonly ToolInputGuardrail<Ctx>[];
  /** Checked in order after the call ran. */
  output?: readonly ToolOutputGuardrail<Ctx>[];
}

/** Where a guarded call reports `throwException` (the run's controller); absent outside a run. */
export type TripSink = (trip: {
  guardrail: string;
  phase: 'input' | 'output';
  toolName: string;
  toolCallId: string;
  outputInfo?: unknown;
}) => void;

/**
 * The tool with guardrails (OpenAI Agents JS: a tool's `inputGuardrails` / `outputGuardrails`). Before the
 * call: `allow`, `rejectContent` (the call does not run; the model reads the message as an error result) or
 * `throwException` (the call is answered with an error result, then the run ends with
 * `ToolGuardrailTripwireTriggered`). After: `allow`, `rejectContent` (the message replaces the result) or
 * `throwException`. The run binds the guardrails to itself, so they work for tools of handoff targets too.
 *
 * Given a {@link ToolSource} (an MCP server, a plugin list), every tool the source lists is guarded, each
 * turn, whatever it lists; the result is a source with the same `name` and `close` (call the source's own
 * other methods, e.g. `acknowledgeDefinitionChange`, on the original object). Tools a source lists that
 * were themselves made by `withToolGuardrails` are guarded inside a run as well.
 */
export function withToolGuardrails<Args, Ctx>(
  tool: Tool<Args, Ctx>,
  guardrails: ToolGuardrails<Ctx>,
): Tool<Args, Ctx>;
export function withToolGuardrails<Ctx>(
  source: ToolSource<Ctx>,
  guardrails: ToolGuardrails<Ctx>,
): ToolSource<Ctx>;
export function withToolGuardrails<Args, Ctx>(
  target: Tool<Args, Ctx> | ToolSource<Ctx>,
  guardrails: ToolGuardrails<Ctx>,
): Tool<Args, Ctx> | ToolSource<Ctx> {
  if (isToolSource(target)) return guardedSource(target as ToolSource<Ctx>, guardrails, undefined);
  const tool = target as Tool<Args, Ctx>;
  const guarded = Object.freeze({
    ...tool,
    [TOOL_GUARDRAILS]: { guardrails, inner: tool },
    execute: guardedExecute(tool, guardrails, undefined),
  });
  return guarded as Tool<Args, Ctx>;
}

/**
 * A source whose listed tools are guarded (trips reported to `sink`; `bind` first adapts each tool to the
 * run, e.g. its own guardrails and nested agents). Keeps the source's `name` and `close`.
 */
export function guardedSource<Ctx>(
  source: ToolSource<Ctx>,
  guardrails: ToolGuardrails<Ctx>,
  sink: TripSink | undefined,
  bind: (tool: Tool<unknown, Ctx>) => Tool<unknown, Ctx> = (t) => t,
): ToolSource<Ctx> {
  const guard = (tool: Tool<unknown, Ctx>): Tool<unknown, Ctx> => {
    const bound = bind(tool);
    return { ...bound, execute: guardedExecute(bound, guardrails, sink) };
  };
  const wrapped: ToolSource<Ctx> & { [TOOL_GUARDRAILS]: unknown } = {
    kind: 'tool_source',
    name: source.name,
    listTools: async (context) => (await source.listTools(context)).map(guard),
    ...(source.close !== undefined && { close: () => source.close?.() ?? Promise.resolve() }),
    [TOOL_GUARDRAILS]: { guardrails, inner: source },
  };
  return Object.freeze(wrapped);
}

/** The guardrails of a source made by {@link withToolGuardrails}, and the source they guard, if any. */
export function sourceGuardrailsOf(
  source: unknown,
): { guardrails: ToolGuardrails<never>; inner: ToolSource<never> } | undefined {
  return toolGuardrailsOf(source) as unknown as
    | { guardrails: ToolGuardrails<never>; inner: ToolSource<never> }
    | undefined;
}

/** The guardrails of a tool made by {@link withToolGuardrails}, and the tool they guard, if any. */
export function toolGuardrailsOf(
  tool: unknown,
): { guardrails: ToolGuardrails<never>; inner: Tool<unknown, never> } | undefined {
  if (typeof tool !== 'object' || tool === null) return undefined;
  type Marked = { [TOOL_GUARDRAILS]?: { guardrails: ToolGuardrails<never>; inner: Tool<unknown, never> } };
  return (tool as Marked)[TOOL_GUARDRAILS];
}

function errorResult(text: string): ToolOutput {
  return { content: [{ type: 'text', text }], isError: true };
}

/** An `execute` that checks the guardrails around `tool.execute`, reporting trips to `sink`. */
export function guardedExecute<Args, Ctx>(
  tool: Tool<Args, Ctx>,
  guardrails: ToolGuardrails<Ctx>,
  sink: TripSink | undefined,
): (args: ToolExecuteArgs<Args, Ctx>) => Promise<ToolOutput> {
  return async (call) => {
    const base = { toolName: tool.name, toolCallId: call.toolCallId, args: call.args, context: call.context };
    for (const guard of guardrails.input ?? []) {
      const verdict = await guard.execute(base);
      if (verdict.type === 'rejectContent') return errorResult(verdict.message);
      if (verdict.type === 'throwException') {
        sink?.({
          guardrail: guard.name,
          phase: 'input',
          toolName: tool.name,
          toolCallId: call.toolCallId,
          outputInfo: verdict.outputInfo,
        });
        return errorResult(`Stopped by the tool guardrail "${guard.name}".`);
      }
    }
    const output = await tool.execute(call);
    for (const guard of guardrails.output ?? []) {
      const verdict = await guard.execute({ ...base, output });
      if (verdict.type === 'rejectContent') return errorResult(verdict.message);
      if (verdict.type === 'throwException') {
        sink?.({
          guardrail: guard.name,
          phase: 'output',
          toolName: tool.name,
          toolCallId: call.toolCallId,
          outputInfo: verdict.outputInfo,
        });
        return errorResult(`Stopped by the tool guardrail "${guard.name}".`);
      }
    }
    return output;
  };
}
