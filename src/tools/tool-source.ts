import type { Tool } from './tool.js';

/** What a {@link ToolSource} is asked with, once per turn. */
export interface ToolSourceContext<Ctx = unknown> {
  /** The run's id. */
  runId: string;
  /** The name of the agent whose turn it is. */
  agentName: string;
  /** The app's own context object of the run. */
  context: Ctx;
  /** Aborted when the run is. */
  signal: AbortSignal;
}

/**
 * A source of tools resolved once per turn (MCP servers, plugins, tools enabled by state). The agent
 * resolves every source before each model call; the tools it returns are both sent to the model and used
 * to execute that turn's calls, so a list that changes between turns never answers a call with another
 * definition. Names must be unique across all tools and sources of an agent (a clash is an
 * `InvalidArgumentError` naming both).
 */
export interface ToolSource<Ctx = unknown> {
  /** Marks the object as a source (tells it apart from a `Tool` in `tools: (Tool | ToolSource)[]`). */
  readonly kind: 'tool_source';
  /** Stable name, for errors and traces (an MCP server's name). */
  readonly name: string;
  /** The tools for this turn. May be cached by the source; a rejection fails the turn with its error. */
  listTools(context: ToolSourceContext<Ctx>): Promise<Tool<unknown, Ctx>[]>;
  /** Releases what the source holds (child processes, connections). Idempotent. */
  close?(): Promise<void>;
}

/** True when `value` is a {@link ToolSource} (not a `Tool`). */
export function isToolSource(value: unknown): value is ToolSource<never> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'tool_source';
}
