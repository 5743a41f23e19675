/**
 * The multi-agent and structured-output parts of `open-agent run`: the `--agent` definition, and the
 * lines that show handoffs and `--schema` repair turns.
 *
 * @module
 */
import type { AgentDefinition } from '../agent/definition.js';
import type { AgentEvent } from '../index.js';
import { configAgent } from './config-agent.js';
import type { OutputSink } from './output.js';
import type { OutputFormat, RunSettings } from './run-options.js';

/**
 * The definition `run --agent NAME` runs (with its handoffs), or undefined without `--agent`. The run's
 * `--system` flag replaces its instructions and `--tools` its tools (see `configAgent`).
 *
 * @throws {UsageError} for bad tool names or handoffs in the config file's agents.
 */
export function selectedAgent(settings: RunSettings, approve: boolean): AgentDefinition | undefined {
  if (settings.agent === undefined || settings.agents === undefined) return undefined;
  return configAgent({
    name: settings.agent,
    agents: settings.agents,
    model: settings.model,
    flags: settings.agentFlags ?? {},
    root: settings.tools.root,
    approve,
  });
}

/** One `stream-json` line for a handoff or an output repair, else undefined. */
export function noteRecord(event: AgentEvent): Record<string, unknown> | undefined {
  if (event.type === 'handoff')
    return {
      type: 'handoff',
      turn: event.turn,
      from: event.from,
      to: event.to,
      toolCallId: event.toolCallId,
    };
  if (event.type === 'output_repair')
    return {
      type: 'output_repair',
      turn: event.turn,
      attempt: event.attempt,
      maxRepairs: event.maxRepairs,
      issues: event.issues,
    };
  return undefined;
}

/** One stderr line (`--output text`) for a handoff or an output repair, else undefined. */
export function noteLine(event: AgentEvent): string | undefined {
  if (event.type === 'handoff') return `→ handoff to ${event.to}`;
  if (event.type === 'output_repair')
    return `open-agent: the answer does not match --schema; repair turn ${event.attempt} of ${event.maxRepairs}`;
  return undefined;
}

/**
 * Shows handoffs and output repairs: a `stream-json` line (through the printer's line writer), a stderr
 * line in `text`, nothing in `json` (the document has the whole transcript).
 */
export function runNotes(
  format: OutputFormat,
  printer: { retry?: (record: Record<string, unknown>) => void },
  stderr: OutputSink,
): (event: AgentEvent) => void {
  return (event) => {
    if (format === 'stream-json') {
      const record = noteRecord(event);
      if (record !== undefined) printer.retry?.(record);
    } else if (format === 'text') {
      const line = noteLine(event);
      if (line !== undefined) stderr.write(`${line}\n`);
    }
  };
}
