import type { AgentDefinition } from '../agent/definition.js';
import { handoffsOf } from './handoff.js';

/** Property under which an agent used as a tool keeps its definition (see `asTool`). */
export const NESTED_AGENT: unique symbol = Symbol.for('open-agent-sdk.nestedAgent');

/** The definition behind an agent-as-tool, if `tool` is one. */
export function nestedAgentOf(tool: unknown): AgentDefinition<never> | undefined {
  if (typeof tool !== 'object' || tool === null) return undefined;
  return (tool as { [NESTED_AGENT]?: AgentDefinition<never> })[NESTED_AGENT];
}

/**
 * Every agent reachable from `root` through handoffs and agents used as tools, by name (root first).
 * Two different definitions with one name: the first found wins (names must be unique in a graph).
 */
export function reachableAgents(root: AgentDefinition<never>): Map<string, AgentDefinition<never>> {
  const found = new Map<string, AgentDefinition<never>>();
  const visit = (agent: AgentDefinition<never>): void => {
    if (found.has(agent.name)) return;
    found.set(agent.name, agent);
    for (const h of handoffsOf(agent)) visit(h.agent as AgentDefinition<never>);
    for (const t of agent.tools ?? []) {
      const nested = nestedAgentOf(t);
      if (nested) visit(nested);
    }
  };
  visit(root);
  return found;
}
