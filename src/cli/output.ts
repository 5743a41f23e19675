import type { AgentEvent, AssistantEvent } from '../index.js';
import { reasoningGutter } from './reasoning-gutter.js';
import type { OutputFormat } from './run-options.js';
import type { RunOutcome, ToolExecutionEvent } from './run-turns.js';
import { ToolLineTracker } from './tool-line.js';

/** Somewhere to write text (stdout, stderr, or a buffer in tests). */
export interface OutputSink {
  write(text: string): void;
}

/**
 * How `--output text` shows reasoning on stderr: dimmed (stderr is a terminal and `NO_COLOR` is unset),
 * plain (a terminal with `NO_COLOR`: each reasoning line starts with the gutter `| `, so it stays apart
 * from the answer without color), or not at all (stderr is not a terminal, to keep logs clean).
 */
export type ReasoningDisplay = 'dim' | 'plain' | 'off';

/** Where and how a printer writes. */
export interface PrinterIo {
  stdout: OutputSink;
  stderr: OutputSink;
  reasoning: ReasoningDisplay;
}

/** What a run talks to; printed by `stream-json` as `run_start`. Never holds the API key. */
export interface RunInfo {
  /** Model id. */
  model: string;
  /** Provider (preset) name, or `custom`. */
  provider: string;
  /** Base URL, with any password or secret query value redacted. */
  baseUrl: string;
}

/** Prints one run in one of the `--output` formats. */
export interface RunPrinter {
  /** Before the first model call. */
  start(info: RunInfo): void;
  /** Every event of every model call, with its 1-based turn. */
  event(event: AssistantEvent, turn: number): void;
  /** Tool executions (start and end), with the turn whose calls they run. */
  tool(event: ToolExecutionEvent, turn: number): void;
  /** After the run, whatever its outcome. */
  end(outcome: RunOutcome): void;
}

/**
 * Feeds one agent event to a printer: the one channel the CLI consumes. Model events go to `event`, tool
 * executions to `tool`, and `retry` and `queued` events to `retry` when the printer shows them
 * (`stream-json`, one record each).
 */
export function printAgentEvent(
  printer: RunPrinter & { retry?: (record: Record<string, unknown>) => void },
  event: AgentEvent,
): void {
  if (event.type === 'message_update') printer.event(event.event, event.turn);
  else if (event.type === 'tool_execution_start' || event.type === 'tool_execution_end')
    printer.tool(event, event.turn);
  else if (event.type === 'retry') printer.retry?.(retryRecord(event));
  else if (event.type === 'queued') printer.retry?.(queuedRecord(event));
}

/** One `stream-json` line for a model call waiting for a slot of its server: turn, position, limit, origin. */
export function queuedRecord(event: Extract<AgentEvent, { type: 'queued' }>): Record<string, unknown> {
  return {
    type: 'queued',
    turn: event.turn,
    position: event.position,
    limit: event.limit,
    origin: event.origin,
  };
}

/** One `stream-json` line for a retried model call: turn, attempt, delay in ms, reason and error (no stack). */
export function retryRecord(event: Extract<AgentEvent, { type: 'retry' }>): Record<string, unknown> {
  return {
    type: 'retry',
    turn: event.turn,
    attempt: event.attempt,
    delayMs: event.delayMs,
    reason: event.reason,
    error: { name: event.error.name, message: event.error.message },
  };
}

const DIM = '\x1b[2m';
const UNDIM = '\x1b[22m';

/** `text` on one line (error messages may carry newlines from server bodies). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `--output text`: text deltas to stdout as they arrive, reasoning to stderr, `error: …` on failure. */
function textPrinter(io: PrinterIo): RunPrinter {
  let last = '';
  let thinking = false;
  const gutter = reasoningGutter();
  const tools = new ToolLineTracker();
  return {
    start() {},
    tool(event) {
      // Tool lines are terminal decoration, like reasoning: not printed when stderr is a file or pipe.
      if (io.reasoning === 'off') return;
      const line = tools.line(event, io.reasoning === 'dim');
      if (line !== undefined) io.stderr.write(`${line}\n`);
    },
    event(event) {
      if (event.type === 'text_delta') {
        io.stdout.write(event.delta);
        last = event.delta;
      } else if (event.type === 'thinking_delta' && io.reasoning !== 'off') {
        io.stderr.write(io.reasoning === 'dim' ? `${DIM}${event.delta}${UNDIM}` : gutter.format(event.delta));
        thinking = true;
      } else if (event.type === 'thinking_end' && thinking) {
        io.stderr.write('\n');
        thinking = false;
        gutter.reset();
      }
    },
    end(outcome) {
      if (last !== '' && !last.endsWith('\n')) io.stdout.write('\n');
      if (outcome.stopReason === 'error' || outcome.stopReason === 'aborted') {
        io.stderr.write(
          `error: ${oneLine(outcome.errorMessage ?? `the run ended with ${outcome.stopReason}`)}\n`,
        );
      }
    },
  };
}

/**
 * One `stream-json` line for an event: the event's fields plus `turn`. `error` is reduced to
 * `{ name, message }` (no stack); a `toolcall_delta` carries its `delta` only (repeating the partial
 * parse on every line made the output grow with the square of the arguments; `toolcall_end` has them whole).
 */
export function eventRecord(event: AssistantEvent, turn: number): Record<string, unknown> {
  switch (event.type) {
    case 'error':
      return {
        type: event.type,
        turn,
        reason: event.reason,
        message: event.message,
        error: { name: event.error.name, message: event.error.message },
      };
    case 'toolcall_delta':
      return {
        type: event.type,
        turn,
        contentIndex: event.contentIndex,
        delta: event.delta,
      };
    default: {
      const { type, ...fields } = event;
      return { type, turn, ...fields };
    }
  }
}

/**
 * One `stream-json` line for a tool execution: `tool_execution_start` with the arguments, or
 * `tool_execution_end` with the outcome, `isError` and the result content sent to the model.
 */
export function toolRecord(event: ToolExecutionEvent, turn: number): Record<string, unknown> {
  if (event.type === 'tool_execution_start') {
    return {
      type: event.type,
      turn,
      toolCallId: event.toolCallId,
      toolName: event.toolName,
      args: event.args,
    };
  }
  return {
    type: event.type,
    turn,
    toolCallId: event.toolCallId,
    toolName: event.toolName,
    outcome: event.outcome,
    isError: event.result.isError,
    content: event.result.content,
  };
}

/** The summary fields shared by `run_end` and the `json` document. */
function summary(outcome: RunOutcome): Record<string, unknown> {
  return {
    stopReason: outcome.stopReason,
    usage: outcome.usage,
    text: outcome.text,
    ...(outcome.errorMessage !== undefined && { errorMessage: outcome.errorMessage }),
    ...(outcome.session !== undefined && { session: outcome.session }),
  };
}

/** `--output stream-json`: one JSON object per line, written as it happens. */
function streamJsonPrinter(io: PrinterIo): RunPrinter & { retry: (record: Record<string, unknown>) => void } {
  const line = (record: Record<string, unknown>): void => io.stdout.write(`${JSON.stringify(record)}\n`);
  return {
    retry: line,
    start(info) {
      line({ type: 'run_start', model: info.model, provider: info.provider, baseUrl: info.baseUrl });
    },
    tool(event, turn) {
      line(toolRecord(event, turn));
    },
    event(event, turn) {
      line(eventRecord(event, turn));
    },
    end(outcome) {
      line({ type: 'run_end', ...summary(outcome) });
    },
  };
}

/** `--output json`: one document at the end, also when the run failed. */
function jsonPrinter(io: PrinterIo): RunPrinter {
  return {
    start() {},
    event() {},
    tool() {},
    end(outcome) {
      const { stopReason, usage, text, errorMessage, session } = summary(outcome);
      const document = {
        messages: outcome.messages,
        text,
        stopReason,
        usage,
        errorMessage,
        session,
        ...(outcome.output !== undefined && { output: outcome.output }),
        ...(outcome.outputError !== undefined && { outputError: outcome.outputError }),
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    },
  };
}

/** The printer for an `--output` format. */
export function createPrinter(
  format: OutputFormat,
  io: PrinterIo,
): RunPrinter & { retry?: (record: Record<string, unknown>) => void } {
  switch (format) {
    case 'text':
      return textPrinter(io);
    case 'stream-json':
      return streamJsonPrinter(io);
    case 'json':
      return jsonPrinter(io);
  }
}
