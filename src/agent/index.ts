export {
  Agent,
  type AgentListener,
  type AgentOptions,
  type AgentState,
  type SubmittedToolResult,
} from './agent.js';
export { Client } from './client.js';
export {
  type AgentLoopConfig,
  type AgentMessage,
  type CustomMessage,
  DEFAULT_MAX_TURNS,
  type StopBehaviour,
} from './config.js';
export type { DeferredCall, LoopController } from './controller.js';
export {
  type AgentDefinition,
  type AgentDefinitionInput,
  defineAgent,
  type FinalOutputOf,
  isAgentDefinition,
  type ModelSettings,
  type RunContext,
} from './definition.js';
export type { AgentEvent, AgentEventBody, AgentRunResult, EventMeta } from './events.js';
export type { QueryOptions } from './facade-options.js';
export * from './hooks.js';
export { type AgentLoopInput, type AgentRun, agentLoop, type RunObserver } from './loop.js';
export { query } from './query.js';
export type { QueueMode } from './queue.js';
export { repairAlternation } from './repair.js';
export {
  type RunInput,
  type RunOptions,
  type RunOutcome,
  RunResult,
  type RunSession,
  run,
} from './run.js';
export {
  type CallTiming,
  type DecisionEntry,
  type HandoffEntry,
  type InputEntry,
  type InterruptionEntry,
  type ModelResponseEntry,
  type PendingCall,
  RUN_LOG_VERSION,
  type RunLogEntry,
  type RunLogEntryBase,
  type ToolResultEntry,
} from './run-log.js';
export {
  type AgentResolver,
  type DecisionOptions,
  REJECTED_MESSAGE,
  type RejectOptions,
  RunState,
  type RunStatus,
  type ToolApprovalItem,
} from './run-state.js';
export type { SerializedRunState } from './run-state-migrations.js';
export {
  parseAgentState,
  type SerializedAgentState,
  STATE_SCHEMA_VERSION,
  serializeAgentState,
} from './serialization.js';
export { SKIPPED_FOR_STEERING } from './tool-batch.js';
