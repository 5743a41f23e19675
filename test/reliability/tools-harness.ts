import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeToolCall, type Tool } from '../../src/index.js';
import { type BuiltinToolName, builtinTools } from '../../src/tools/builtin/index.js';

/** What a tool call returned, flattened for assertions. */
export interface ToolCallResult {
  isError: boolean;
  text: string;
  outcome: string;
}

/** Options of {@link call}. */
export interface CallOptions {
  /** The run's signal. @default a signal that never aborts */
  signal?: AbortSignal;
  /** Overrides the tool's `timeoutMs`. */
  timeoutMs?: number;
}

/** The built-in tool `name` confined to `root`. */
export function fileTool(root: string, name: BuiltinToolName): Tool<unknown> {
  const [tool] = builtinTools({ root, names: [name] });
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool;
}

/** Runs one call of `tool` through the engine's `executeToolCall` (validation, timeout, abort, caps). */
export async function call(
  tool: Tool<unknown>,
  args: Record<string, unknown>,
  options: CallOptions = {},
): Promise<ToolCallResult> {
  const used = options.timeoutMs === undefined ? tool : { ...tool, timeoutMs: options.timeoutMs };
  const execution = await executeToolCall({
    tool: used,
    available: [tool.name],
    call: { type: 'toolCall', id: 'call_1', name: tool.name, arguments: args },
    signal: options.signal ?? new AbortController().signal,
    context: undefined,
  });
  const text = execution.message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { isError: execution.message.isError, text, outcome: execution.outcome };
}

/** A fresh temporary directory (real path) and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Open descriptors of this process (Linux: entries of /proc/self/fd). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/**
 * Waits (bounded, 5 s) until no worker thread, message port or descriptor beyond `fdsBefore` is left,
 * and returns what remains (empty when clean). Termination of a worker is asynchronous, hence the wait.
 */
export async function leftBehind(fdsBefore: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const resources = process
      .getActiveResourcesInfo()
      .filter((r) => r === 'MessagePort' || r === 'Worker' || r === 'FSReqCallback' || r === 'CloseReq');
    const extraFds = openFds() - fdsBefore;
    if ((resources.length === 0 && extraFds <= 0) || Date.now() > deadline) {
      return extraFds > 0 ? [...resources, `${extraFds} descriptor(s)`] : resources;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
