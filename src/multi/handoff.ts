import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AgentMessage } from '../agent/config.js';
import type { AgentDefinition } from '../agent/definition.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { JsonSchemaInput } from '../tools/tool.js';

/** Rewrites the history the target agent sees (messages before the handoff); must keep calls answered. */
export type HandoffInputFilter = (history: readonly AgentMessage[]) => AgentMessage[];

/** Options of {@link handoff} (OpenAI Agents JS: `toolNameOverride`, `toolDescriptionOverride`, ...). */
export interface HandoffOptions<Ctx = unknown> {
  /** The tool the model calls. @default `transfer_to_<snake_case name>` */
  toolName?: string;
  /** @default "Handoff to the <name> agent to handle the request. <handoffDescription>" */
  toolDescription?: string;
  /** Arguments the model sends with the transfer (a Standard Schema or JSON Schema); needs `onHandoff`. */
  inputType?: StandardSchemaV1 | JsonSchemaInput;
  /** Called when the model hands off, before the target's first model call. */
  onHandoff?: (context: Ctx, input: unknown) => void | Promise<void>;
  /** Rewrites the history the target sees (see `removeAllTools`, `keepLastMessages`). */
  inputFilter?: HandoffInputFilter;
  /** Whether the model is offered this handoff (checked before every model call). @default true */
  isEnabled?: boolean | ((context: Ctx) => boolean | Promise<boolean>);
}

/** A handoff to `agent` with its options (made by {@link handoff}). */
export interface Handoff<Ctx = unknown> extends Readonly<HandoffOptions<Ctx>> {
  readonly kind: 'handoff';
  readonly agent: AgentDefinition<Ctx>;
  readonly toolName: string;
  readonly toolDescription: string;
}

/** `transfer_to_<snake_case name>`, cut to 64 characters (the strictest tool-name rule). */
export function transferToolName(agentName: string): string {
  const snake = agentName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `transfer_to_${snake || 'agent'}`.slice(0, 64);
}

/**
 * A handoff to `agent` (OpenAI Agents JS: `handoff(agent, options)`): the model sees a
 * `transfer_to_<name>` tool; calling it passes the conversation to `agent` from the next model call on.
 *
 * @throws {InvalidArgumentError} when `agent` is not a definition, or `inputType` is given without `onHandoff`.
 */
export function handoff<Ctx = unknown>(
  agent: AgentDefinition<Ctx>,
  options: HandoffOptions<Ctx> = {},
): Handoff<Ctx> {
  if (typeof agent !== 'object' || agent === null || agent.kind !== 'agent_definition') {
    throw new InvalidArgumentError('handoff(agent): agent must be made by defineAgent.', {
      argument: 'agent',
    });
  }
  if (options.inputType !== undefined && options.onHandoff === undefined) {
    throw new InvalidArgumentError(`handoff(${agent.name}): inputType needs onHandoff.`, {
      argument: 'inputType',
    });
  }
  const extra = agent.handoffDescription ? ` ${agent.handoffDescription}` : '';
  return Object.freeze({
    ...options,
    kind: 'handoff',
    agent,
    toolName: options.toolName ?? transferToolName(agent.name),
    toolDescription:
      options.toolDescription ?? `Handoff to the ${agent.name} agent to handle the request.${extra}`,
  });
}

/** True when `value` was made by {@link handoff}. */
export function isHandoff(value: unknown): value is Handoff<never> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'handoff';
}

/** A definition's handoffs, every entry as a {@link Handoff}. */
export function handoffsOf<Ctx>(agent: AgentDefinition<Ctx>): Handoff<Ctx>[] {
  return (agent.handoffs ?? []).map((h) =>
    isHandoff(h) ? (h as unknown as Handoff<Ctx>) : handoff(h as unknown as AgentDefinition<Ctx>),
  );
}
