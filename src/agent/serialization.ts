import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { isSecretHeader, redactUrl } from '../http/redact.js';
import type { Model } from '../types/model.js';
import type { ReasoningLevel } from '../types/options.js';
import type { AgentMessage } from './config.js';

/** Version of the serialized state format. */
export const STATE_SCHEMA_VERSION = 1;

/** An agent's state as plain JSON: the transcript and the settings needed to go on. Tools are code, not state. */
export interface SerializedAgentState {
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  systemPrompt?: string;
  model: Model;
  reasoning?: ReasoningLevel;
  messages: AgentMessage[];
}

/**
 * Serializes an agent state to a JSON string (`schemaVersion` 1). API keys are never part of it: keys are
 * passed per call, `model.headers` entries that carry credentials (`isSecretHeader`) are dropped, and
 * secrets in `model.baseUrl` (user-info, `?key=`) are redacted (`redactUrl`).
 */
export function serializeAgentState(state: Omit<SerializedAgentState, 'schemaVersion'>): string {
  const headers = state.model.headers;
  const model: Model = { ...state.model, baseUrl: redactUrl(state.model.baseUrl) };
  if (headers) {
    const safe = Object.fromEntries(Object.entries(headers).filter(([k]) => !isSecretHeader(k)));
    if (Object.keys(safe).length > 0) model.headers = safe;
    else delete model.headers;
  }
  const out: SerializedAgentState = { schemaVersion: STATE_SCHEMA_VERSION, model, messages: state.messages };
  if (state.systemPrompt !== undefined) out.systemPrompt = state.systemPrompt;
  if (state.reasoning !== undefined) out.reasoning = state.reasoning;
  return JSON.stringify(out);
}

/**
 * Parses serialized agent state.
 * @throws {InvalidArgumentError} for invalid JSON, a missing or unknown `schemaVersion`, or a malformed shape.
 */
export function parseAgentState(json: string): SerializedAgentState {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidArgumentError('Saved agent state is not valid JSON.', { argument: 'state' });
  }
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError('Saved agent state must be a JSON object.', { argument: 'state' });
  }
  const record = value as Record<string, unknown>;
  if (record.schemaVersion !== STATE_SCHEMA_VERSION) {
    throw new InvalidArgumentError(
      `Unsupported agent state schemaVersion ${JSON.stringify(record.schemaVersion)}: this version of open-agent-sdk reads schemaVersion ${STATE_SCHEMA_VERSION}.`,
      { argument: 'state.schemaVersion' },
    );
  }
  if (!Array.isArray(record.messages))
    throw new InvalidArgumentError('Saved agent state has no messages array.', {
      argument: 'state.messages',
    });
  for (const [i, m] of record.messages.entries()) {
    const role = typeof m === 'object' && m !== null ? (m as { role?: unknown }).role : undefined;
    if (role !== 'user' && role !== 'assistant' && role !== 'toolResult' && role !== 'custom') {
      throw new InvalidArgumentError(`Saved agent state: messages[${i}] has no valid role.`, {
        argument: `state.messages[${i}]`,
      });
    }
  }
  const model = record.model as Record<string, unknown> | undefined;
  if (
    !model ||
    typeof model.id !== 'string' ||
    typeof model.baseUrl !== 'string' ||
    typeof model.api !== 'string'
  ) {
    throw new InvalidArgumentError('Saved agent state has no valid model (id, api, baseUrl).', {
      argument: 'state.model',
    });
  }
  return value as SerializedAgentState;
}
