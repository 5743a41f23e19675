import { ApiError } from '../errors/api-error.js';
import { extractJson } from '../output/extract.js';
import type { StructuredRung, StructuredVerdict } from '../output/rungs.js';
import { stream } from '../stream.js';
import type { Model } from '../types/model.js';
import type { ProbeHttpOptions } from './probe-http.js';
import type { ServerProfile } from './probe-types.js';
import { STRUCTURED_LADDER } from './structured-ladder.js';

/** What a fail-open check found, cached with the server profile (`profile.structured`). */
export interface StructuredCheck {
  /** Version of this record's shape. */
  v: 1;
  /** The verdict per rung checked (`json_schema`, `native`): the constraint applied, was ignored, or refused. */
  verdicts: Partial<Record<StructuredRung, StructuredVerdict>>;
  /** The model the check ran with. */
  model: string;
  /** When the check ran, ms since the epoch. */
  checkedAt: number;
}

/**
 * The tiny schema of the check: one property whose only allowed value no unconstrained model would
 * write in answer to "say hello" (so a free-text or free-JSON answer means the constraint did not apply).
 */
export const PROBE_SCHEMA = Object.freeze({
  type: 'object',
  properties: { probe: { type: 'string', enum: ['oa-7f3c-enforced'] } },
  required: ['probe'],
  additionalProperties: false,
});

const GRAMMAR_RUNGS: readonly StructuredRung[] = ['json_schema', 'native'];

function ladderOf(profile: ServerProfile): readonly StructuredRung[] {
  const entry = (STRUCTURED_LADDER as Record<string, { structuredRungs: readonly StructuredRung[] }>)[
    profile.server
  ];
  return profile.compat.structuredRungs ?? entry?.structuredRungs ?? ['json_schema', 'json_object', 'prompt'];
}

/** Sends the check on one rung and reads the verdict; `undefined` when the server could not be reached. */
async function checkRung(
  profile: ServerProfile,
  model: string,
  rung: StructuredRung,
  options: ProbeHttpOptions & { apiKey?: string },
): Promise<StructuredVerdict | undefined> {
  const record: Model = {
    id: model,
    api: 'openai-chat',
    provider: profile.provider === 'custom' ? 'custom' : profile.provider,
    baseUrl: profile.baseUrl,
    compat: { ...profile.compat, structuredRungs: [rung], responseFormat: 'json_schema' },
  };
  const call = stream(
    record,
    { messages: [{ role: 'user', content: 'Say hello in one short sentence.' }] },
    {
      responseFormat: { type: 'json_schema', name: 'probe', schema: { ...PROBE_SCHEMA } },
      streaming: false,
      maxTokens: 64,
      temperature: 0,
      retry: { maxRetries: 0 },
      timeouts: { totalMs: options.timeoutMs ?? 60_000 },
      ...(options.signal !== undefined && { signal: options.signal }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      ...(options.apiKey !== undefined && { apiKey: options.apiKey }),
    },
  );
  let failure: Error | undefined;
  for await (const event of call) if (event.type === 'error') failure = event.error;
  const message = await call.result();
  if (failure)
    return ApiError.isInstance(failure) && failure.status >= 400 && failure.status < 500
      ? 'rejected'
      : undefined;
  const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const found = extractJson(text);
  const value = found.ok ? (found.value as { probe?: unknown } | null) : undefined;
  return typeof value === 'object' && value !== null && value.probe === 'oa-7f3c-enforced'
    ? 'enforced'
    : 'ignored';
}

/**
 * Fail-open detection: asks the server for a tiny schema on each grammar rung of its ladder
 * (`json_schema`, `native`) and reports whether the constraint really applied. The verdicts are kept in
 * `profile.structured`, and `profile.compat.structuredRungs` loses every rung seen `ignored` or
 * `rejected`, so the one compat resolver (probed layer) makes the ladder skip them.
 *
 * @returns a new profile (the input is not modified); unchanged when the profile names no model.
 */
export async function checkStructured(
  profile: ServerProfile,
  options: ProbeHttpOptions & { apiKey?: string } = {},
): Promise<ServerProfile & { structured?: StructuredCheck }> {
  const model = profile.model;
  if (model === undefined) return profile;
  const ladder = ladderOf(profile);
  const verdicts: Partial<Record<StructuredRung, StructuredVerdict>> = {};
  for (const rung of ladder) {
    if (!GRAMMAR_RUNGS.includes(rung)) continue;
    const verdict = await checkRung(profile, model, rung, options);
    if (verdict !== undefined) verdicts[rung] = verdict;
  }
  const kept = ladder.filter((rung) => verdicts[rung] === undefined || verdicts[rung] === 'enforced');
  const structured: StructuredCheck = { v: 1, verdicts, model, checkedAt: Date.now() };
  return { ...profile, compat: { ...profile.compat, structuredRungs: kept }, structured };
}
