import { debugLog } from '../debug/debug.js';
import { ConnectionError } from '../errors/connection-error.js';
import { joinUrl } from '../http/join-url.js';
import { redactUrl } from '../http/redact.js';
import type { Model } from '../types/model.js';
import { getPreset, originOf } from './presets.js';
import { type ProbeCache, probeCacheKey, sharedProbeCache } from './probe-cache.js';
import { field, type ProbeHttpOptions, probeJson, str } from './probe-http.js';
import {
  type IdentificationAnswers,
  llamacppFacts,
  lmstudioModels,
  OLLAMA_DEFAULT_CONTEXT,
  ollamaModelFacts,
  openAiModels,
  SMALL_CONTEXT_TOKENS,
} from './probe-servers.js';
import { checkStructured } from './probe-structured.js';
import type { ProbedModel, ServerKind, ServerProfile } from './probe-types.js';

/** Options of {@link probe}. */
export interface ProbeOptions extends ProbeHttpOptions {
  /** The model to describe. @default the first loaded model, else the first listed */
  model?: string;
  /** Sent as a bearer token to `{baseUrl}/models` only (never to the identification endpoints). */
  apiKey?: string;
  /** Where profiles are cached; `false` always probes. @default a shared in-memory cache (10 minutes) */
  cache?: ProbeCache | false;
  /**
   * Also check that structured output is really enforced (fail-open detection, see `checkStructured`):
   * one small model call per grammar rung; the verdicts are cached with the profile.
   * @default false
   */
  structured?: boolean;
}

/** Preset name for each server kind. */
const PRESET_OF: Record<ServerKind, string> = {
  ollama: 'ollama',
  lmstudio: 'lmstudio',
  llamacpp: 'llamacpp',
  vllm: 'vllm',
  'openai-compatible': 'custom',
};

async function identify(
  baseUrl: string,
  origin: string,
  options: ProbeOptions,
): Promise<IdentificationAnswers> {
  const auth = options.apiKey !== undefined ? { authorization: `Bearer ${options.apiKey}` } : undefined;
  const [ollamaVersion, llamacppProps, lmstudio, vllmVersion, models] = await Promise.all([
    probeJson(`${origin}/api/version`, options),
    probeJson(`${origin}/props`, options),
    probeJson(`${origin}/api/v0/models`, options),
    probeJson(`${origin}/version`, options),
    probeJson(joinUrl(baseUrl, '/models'), options, auth ? { headers: auth } : {}),
  ]);
  return { ollamaVersion, llamacppProps, lmstudioModels: lmstudio, vllmVersion, models };
}

function kindOf(answers: IdentificationAnswers): ServerKind {
  if (str(field(answers.ollamaVersion, 'version')) !== undefined) return 'ollama';
  const props = answers.llamacppProps;
  if (
    field(props, 'default_generation_settings') !== undefined ||
    field(props, 'chat_template') !== undefined
  )
    return 'llamacpp';
  if (Array.isArray(field(answers.lmstudioModels, 'data'))) return 'lmstudio';
  const data = field(answers.models, 'data');
  const vllmModels =
    Array.isArray(data) &&
    data.some((m) => field(m, 'max_model_len') !== undefined || field(m, 'owned_by') === 'vllm');
  if (vllmModels) return 'vllm';
  return 'openai-compatible';
}

function pickModel(models: ProbedModel[], requested: string | undefined): ProbedModel | undefined {
  if (requested !== undefined) return models.find((m) => m.id === requested) ?? { id: requested };
  return models.find((m) => m.loaded === true) ?? models[0];
}

/** Merges per-model facts into the listing and the chosen model. */
function withFacts(
  models: ProbedModel[],
  chosen: ProbedModel | undefined,
  facts: Partial<ProbedModel>,
): ProbedModel | undefined {
  if (!chosen) return undefined;
  const merged = { ...chosen, ...facts, id: chosen.id };
  const index = models.findIndex((m) => m.id === chosen.id);
  if (index >= 0) models[index] = merged;
  return merged;
}

async function describe(
  kind: ServerKind,
  answers: IdentificationAnswers,
  origin: string,
  options: ProbeOptions,
) {
  const models = kind === 'lmstudio' ? lmstudioModels(answers.lmstudioModels) : openAiModels(answers.models);
  if (kind === 'lmstudio' && models.length === 0) models.push(...openAiModels(answers.models));
  const hints: string[] = [];
  const warnings: string[] = [];
  let chosen = pickModel(models, options.model);
  let slots: number | undefined;
  if (kind === 'llamacpp') {
    const facts = llamacppFacts(answers.llamacppProps);
    slots = facts.slots;
    hints.push(...facts.hints);
    warnings.push(...facts.warnings);
    chosen = withFacts(models, chosen, facts.model);
  } else if (kind === 'ollama' && chosen) {
    const facts = await ollamaModelFacts(origin, chosen.id, options);
    hints.push(...facts.hints);
    chosen = withFacts(models, chosen, facts.model);
    const context = chosen?.contextWindow ?? OLLAMA_DEFAULT_CONTEXT;
    if (context < SMALL_CONTEXT_TOKENS) {
      const assumed = facts.contextAssumed
        ? ' (the server default; neither num_ctx nor a running model says otherwise)'
        : '';
      warnings.push(
        `Ollama will run ${chosen?.id} with a context of ${context} tokens${assumed}; agent work with tools needs about ${SMALL_CONTEXT_TOKENS} or more, and Ollama silently drops the start of longer prompts. Restart it with OLLAMA_CONTEXT_LENGTH=32768 ollama serve, set PARAMETER num_ctx in a Modelfile, or use the ollama-native preset (it sends the model's contextWindow as num_ctx).`,
      );
    }
  }
  if (chosen?.tools === false && kind !== 'llamacpp') {
    warnings.push(
      `${chosen.id} does not support tool calls on this server: run with --no-tools or pick a tool-capable model.`,
    );
  }
  return { models, chosen, hints, warnings, slots };
}

/**
 * Probes a server: identifies it (Ollama `/api/version` and `/api/show`, llama.cpp `/props`, vLLM
 * `/version` and `max_model_len`, LM Studio `/api/v0/models`, else plain `/v1/models`), lists its models,
 * and reads the context window, chat template hints, tool and vision support. Only `baseUrl`'s origin is
 * contacted. The profile is cached per base URL and model.
 *
 * @throws {ConnectionError} when the server answers none of the endpoints (down, or not an OpenAI-compatible server).
 */
export async function probe(baseUrl: string, options: ProbeOptions = {}): Promise<ServerProfile> {
  const profile = await probeServer(baseUrl, options);
  debugLog('open-agent:probe', () => probeLine(profile));
  return profile;
}

/** One debug line about a probe result (no secrets: the URL is redacted). */
function probeLine(p: ServerProfile): string {
  const facts = [
    `${redactUrl(p.baseUrl)}: ${p.server}${p.version !== undefined ? ` ${p.version}` : ''}`,
    `${p.models.length} models`,
    ...(p.model !== undefined ? [`model ${p.model}`] : []),
    ...(p.contextWindow !== undefined ? [`context ${p.contextWindow}`] : []),
    ...(p.tools !== undefined ? [`tools ${p.tools}`] : []),
    `compat ${JSON.stringify(p.compat)}`,
  ];
  return facts.join(', ');
}

async function probeServer(baseUrl: string, options: ProbeOptions): Promise<ServerProfile> {
  const cache = options.cache === false ? undefined : (options.cache ?? sharedProbeCache);
  const key = probeCacheKey(baseUrl, options.model);
  const cached = await cache?.get(key);
  if (cached && (options.structured !== true || cached.structured !== undefined)) return cached;
  if (cached) {
    const checked = await checkStructured(cached, options);
    await cache?.set(key, checked);
    return checked;
  }
  const origin = originOf(baseUrl);
  if (origin === undefined)
    throw new ConnectionError(`Cannot probe ${redactUrl(baseUrl)}: not an http(s) URL.`, {
      url: redactUrl(baseUrl),
    });
  const answers = await identify(baseUrl, origin, options);
  const kind = kindOf(answers);
  if (kind === 'openai-compatible' && answers.models === undefined) {
    throw new ConnectionError(
      `No model server answered at ${redactUrl(baseUrl)} (GET ${redactUrl(baseUrl)}/models failed). Is the server running, and does the base URL include the version path (/v1)?`,
      { url: redactUrl(baseUrl) },
    );
  }
  const { models, chosen, hints, warnings, slots } = await describe(kind, answers, origin, options);
  const version =
    str(field(answers.ollamaVersion, 'version')) ??
    (kind === 'vllm' ? str(field(answers.vllmVersion, 'version')) : undefined) ??
    str(field(answers.llamacppProps, 'build_info'));
  const provider = PRESET_OF[kind];
  const profile: ServerProfile = {
    schemaVersion: 1,
    baseUrl,
    server: kind,
    provider,
    ...(version !== undefined && { version }),
    models,
    ...(chosen && { model: chosen.id }),
    ...(chosen?.contextWindow !== undefined && { contextWindow: chosen.contextWindow }),
    ...(chosen?.tools !== undefined && { tools: chosen.tools }),
    ...(chosen?.vision !== undefined && { vision: chosen.vision }),
    ...(chosen?.reasoning !== undefined && { reasoning: chosen.reasoning }),
    ...(hints.length > 0 && { chatTemplate: { hints } }),
    ...(slots !== undefined && { parallelSlots: slots }),
    compat: { ...(getPreset(provider)?.compat ?? {}) },
    warnings,
    probedAt: Date.now(),
  };
  const result = options.structured === true ? await checkStructured(profile, options) : profile;
  await cache?.set(key, result);
  return result;
}

/**
 * A model record with probed facts applied under the explicit ones: `compat` becomes
 * `{ ...profile.compat, ...model.compat }` (explicit > probed; the preset and defaults come after, in
 * `resolveCompat`), and the context window, image input and reasoning flag are filled in when the record
 * has none. A `custom` provider takes the identified preset's name. The server's parallel slots become
 * `maxConcurrentRequests` when the record sets none (requests over it wait in this process instead of in
 * the server's queue).
 */
export function applyProfile(model: Model, profile: ServerProfile): Model {
  const facts =
    profile.models.find((m) => m.id === model.id) ?? (profile.model === model.id ? profile : undefined);
  const contextWindow = model.contextWindow ?? facts?.contextWindow;
  return {
    ...model,
    ...(model.provider === 'custom' && profile.provider !== 'custom' && { provider: profile.provider }),
    compat: { ...profile.compat, ...model.compat },
    ...(contextWindow !== undefined && { contextWindow }),
    ...(model.input === undefined && facts?.vision === true && { input: ['text', 'image'] }),
    ...(model.reasoning === undefined && facts?.reasoning !== undefined && { reasoning: facts.reasoning }),
    ...(model.maxConcurrentRequests === undefined &&
      profile.parallelSlots !== undefined && { maxConcurrentRequests: profile.parallelSlots }),
  };
}
