import type { AgentDefinition } from '../agent/definition.js';
import { defineAgent } from '../agent/definition.js';
import type { ConfigAgent } from '../config/config-schema.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Tool } from '../tools/tool.js';
import type { Model } from '../types/model.js';

/** What {@link agentsFromConfig} needs from the app (the CLI): models by id and built-in tools by name. */
export interface ConfigAgentFactory {
  /** The model for an agent (`id` undefined: the config's model). */
  model(id: string | undefined): Model;
  /** The built-in tools of these names. @throws for an unknown name */
  tools(names: readonly string[]): Tool[];
}

/**
 * Definitions from a config file's `agents` mapping (`{ name: { instructions, model, tools, handoffs } }`),
 * by name. Handoff targets are built first, so every handoff refers to a definition of the same mapping.
 *
 * @throws {InvalidArgumentError} for a handoff to an agent the mapping does not declare, or a handoff cycle
 * (frozen definitions cannot refer to each other; hand back with a new run instead).
 */
export function agentsFromConfig(
  agents: Readonly<Record<string, ConfigAgent>>,
  factory: ConfigAgentFactory,
): Record<string, AgentDefinition> {
  const built: Record<string, AgentDefinition> = {};
  const building = new Set<string>();
  const build = (name: string, from: string | undefined): AgentDefinition => {
    const done = built[name];
    if (done) return done;
    const spec = Object.hasOwn(agents, name) ? agents[name] : undefined;
    if (!spec) {
      const known = Object.keys(agents).join(', ');
      throw new InvalidArgumentError(
        `Agent "${from}" hands off to "${name}", which is not declared (agents: ${known}).`,
        {
          argument: 'agents',
        },
      );
    }
    if (building.has(name)) {
      throw new InvalidArgumentError(
        `The handoffs of agent "${name}" form a cycle; config agents must form a tree.`,
        {
          argument: 'agents',
        },
      );
    }
    building.add(name);
    const handoffs = (spec.handoffs ?? []).map((target) => build(target, name));
    building.delete(name);
    const definition = defineAgent({
      name,
      model: factory.model(spec.model),
      ...(spec.instructions !== undefined && { instructions: spec.instructions }),
      ...(spec.handoffDescription !== undefined && { handoffDescription: spec.handoffDescription }),
      ...(spec.tools !== undefined && spec.tools.length > 0 && { tools: factory.tools(spec.tools) }),
      ...(handoffs.length > 0 && { handoffs: handoffs as AgentDefinition<never>[] }),
    });
    built[name] = definition;
    return definition;
  };
  for (const name of Object.keys(agents)) build(name, undefined);
  return built;
}
