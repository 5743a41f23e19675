import { type Tool, tool } from '../tools/tool.js';
import type { ToolSource } from '../tools/tool-source.js';
import type { Handoff } from './handoff.js';

/** A `transfer_to_*` call the model made. */
export interface HandoffRequest<Ctx> {
  handoff: Handoff<Ctx>;
  toolCallId: string;
}

const NO_ARGS = { type: 'object', properties: {}, additionalProperties: false };

/**
 * The `transfer_to_*` tools of an agent's handoffs, as a tool source (so `isEnabled` is checked before every
 * model call). A call is ALWAYS answered with a real tool result, `{"assistant":"<name>"}`, under the
 * model's own call id, so every Chat Completions server and Anthropic accept the history; a second transfer
 * in the same batch is answered "ignored" and does not switch.
 */
export function handoffSource<Ctx>(
  handoffs: readonly Handoff<Ctx>[],
  request: (r: HandoffRequest<Ctx>) => 'accepted' | 'ignored',
): ToolSource<Ctx> {
  const tools = handoffs.map((h) => ({
    h,
    tool: tool<unknown, Ctx>({
      name: h.toolName,
      description: h.toolDescription,
      parameters: h.inputType ?? NO_ARGS,
      executionMode: 'sequential',
      execute: async ({ args, toolCallId, context }) => {
        if (request({ handoff: h, toolCallId }) === 'ignored') {
          return {
            content: [{ type: 'text', text: 'Multiple handoffs requested; this one was ignored.' }],
            isError: true,
          };
        }
        await h.onHandoff?.(context, args);
        return JSON.stringify({ assistant: h.agent.name });
      },
    }),
  }));
  return {
    kind: 'tool_source',
    name: 'handoffs',
    async listTools({ context }): Promise<Tool<unknown, Ctx>[]> {
      const out: Tool<unknown, Ctx>[] = [];
      for (const { h, tool: t } of tools) {
        const enabled =
          typeof h.isEnabled === 'function' ? await h.isEnabled(context) : (h.isEnabled ?? true);
        if (enabled) out.push(t);
      }
      return out;
    },
  };
}
