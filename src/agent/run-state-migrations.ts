import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { randomUuid } from '../stream/ids.js';
import type { AgentMessage } from './config.js';
import { RUN_LOG_VERSION, type RunLogEntry } from './run-log.js';
import type { RunStatus } from './run-state.js';

/** A run state as JSON (`v` 2). Unknown fields are kept. */
export interface SerializedRunState {
  v: typeof RUN_LOG_VERSION;
  runId: string;
  /** The current agent's name (absent only in states migrated from version 1). */
  agent?: string;
  status: RunStatus;
  entries: RunLogEntry[];
  [key: string]: unknown;
}

const STATUSES = new Set(['running', 'completed', 'interrupted', 'failed', 'aborted', 'blocked']);

/**
 * Brings a parsed run state of any known version to the current one, one version at a time.
 * Version 1 is the `SerializedAgentState` of `serializeAgentState` (`schemaVersion: 1`, `messages`): its
 * messages become log entries of one finished run; its `model`, `systemPrompt` and `reasoning` are kept
 * under `migratedFrom` (the definition given to `fromString` decides them now).
 *
 * @throws {InvalidArgumentError} for a value that is not a run state, or a version newer than this one.
 */
export function migrateRunLog(value: unknown): SerializedRunState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('Saved run state must be a JSON object.', { argument: 'state' });
  }
  let record = value as Record<string, unknown>;
  if (record.v === undefined && record.schemaVersion === 1) record = fromV1(record);
  const v = record.v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new InvalidArgumentError('Saved run state has no version `v`.', { argument: 'state.v' });
  }
  if (v > RUN_LOG_VERSION) {
    throw new InvalidArgumentError(
      `Saved run state has version ${v}; this version of open-agent-sdk reads up to ${RUN_LOG_VERSION}. Upgrade the package.`,
      { argument: 'state.v' },
    );
  }
  return check(record);
}

function fromV1(record: Record<string, unknown>): Record<string, unknown> {
  const { schemaVersion: _s, messages, model, systemPrompt, reasoning, ...rest } = record;
  if (!Array.isArray(messages)) {
    throw new InvalidArgumentError('Saved agent state has no messages array.', {
      argument: 'state.messages',
    });
  }
  const runId = randomUuid();
  const entries = (messages as AgentMessage[]).map((message) => {
    const type =
      message.role === 'assistant'
        ? 'model_response'
        : message.role === 'toolResult'
          ? 'tool_result'
          : 'input';
    return { type, runId, turn: 0, message };
  });
  return {
    ...rest,
    v: 2,
    runId,
    status: 'completed',
    entries,
    migratedFrom: { schemaVersion: 1, model, systemPrompt, reasoning },
  };
}

function check(record: Record<string, unknown>): SerializedRunState {
  const fail = (argument: string, message: string): never => {
    throw new InvalidArgumentError(`Saved run state: ${message}`, { argument });
  };
  if (typeof record.runId !== 'string' || record.runId.length === 0)
    fail('state.runId', 'runId must be a string.');
  if (record.agent !== undefined && typeof record.agent !== 'string')
    fail('state.agent', 'agent must be a string.');
  if (!STATUSES.has(record.status as string))
    fail('state.status', `unknown status ${JSON.stringify(record.status)}.`);
  if (!Array.isArray(record.entries)) fail('state.entries', 'entries must be an array.');
  for (const [i, e] of (record.entries as unknown[]).entries()) {
    if (typeof e !== 'object' || e === null || typeof (e as { type?: unknown }).type !== 'string')
      fail(`state.entries[${i}]`, `entries[${i}] has no string type.`);
    const message = (e as { message?: unknown }).message;
    const type = (e as { type: string }).type;
    if ((type === 'input' || type === 'model_response' || type === 'tool_result') && !hasRole(message))
      fail(`state.entries[${i}]`, `entries[${i}] (${type}) has no valid message.`);
  }
  return record as SerializedRunState;
}

function hasRole(message: unknown): boolean {
  const role =
    typeof message === 'object' && message !== null ? (message as { role?: unknown }).role : undefined;
  return role === 'user' || role === 'assistant' || role === 'toolResult' || role === 'custom';
}
