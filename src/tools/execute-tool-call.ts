import type { ImageContent, TextContent, ToolCall } from '../types/content.js';
import type { ToolResultMessage } from '../types/message.js';
import { capOutput } from './cap-output.js';
import type { JsonValue } from './json-value.js';
import { runTool } from './run-tool.js';
import type { Tool } from './tool.js';
import type { ToolResult } from './tool-output.js';
import { findUnsafeKey } from './unsafe-keys.js';

/** Options of {@link executeToolCall}. */
export interface ExecuteToolCallOptions<Ctx> {
  /** The tool the call names; `undefined` when there is none (the result lists `available`). */
  tool: Tool<unknown, Ctx> | undefined;
  /** Names of the tools the model may call, for the unknown-tool message. */
  available: readonly string[];
  /** The model's tool call. */
  call: ToolCall;
  /** The run's signal. Aborting it aborts the tool's signal and ends the execution as `aborted`. */
  signal: AbortSignal;
  /** The app's context object, passed to `execute` as `context`. */
  context: Ctx;
  /** Receives each normalized, capped `update()` of the tool while it runs. Errors it throws are ignored. */
  onUpdate?: (partial: ToolResult) => void;
  /**
   * Arguments that replace `call.arguments` (a PreToolUse hook's rewrite). They are checked for unsafe keys
   * and validated like the model's; `call.rawArguments` is then ignored. `undefined` means no override.
   */
  argsOverride?: unknown;
  /** Idempotency key handed to `execute` (the agent passes `runId:callId`). @default the call id */
  idempotencyKey?: string;
}

/**
 * How a tool call ended:
 * - `ok`: the tool returned a result;
 * - `error`: the tool threw, returned `isError: true`, or returned output that is not JSON;
 * - `invalid`: the arguments were incomplete JSON, contained an unsafe key or failed validation (not run);
 * - `unknown`: no such tool (not run);
 * - `timeout`: the tool's `timeoutMs` passed;
 * - `aborted`: the run's signal was aborted before or while the tool ran.
 */
export type ToolExecutionOutcome = 'ok' | 'error' | 'invalid' | 'unknown' | 'timeout' | 'aborted';

/** The result of one tool call. */
export interface ToolExecution {
  /** The tool result message for the transcript (`isError` set for every outcome but `ok`). */
  message: ToolResultMessage;
  /** The tool asked to end the run after this batch (`ToolResult.terminate`). Always false unless `ok`/`error`. */
  terminate: boolean;
  /** `ToolResult.details`, for the app; not sent to the model. */
  details?: JsonValue;
  /** How the call ended. */
  outcome: ToolExecutionOutcome;
}

/** Longest excerpt of invalid argument text quoted back to the model, in characters. */
const RAW_EXCERPT_CHARS = 200;

/**
 * Runs one tool call to a {@link ToolExecution}. Never throws: every failure becomes an error result
 * the model can read and act on.
 *
 * In order: unknown tool → `unknown`; `call.rawArguments` set (arguments were not complete JSON) →
 * `invalid`; a key `__proto__`, `constructor` or `prototype` anywhere in the arguments → `invalid`; schema
 * validation fails → `invalid` (message lists `path: problem`); run signal already aborted → `aborted`;
 * otherwise the tool runs with a per-call signal that the run signal and the tool's `timeoutMs` abort
 * (see {@link runTool}). The result content is capped at the tool's `maxOutputBytes`.
 *
 * Arguments are passed to the validator and the tool as they are: never copied or merged.
 */
export async function executeToolCall<Ctx>(options: ExecuteToolCallOptions<Ctx>): Promise<ToolExecution> {
  const { tool, call } = options;
  if (tool === undefined) return refused(call, 'unknown', unknownToolText(call.name, options.available));
  const overridden = options.argsOverride !== undefined;
  if (!overridden && call.rawArguments !== undefined) {
    const excerpt = call.rawArguments.slice(0, RAW_EXCERPT_CHARS);
    const text = `The arguments for ${call.name} were not valid JSON: ${excerpt}. Send the call again with complete JSON arguments.`;
    return refused(call, 'invalid', text);
  }
  const input = overridden ? options.argsOverride : call.arguments;
  const unsafe = findUnsafeKey(input);
  if (unsafe !== undefined) {
    const where = unsafe.path === '' ? 'at the top level' : `in ${unsafe.path}`;
    const text = `The arguments for ${call.name} contain the key "${unsafe.key}" ${where}, which is not allowed. Send the call again without it.`;
    return refused(call, 'invalid', text);
  }
  const validation = await tool.validate(input);
  if (!validation.ok) {
    const text = `The arguments for ${call.name} are invalid:\n${validation.message}\nSend the call again with arguments that match the schema.`;
    return refused(call, 'invalid', text, tool.maxOutputBytes);
  }
  if (options.signal.aborted) return refused(call, 'aborted', `Tool ${call.name} was aborted.`);
  const run = await runTool({
    tool,
    args: validation.value,
    call,
    signal: options.signal,
    context: options.context,
    onUpdate: options.onUpdate,
    idempotencyKey: options.idempotencyKey,
  });
  const execution: ToolExecution = {
    message: resultMessage(call, run.result.content, run.outcome !== 'ok'),
    terminate: run.result.terminate === true,
    outcome: run.outcome,
  };
  if (run.result.details !== undefined) execution.details = run.result.details;
  return execution;
}

function unknownToolText(name: string, available: readonly string[]): string {
  const list = available.length > 0 ? `Available tools: ${available.join(', ')}.` : 'No tools are available.';
  return `Unknown tool ${JSON.stringify(name.slice(0, 100))}. ${list}`;
}

function refused(
  call: ToolCall,
  outcome: ToolExecutionOutcome,
  text: string,
  maxBytes = Number.POSITIVE_INFINITY,
): ToolExecution {
  const content = capOutput([{ type: 'text', text }], maxBytes);
  return { message: resultMessage(call, content, true), terminate: false, outcome };
}

function resultMessage(
  call: ToolCall,
  content: (TextContent | ImageContent)[],
  isError: boolean,
): ToolResultMessage {
  return {
    role: 'toolResult',
    toolCallId: call.id,
    toolName: call.name,
    content,
    isError,
    timestamp: Date.now(),
  };
}
