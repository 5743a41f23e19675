/**
 * Tools: define them with `tool()` (Standard Schema or JSON Schema parameters), run one call with
 * `executeToolCall()`.
 *
 * @packageDocumentation
 */
export { capOutput, DEFAULT_MAX_OUTPUT_BYTES } from './cap-output.js';
export {
  type ExecuteToolCallOptions,
  executeToolCall,
  type ToolExecution,
  type ToolExecutionOutcome,
} from './execute-tool-call.js';
export type { JsonValue } from './json-value.js';
export { normalizeOutput } from './normalize-output.js';
export { isStandardSchema } from './schema-kind.js';
export {
  type ApprovalQuery,
  DEFAULT_TOOL_TIMEOUT_MS,
  type JsonSchemaInput,
  type NeedsApproval,
  type Tool,
  type ToolDefinition,
  type ToolExecuteArgs,
  tool,
} from './tool.js';
export type { ToolOutput, ToolResult } from './tool-output.js';
export { isToolSource, type ToolSource, type ToolSourceContext } from './tool-source.js';
export { findUnsafeKey, type UnsafeKey } from './unsafe-keys.js';
export type { ArgumentsValidator, ToolValidation } from './validation.js';
export { deriveWireSchema } from './wire-schema.js';
