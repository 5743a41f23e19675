import { executeToolCall, type Tool, type ToolExecution, type ToolResult } from '../tools/index.js';
import type { ImageContent, TextContent, ToolCall } from '../types/content.js';
import type { Message, ToolResultMessage } from '../types/message.js';
import type { Channel } from './channel.js';
import type { AgentEventBody } from './events.js';
import { type Hooks, runHooks } from './hooks.js';

/** Text of the result given to calls skipped because the user steered. */
export const SKIPPED_FOR_STEERING = 'Skipped: the user sent a new message before this tool ran.';

/** What a batch needs from the loop. */
export interface BatchOptions<Ctx> {
  calls: ToolCall[];
  tools: readonly Tool<unknown, Ctx>[];
  hooks: Hooks | undefined;
  mode: 'parallel' | 'sequential';
  messages: readonly Message[];
  signal: AbortSignal;
  context: Ctx;
  events: Channel<AgentEventBody>;
  /** Returns true once a steering message is waiting (checked before each call starts). */
  steered: () => Promise<boolean>;
  /** The run's id: tool calls get the idempotency key `runId:callId`. */
  runId: string;
  /** Calls a human rejected: answered with the text as an error result, not run. */
  rejected?: ReadonlyMap<string, string>;
  /** Receives each result as soon as its call finished (for the run log's checkpoint). */
  onResult?: (message: ToolResultMessage) => void;
  /** Told when a call starts (its `tool_execution_start` is pushed), for the run log's timings. */
  onStart?: (call: ToolCall) => void;
}

/** One call's result, with whether it asked to end the run. */
export interface BatchResult {
  message: ToolResultMessage;
  terminate: boolean;
}

function errorResult(call: ToolCall, text: string): ToolResultMessage {
  return {
    role: 'toolResult',
    toolCallId: call.id,
    toolName: call.name,
    content: [{ type: 'text', text }],
    isError: true,
    timestamp: Date.now(),
  };
}

type Preflight = { kind: 'run'; argsOverride?: unknown } | { kind: 'done'; result: BatchResult };

async function preflight<Ctx>(call: ToolCall, options: BatchOptions<Ctx>): Promise<Preflight> {
  const outcome = await runHooks(
    options.hooks?.PreToolUse,
    {
      hookEvent: 'PreToolUse',
      toolName: call.name,
      toolCallId: call.id,
      args: call.arguments,
      messages: options.messages,
      signal: options.signal,
    },
    call.name,
  );
  let reason: string | undefined;
  if (outcome.error) reason = `Blocked: ${outcome.error.message}`;
  else if (outcome.decision && 'block' in outcome.decision)
    reason = `Blocked by a PreToolUse hook: ${outcome.decision.reason}`;
  if (reason !== undefined) return { kind: 'done', result: refused(call, reason, 'blocked', options) };
  if (outcome.decision && 'input' in outcome.decision)
    return { kind: 'run', argsOverride: outcome.decision.input };
  return { kind: 'run' };
}

function normalizeReplacement(
  result: string | (TextContent | ImageContent)[],
): (TextContent | ImageContent)[] {
  return typeof result === 'string' ? [{ type: 'text', text: result }] : result;
}

async function execute<Ctx>(
  call: ToolCall,
  argsOverride: unknown,
  options: BatchOptions<Ctx>,
): Promise<BatchResult> {
  const tool = options.tools.find((t) => t.name === call.name);
  const args = argsOverride ?? call.arguments;
  const mcp = (tool as { mcp?: { server?: unknown; name?: unknown } } | undefined)?.mcp;
  options.onStart?.(call);
  options.events.push({
    type: 'tool_execution_start',
    toolCallId: call.id,
    toolName: call.name,
    ...(typeof tool?.label === 'string' && { label: tool.label }),
    args,
    ...(typeof mcp?.server === 'string' &&
      typeof mcp.name === 'string' && { mcp: { server: mcp.server, name: mcp.name } }),
  });
  const execution: ToolExecution = await executeToolCall({
    tool: tool as Tool<unknown, Ctx> | undefined,
    available: options.tools.map((t) => t.name),
    call,
    signal: options.signal,
    context: options.context,
    onUpdate: (partial: ToolResult) =>
      options.events.push({
        type: 'tool_execution_update',
        toolCallId: call.id,
        toolName: call.name,
        partial,
      }),
    idempotencyKey: `${options.runId}:${call.id}`,
    ...(argsOverride !== undefined && { argsOverride }),
  });
  const message = await applyPostHooks(
    options.hooks,
    execution.message,
    args,
    options.messages,
    options.signal,
    (e) => options.events.push(e),
  );
  options.onResult?.(message);
  options.events.push({
    type: 'tool_execution_end',
    toolCallId: call.id,
    toolName: call.name,
    result: message,
    outcome: execution.outcome,
  });
  return { message, terminate: execution.terminate };
}

/**
 * Passes a finished result through the `PostToolUse` (or `PostToolUseFailure`) hooks: a decision may replace
 * the content or append context; a failing hook is reported through `emit` and the result is kept.
 */
export async function applyPostHooks(
  hooks: Hooks | undefined,
  result: ToolResultMessage,
  args: unknown,
  messages: readonly Message[],
  signal: AbortSignal,
  emit: (event: AgentEventBody) => void,
): Promise<ToolResultMessage> {
  const hookEvent = result.isError ? 'PostToolUseFailure' : 'PostToolUse';
  const post = await runHooks(
    result.isError ? hooks?.PostToolUseFailure : hooks?.PostToolUse,
    { hookEvent, toolName: result.toolName, toolCallId: result.toolCallId, args, result, messages, signal },
    result.toolName,
  );
  if (post.error) {
    emit({ type: 'hook_error', hookEvent, error: post.error });
    return result;
  }
  const decision = post.decision;
  if (decision && 'result' in decision) {
    return {
      ...result,
      content: normalizeReplacement(decision.result),
      isError: decision.isError ?? result.isError,
    };
  }
  if (decision && 'additionalContext' in decision) {
    return { ...result, content: [...result.content, { type: 'text', text: decision.additionalContext }] };
  }
  return result;
}

/** A call that does not run (a hook blocked it, steering skipped it, a human rejected it): an error result. */
function refused<Ctx>(
  call: ToolCall,
  text: string,
  outcome: 'blocked' | 'skipped' | 'rejected',
  options: BatchOptions<Ctx>,
): BatchResult {
  const message = errorResult(call, text);
  options.onResult?.(message);
  const ids = { toolCallId: call.id, toolName: call.name };
  options.events.push({ type: 'tool_execution_start', ...ids, args: call.arguments });
  options.events.push({ type: 'tool_execution_end', ...ids, result: message, outcome });
  return { message, terminate: false };
}

/**
 * Runs one batch of tool calls: `PreToolUse` hooks in order (sequential preflight), then execution,
 * concurrent in `parallel` mode, then `Post*` hooks. A steering message skips the calls not yet started.
 * Results come back in the model's order, whatever order they finished in. Never throws.
 */
export async function runToolBatch<Ctx>(options: BatchOptions<Ctx>): Promise<BatchResult[]> {
  const results: (BatchResult | Promise<BatchResult>)[] = [];
  let steered = false;
  for (const call of options.calls) {
    if (!steered && (await options.steered())) steered = true;
    if (steered) {
      results.push(refused(call, SKIPPED_FOR_STEERING, 'skipped', options));
      continue;
    }
    const rejection = options.rejected?.get(call.id);
    if (rejection !== undefined) {
      results.push(refused(call, rejection, 'rejected', options));
      continue;
    }
    const pre = await preflight(call, options);
    if (pre.kind === 'done') {
      results.push(pre.result);
      continue;
    }
    const running = execute(call, pre.argsOverride, options);
    if (options.mode === 'sequential') results.push(await running);
    else results.push(running);
  }
  return Promise.all(results);
}
