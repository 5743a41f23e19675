import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Tool } from '../tools/tool.js';
import { isToolSource, type ToolSource } from '../tools/tool-source.js';
import type { LoopState } from './loop-state.js';

/** Static tool lists already checked for name clashes (checked once, not every turn). */
const checked = new WeakSet<readonly unknown[]>();

/**
 * The tools of one turn: every `ToolSource` of the config is listed (once per turn, in order, all at
 * once) and merged with the plain tools. The same list is sent to the model and used to run that turn's
 * calls. A list of plain tools only is returned as it is, synchronously (checked once); with sources, a
 * promise.
 *
 * A source's tool flagged `mcp.definitionChanged` (an MCP tool whose definition differs from the one first
 * seen: a possible "rug pull") is returned with `needsApproval: true`, so every call of it interrupts the
 * run for a decision until the source acknowledges the change (`acknowledgeDefinitionChange`).
 *
 * @throws {InvalidArgumentError} when two tools share a name (the message names both origins; thrown for a
 * plain list, a rejection with sources); a source's own rejection is passed on.
 */
export function resolveTools<Ctx>(
  state: LoopState<Ctx>,
): Tool<unknown, Ctx>[] | Promise<Tool<unknown, Ctx>[]> {
  const entries = state.config.tools ?? [];
  if (checked.has(entries)) return entries as Tool<unknown, Ctx>[];
  const sources = entries.filter((t): t is ToolSource<Ctx> => isToolSource(t));
  if (sources.length === 0) {
    checkNames(entries.map((t) => ({ tool: t as Tool<unknown, Ctx>, origin: 'tools' })));
    checked.add(entries);
    return entries as Tool<unknown, Ctx>[];
  }
  return listSources(state, entries, sources);
}

/** The tools of every {@link ToolSource} listed for this turn, in `entries` order, names checked. */
async function listSources<Ctx>(
  state: LoopState<Ctx>,
  entries: readonly (Tool<unknown, Ctx> | ToolSource<Ctx>)[],
  sources: ToolSource<Ctx>[],
): Promise<Tool<unknown, Ctx>[]> {
  const context = {
    runId: state.log.runId,
    agentName: state.log.agentName,
    context: state.config.context as Ctx,
    signal: state.signal,
  };
  const listed = await Promise.all(sources.map((s) => s.listTools(context)));
  const all: { tool: Tool<unknown, Ctx>; origin: string }[] = [];
  let next = 0;
  for (const entry of entries) {
    if (isToolSource(entry)) {
      const source = entry as ToolSource<Ctx>;
      for (const tool of listed[next++] ?? []) {
        all.push({ tool: approvalIfChanged(tool), origin: `tool source "${source.name}"` });
      }
    } else all.push({ tool: entry as Tool<unknown, Ctx>, origin: 'tools' });
  }
  checkNames(all);
  return all.map((t) => t.tool);
}

function checkNames<Ctx>(tools: { tool: Tool<unknown, Ctx>; origin: string }[]): void {
  const seen = new Map<string, string>();
  for (const { tool, origin } of tools) {
    const first = seen.get(tool.name);
    if (first !== undefined) {
      throw new InvalidArgumentError(
        `Two tools are named "${tool.name}" (from ${first} and from ${origin}); tool names must be unique.`,
        { argument: 'tools' },
      );
    }
    seen.set(tool.name, origin);
  }
}

/** A tool whose definition changed since first seen needs approval for every call (see {@link resolveTools}). */
function approvalIfChanged<Ctx>(tool: Tool<unknown, Ctx>): Tool<unknown, Ctx> {
  const info = (tool as { mcp?: { definitionChanged?: unknown } }).mcp;
  if (info?.definitionChanged !== true || tool.needsApproval === true) return tool;
  return { ...tool, needsApproval: true };
}
