/**
 * `run --agent NAME` and `chat --agent NAME`: the config file's `agents` built with `agentsFromConfig`
 * (models on the configured server, built-in tools by name) and the one to run picked by name.
 *
 * @module
 */
import type { AgentDefinition } from '../agent/definition.js';
import type { ConfigAgent } from '../config/config-schema.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { agentsFromConfig } from '../multi/config-agents.js';
import {
  BUILTIN_TOOL_NAMES,
  builtinTools,
  COMMAND_TOOL_NAMES,
  isBuiltinToolName,
  WRITE_TOOL_NAMES,
} from '../tools/builtin/index.js';
import type { Tool } from '../tools/tool.js';
import type { Model } from '../types/model.js';
import { approvalTools } from './approval.js';
import { resolveToolSelection, type ToolFlags } from './tool-options.js';
import { UsageError } from './usage-error.js';

/**
 * Checks `--agent NAME` against the config file's agents.
 *
 * @returns the name, or undefined without `--agent`.
 * @throws {UsageError} when the config declares no agents, or none of that name (the message lists the
 *   declared ones).
 */
export function agentNameOf(
  name: string | undefined,
  agents: Readonly<Record<string, ConfigAgent>> | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  const declared = Object.keys(agents ?? {});
  if (declared.length === 0)
    throw new UsageError(
      `--agent ${JSON.stringify(name)}: the config file declares no agents (add an \`agents:\` mapping to open-agent.config.yaml; see docs/multi-agent.md)`,
    );
  if (!declared.includes(name))
    throw new UsageError(
      `--agent ${JSON.stringify(name)}: no such agent in the config file; declared: ${declared.join(', ')}`,
    );
  return name;
}

/** Input of {@link configAgent}. */
export interface ConfigAgentInput {
  /** The agent to run (checked with {@link agentNameOf}). */
  name: string;
  /** The config file's `agents`. */
  agents: Readonly<Record<string, ConfigAgent>>;
  /** The configured model: agents without `model` use it; `model: ID` is that id on the same server. */
  model: Model;
  /**
   * The command's flags. `--system` replaces the chosen agent's instructions and `--tools` / `--no-tools`
   * its tools (the agents it hands off to keep theirs); `--allow-write` / `--allow-commands` gate the
   * write and command tools of every agent, as for `--tools`.
   */
  flags: ToolFlags & { system?: string };
  /** Root of the file tools and working directory of commands (absolute). */
  root: string;
  /** Write and command tools need approval (`needsApproval`): the run stops and the CLI asks. */
  approve: boolean;
}

/** Checks one agent's tool names. @throws {UsageError} for an unknown name or a tool without its flag. */
function checkTools(agent: string, names: readonly string[], flags: ToolFlags): void {
  for (const name of names) {
    if (!isBuiltinToolName(name))
      throw new UsageError(
        `agent "${agent}" in the config file: unknown tool ${JSON.stringify(name)}; known: ${BUILTIN_TOOL_NAMES.join(', ')}`,
      );
    if ((WRITE_TOOL_NAMES as readonly string[]).includes(name) && !flags.allowWrite)
      throw new UsageError(
        `agent "${agent}" uses ${name}, which changes files: add --allow-write to enable it`,
      );
    if ((COMMAND_TOOL_NAMES as readonly string[]).includes(name) && !flags.allowCommands)
      throw new UsageError(
        `agent "${agent}" uses ${name}, which runs programs: add --allow-commands to enable it`,
      );
  }
}

/**
 * Builds the config file's agents (`agentsFromConfig`) and returns the one named `input.name`, with its
 * handoffs. Flags override the chosen agent only (see {@link ConfigAgentInput.flags}).
 *
 * @throws {UsageError} for an unknown tool, a write/command tool without its `--allow-*` flag, a handoff
 *   to an undeclared agent, or a handoff cycle.
 */
export function configAgent(input: ConfigAgentInput): AgentDefinition {
  const { name, flags } = input;
  const chosen = input.agents[name] ?? {};
  const override: ConfigAgent = {
    ...chosen,
    ...(flags.system !== undefined && { instructions: flags.system }),
    ...(flags.tools !== undefined && { tools: resolveToolSelection(flags, undefined).names }),
  };
  const agents = { ...input.agents, [name]: override };
  for (const [agent, spec] of Object.entries(agents)) checkTools(agent, spec.tools ?? [], flags);
  const model = input.model;
  try {
    const built = agentsFromConfig(agents, {
      model: (id) => (id === undefined || id === model.id ? model : { ...model, id }),
      tools: (names) => {
        const tools = builtinTools({ names: names.filter(isBuiltinToolName), root: input.root });
        return (input.approve ? approvalTools(tools) : tools) as Tool[];
      },
    });
    return built[name] as AgentDefinition;
  } catch (error) {
    if (error instanceof InvalidArgumentError)
      throw new UsageError(`the config file's agents: ${error.message}`);
    throw error;
  }
}
