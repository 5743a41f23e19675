import type { ToolResultMessage } from '../index.js';

const DIM = '\x1b[2m';
const UNDIM = '\x1b[22m';

/** A byte count for people: `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The arguments of a call on one short line. */
function argsSummary(args: unknown): string {
  const text = JSON.stringify(args) ?? '';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** What one finished tool call line shows. */
export interface ToolLineInput {
  toolName: string;
  /** The tool's display name; shown instead of the name when present. */
  label?: string;
  args: unknown;
  outcome: string;
  result: ToolResultMessage;
  ms: number;
  dim: boolean;
}

/**
 * One line for a finished tool call: name, arguments, outcome, result size and time, e.g.
 * `⚙ read_file {"path":"a.ts"} → ok, 1.2 kB, 4 ms`.
 */
export function toolLine(input: ToolLineInput): string {
  const bytes = input.result.content.reduce(
    (n, part) => n + (part.type === 'text' ? Buffer.byteLength(part.text) : 0),
    0,
  );
  const line = `⚙ ${input.label ?? input.toolName} ${argsSummary(input.args)} → ${input.outcome}, ${formatBytes(bytes)}, ${input.ms} ms`;
  return input.dim ? `${DIM}${line}${UNDIM}` : line;
}

/** Tracks tool calls from start to end and formats the end line. */
export class ToolLineTracker {
  readonly #started = new Map<string, { at: number; args: unknown; label?: string }>();

  /** Records a start; returns the line for an end (undefined for a start). */
  line(
    event:
      | { type: 'tool_execution_start'; toolCallId: string; args: unknown; label?: string }
      | {
          type: 'tool_execution_end';
          toolCallId: string;
          toolName: string;
          outcome: string;
          result: ToolResultMessage;
        },
    dim: boolean,
  ): string | undefined {
    if (event.type === 'tool_execution_start') {
      this.#started.set(event.toolCallId, {
        at: Date.now(),
        args: event.args,
        ...(event.label !== undefined && { label: event.label }),
      });
      return undefined;
    }
    const start = this.#started.get(event.toolCallId);
    this.#started.delete(event.toolCallId);
    return toolLine({
      ...event,
      ...(start?.label !== undefined && { label: start.label }),
      args: start?.args ?? {},
      ms: start ? Date.now() - start.at : 0,
      dim,
    });
  }
}
