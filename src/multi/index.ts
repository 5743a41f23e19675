/**
 * Multi-agent runs: handoffs, agents as tools, guardrails, OpenAI Agents runner options (`toolUseBehavior`,
 * run hooks, error handlers, unknown-tool behaviour). See docs/multi-agent.md.
 *
 * @module
 */

export { type AsToolOptions, asTool } from './as-tool.js';
export { agentsFromConfig, type ConfigAgentFactory } from './config-agents.js';
export { keepLastMessages, removeAllTools } from './filters.js';
export { reachableAgents } from './graph.js';
export {
  type Handoff,
  type HandoffInputFilter,
  type HandoffOptions,
  handoff,
  isHandoff,
  transferToolName,
} from './handoff.js';
export type { ErrorHandlerContext, ErrorHandlers, MultiRunOptions, RunHooks } from './options.js';
export { type ToolGuardrails, withToolGuardrails } from './tool-guardrails.js';
export type {
  GuardrailFunctionOutput,
  InputGuardrail,
  InputGuardrailArgs,
  OutputGuardrail,
  OutputGuardrailArgs,
  ToolGuardrailResult,
  ToolInputGuardrail,
  ToolInputGuardrailArgs,
  ToolOutputGuardrail,
  ToolOutputGuardrailArgs,
  ToolsToFinalOutputResult,
  ToolUseBehavior,
  ToolUseBehaviorFunction,
} from './types.js';
