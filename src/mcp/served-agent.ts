/**
 * Agents as MCP tools: what one served agent is, and the default one built from `AgentOptions` (a fresh
 * `Agent` per call, so calls never share a transcript).
 *
 * @module
 */
import { Agent, type AgentOptions } from '../agent/agent.js';
import type { AgentEvent } from '../agent/events.js';
import type { ToolSource } from '../tools/tool-source.js';

/** What one agent call returns to the MCP client. */
export interface ServedAgentResult {
  /** The final answer text (the `content` text of the MCP result). */
  text: string;
  /** Sent as `structuredContent` (stop reason, turns, usage, ...). */
  structured: Record<string, unknown>;
  /** The run failed (the MCP result gets `isError: true`). */
  isError: boolean;
}

/** An agent exposed as one MCP tool `{ input: string }`. */
export interface ServedAgent {
  /** The MCP tool name, `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** The tool description shown to the MCP client's model. */
  description?: string;
  /**
   * Runs one independent request. `progress` sends a progress notification (when the client asked for
   * them); `signal` aborts when the client cancels or disconnects.
   */
  run(
    input: string,
    io: { signal: AbortSignal; progress: (message: string) => void },
  ): Promise<ServedAgentResult>;
}

function describe(event: AgentEvent): string | undefined {
  if (event.type === 'turn_start') return `turn ${event.turn}`;
  if (event.type === 'tool_execution_start') return `running tool ${event.toolName}`;
  if (event.type === 'tool_execution_end') return `tool ${event.toolName}: ${event.outcome}`;
  if (event.type === 'message_update' && event.event.type === 'text_delta') return 'writing';
  return undefined;
}

function lastText(messages: { role: string; content: unknown }[]): string {
  const last = messages.findLast((m) => m.role === 'assistant');
  if (!last || !Array.isArray(last.content)) return '';
  return last.content
    .filter((c: { type?: string }) => c.type === 'text')
    .map((c: { text?: string }) => c.text ?? '')
    .join('');
}

/** Extra settings of {@link servedAgent}. */
export interface ServedAgentExtras<Ctx> {
  /** The MCP tool description. @default `Ask the agent "<name>".` */
  description?: string;
  /**
   * Tool sources (MCP servers, ...) added after `options.tools` and handed to each call's agent as they
   * are: the loop lists them before every model call, so a changed tool list is picked up by the next turn
   * (and a changed definition needs approval, see `resolveTools` in the agent). Not closed by the served
   * agent: close them when the server stops.
   */
  toolSources?: readonly ToolSource<Ctx>[];
}

/**
 * A {@link ServedAgent} that runs a new `Agent(options)` for each call and answers with its last
 * assistant text; `structuredContent` holds `{ text, stopReason, turns, usage, error? }`. Progress
 * messages name turns and tools, and `writing` while text streams (repeats are dropped).
 * A tool name collision across sources fails that call's run (`isError: true`, the `InvalidArgumentError`
 * message in `structuredContent.error`).
 */
export function servedAgent<Ctx>(
  name: string,
  options: AgentOptions<Ctx>,
  extras: ServedAgentExtras<Ctx> = {},
): ServedAgent {
  const { description, toolSources = [] } = extras;
  return {
    name,
    ...(description !== undefined && { description }),
    async run(input, { signal, progress }) {
      const tools = toolSources.length === 0 ? options.tools : [...(options.tools ?? []), ...toolSources];
      const agent = new Agent<Ctx>({ ...options, ...(tools && { tools }) });
      return runOnce(agent, input, signal, progress);
    },
  };
}

async function runOnce<Ctx>(
  agent: Agent<Ctx>,
  input: string,
  signal: AbortSignal,
  progress: (message: string) => void,
): Promise<ServedAgentResult> {
  let previous: string | undefined;
  agent.subscribe((event) => {
    const message = describe(event);
    if (message !== undefined && message !== previous) progress(message);
    previous = message ?? previous;
  });
  const onAbort = (): void => agent.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await agent.prompt(input);
    const text = lastText(result.messages);
    const structured: Record<string, unknown> = {
      text,
      stopReason: result.stopReason,
      turns: result.turns,
      usage: { input: result.usage.input, output: result.usage.output },
    };
    if (result.error) structured.error = { name: result.error.name, message: result.error.message };
    const isError = result.error !== undefined;
    return {
      text: isError && !text ? (result.error?.message ?? 'The agent failed.') : text,
      structured,
      isError,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
