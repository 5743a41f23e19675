import type { StructuredRung, StructuredVerdict } from '../output/rungs.js';
import type { ModelCompat } from '../types/compat.js';

/** The kind of server a probe identified. */
export type ServerKind = 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'openai-compatible';

/** One model a server lists, with what the probe learned about it. */
export interface ProbedModel {
  /** Model id as the server knows it. */
  id: string;
  /** Context window the server will actually use, in tokens (Ollama: `num_ctx`; LM Studio: the loaded context). */
  contextWindow?: number;
  /** Largest context the model supports, in tokens, when different from what the server uses. */
  maxContextWindow?: number;
  /** The model is loaded in memory (Ollama `/api/ps`, LM Studio `state`). */
  loaded?: boolean;
  /** The model (or its chat template) supports tool calls. */
  tools?: boolean;
  /** The model accepts images. */
  vision?: boolean;
  /** The model produces reasoning. */
  reasoning?: boolean;
}

/**
 * What a probe learned about a server and one of its models: plain JSON, cached per base URL and model.
 * `compat` is the probed layer of the compat profile (explicit > probed > preset > defaults).
 */
export interface ServerProfile {
  /** Version of this record's shape. */
  schemaVersion: 1;
  /** The base URL probed (with the version path). */
  baseUrl: string;
  /** What the server is. */
  server: ServerKind;
  /** Preset name matching the server kind, or `custom`. */
  provider: string;
  /** Server version, when it reports one. */
  version?: string;
  /** Models the server lists (`/v1/models` and the native listing). */
  models: ProbedModel[];
  /** The model this profile describes (the requested one, else the first loaded one, else the first listed). */
  model?: string;
  /** That model's effective context window, in tokens. */
  contextWindow?: number;
  /** Tool-call support of that model (undefined when the server does not say). */
  tools?: boolean;
  /** Image input support of that model. */
  vision?: boolean;
  /** Reasoning support of that model. */
  reasoning?: boolean;
  /**
   * Requests the server runs in parallel (llama.cpp `/props` `total_slots`); `applyProfile` makes it the
   * model's `maxConcurrentRequests`. Absent when the server does not say.
   */
  parallelSlots?: number;
  /** Facts read from the chat template (`/props`, `/api/show`). */
  chatTemplate?: { hints: string[] };
  /** Compat flags learned by probing; pass as `resolveCompat(model, profile.compat)` or use `applyProfile`. */
  compat: ModelCompat;
  /** Problems worth telling the user (small context window, no tool support, ...). */
  warnings: string[];
  /** When the probe ran, ms since the epoch. */
  probedAt: number;
  /**
   * Fail-open check of structured output (`probe({ structured: true })`, `doctor --structured`): the
   * verdict per grammar rung. `compat.structuredRungs` already leaves out the rungs not `enforced`.
   */
  structured?: {
    v: 1;
    verdicts: Partial<Record<StructuredRung, StructuredVerdict>>;
    model: string;
    checkedAt: number;
  };
}
