import { TimeoutError } from '../errors/timeout-error.js';
import type { ToolCall } from '../types/content.js';
import { normalizeOutput } from './normalize-output.js';
import type { Tool } from './tool.js';
import type { ToolOutput, ToolResult } from './tool-output.js';

/** Longest delay `setTimeout` honours (2^31 − 1 ms); longer ones fire at once, so they get no timer. */
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link runTool}. */
export interface RunToolOptions<Ctx> {
  /** The tool to run. */
  tool: Tool<unknown, Ctx>;
  /** Validated arguments. */
  args: unknown;
  /** The call being answered (its id and name). */
  call: ToolCall;
  /** The run's signal. */
  signal: AbortSignal;
  /** The app's context. */
  context: Ctx;
  /** Receives normalized progress updates. */
  onUpdate: ((partial: ToolResult) => void) | undefined;
  /** Idempotency key handed to `execute` (`runId:callId`); defaults to the call id. */
  idempotencyKey?: string | undefined;
}

/** How a run ended, with the normalized, capped result (`isError` content for every outcome but `ok`). */
export interface ToolRun {
  /** `ok`, `error`, `timeout` or `aborted`. */
  outcome: 'ok' | 'error' | 'timeout' | 'aborted';
  /** The result to send back. */
  result: ToolResult;
}

type Settled =
  | { kind: 'returned'; value: ToolOutput }
  | { kind: 'threw'; error: unknown }
  | { kind: 'stopped' };

/**
 * Runs a tool's `execute` under a per-call `AbortController` that the run signal and a `timeoutMs` timer
 * abort. When either fires, the tool's promise is no longer awaited (it learns of the abort through its
 * signal) and the run ends as `timeout` ("Tool <name> timed out after N ms.") or `aborted` ("Tool <name>
 * was aborted."). A throw becomes an `error` result with the error's message (a thrown non-Error is
 * stringified). The timer and the listener on the run signal are removed on every path.
 *
 * @internal Used by `executeToolCall`.
 */
export async function runTool<Ctx>(options: RunToolOptions<Ctx>): Promise<ToolRun> {
  const { tool, call, signal } = options;
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onRunAbort, { once: true });
  let onStop: (() => void) | undefined;
  const stopped = new Promise<Settled>((resolve) => {
    onStop = () => resolve({ kind: 'stopped' });
    controller.signal.addEventListener('abort', onStop, { once: true });
  });
  let timedOut = false;
  const timer = startTimer(tool.timeoutMs, () => {
    if (controller.signal.aborted) return;
    timedOut = true;
    const message = `Tool ${call.name} timed out after ${tool.timeoutMs} ms.`;
    controller.abort(new TimeoutError(message, { phase: 'total', timeoutMs: tool.timeoutMs }));
  });
  let active = true;
  const update = updater(options, () => active);
  const execution = settle(() =>
    tool.execute({
      args: options.args,
      signal: controller.signal,
      toolCallId: call.id,
      idempotencyKey: options.idempotencyKey ?? call.id,
      context: options.context,
      update,
    }),
  );
  try {
    const settled = await Promise.race([execution, stopped]);
    return finish(settled, controller.signal.aborted, timedOut, options);
  } finally {
    active = false;
    clearTimeout(timer);
    signal.removeEventListener('abort', onRunAbort);
    if (onStop !== undefined) controller.signal.removeEventListener('abort', onStop);
  }
}

/** A timer for `ms`, or none when `ms` is beyond what `setTimeout` honours (`Infinity` included). */
function startTimer(ms: number, onTimeout: () => void): ReturnType<typeof setTimeout> | undefined {
  return ms <= MAX_TIMER_MS ? setTimeout(onTimeout, ms) : undefined;
}

/**
 * The tool's `update`: normalizes and caps each partial (throwing TypeError for output that is not JSON,
 * like a return value) and hands it to `onUpdate` while the execution is active.
 */
function updater<Ctx>(options: RunToolOptions<Ctx>, isActive: () => boolean): (partial: ToolOutput) => void {
  return (partial) => {
    const { onUpdate } = options;
    if (!isActive() || onUpdate === undefined) return;
    const normalized = normalizeOutput(partial, options.tool.maxOutputBytes);
    try {
      onUpdate(normalized);
    } catch {
      // A failing listener must not fail the tool; the listener owns its errors.
    }
  };
}

/** Calls `run`, turning a synchronous throw, a rejection or a value into a `Settled` that never rejects. */
async function settle(run: () => ToolOutput | Promise<ToolOutput>): Promise<Settled> {
  try {
    return { kind: 'returned', value: await run() };
  } catch (error) {
    return { kind: 'threw', error };
  }
}

function finish<Ctx>(
  settled: Settled,
  aborted: boolean,
  timedOut: boolean,
  options: RunToolOptions<Ctx>,
): ToolRun {
  const { tool, call } = options;
  // A tool that throws because its signal was aborted reports the abort, not its own error.
  if (settled.kind === 'stopped' || (settled.kind === 'threw' && aborted)) {
    if (timedOut) return failed('timeout', `Tool ${call.name} timed out after ${tool.timeoutMs} ms.`);
    return failed('aborted', `Tool ${call.name} was aborted.`);
  }
  if (settled.kind === 'threw')
    return failed('error', errorText(settled.error, call.name), tool.maxOutputBytes);
  let result: ToolResult;
  try {
    result = normalizeOutput(settled.value, tool.maxOutputBytes);
  } catch (error) {
    return failed(
      'error',
      `Tool ${call.name} returned output that cannot be sent: ${errorText(error, call.name)}`,
    );
  }
  return { outcome: result.isError === true ? 'error' : 'ok', result };
}

function failed(outcome: ToolRun['outcome'], text: string, maxBytes = Number.POSITIVE_INFINITY): ToolRun {
  return { outcome, result: normalizeOutput({ content: [{ type: 'text', text }], isError: true }, maxBytes) };
}

/** The message of a thrown value: `Error.message`, a string as is, anything else as JSON (or `String()`). */
function errorText(error: unknown, name: string): string {
  // The tag check also recognises errors from other realms (vm contexts, workers), where instanceof fails.
  if (error instanceof Error || Object.prototype.toString.call(error) === '[object Error]') {
    const { message, name: errorName } = error as Error;
    return message === '' ? `Tool ${name} failed (${errorName}).` : message;
  }
  if (typeof error === 'string') return error;
  try {
    const json = JSON.stringify(error);
    if (typeof json === 'string') return json;
  } catch {
    // Not JSON (a cycle, a bigint): fall back to String().
  }
  return String(error);
}
