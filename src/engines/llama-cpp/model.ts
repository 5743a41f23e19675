import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Api } from '../../types/message.js';
import type { Model } from '../../types/model.js';

/** The wire-protocol name (`model.api`) of the embedded engine. */
export const LLAMA_CPP_API: Api = 'llama-cpp';

/** Compute backend: `false` is CPU only; `'auto'` lets node-llama-cpp pick the best GPU it has a binary for. */
export type LlamaCppGpu = 'auto' | false | 'cuda' | 'vulkan' | 'metal';

/**
 * A model run in-process by node-llama-cpp. A {@link Model} (so `stream()`, `Agent` and the CLI accept it)
 * whose `path` names a local GGUF file; `baseUrl` is the file's `file:` URL and is not used.
 */
export interface LlamaCppModel extends Model {
  /** Absolute path of the GGUF file. */
  path: string;
  /** Context window in tokens. @default 4096 */
  contextSize?: number;
  /**
   * CPU threads for evaluation. More threads than free cores makes llama.cpp's spinning barriers collapse
   * (100–600× slower), so the default is conservative. @default {@link defaultThreads}
   */
  threads?: number;
  /** Compute backend. @default node-llama-cpp's default (`auto`, or env `NODE_LLAMA_CPP_GPU`) */
  gpu?: LlamaCppGpu;
  /** Default sampling seed (a call's `seed` option overrides it). */
  seed?: number;
}

/** Fields accepted by {@link llamaCppModel}. */
export interface LlamaCppModelOptions {
  /** Path of the GGUF file (relative paths resolve against the working directory). */
  path: string;
  /** Model id in messages and logs. @default the file name without `.gguf` */
  id?: string;
  /** @see LlamaCppModel.contextSize */
  contextSize?: number;
  /** @see LlamaCppModel.threads */
  threads?: number;
  /** @see LlamaCppModel.gpu */
  gpu?: LlamaCppGpu;
  /** @see LlamaCppModel.seed */
  seed?: number;
  /** Largest output per call, in tokens. @default none (until the context is full) */
  maxOutputTokens?: number;
}

/** Default context window, tokens. */
export const DEFAULT_CONTEXT_SIZE = 4096;

/**
 * Default thread count: env `OPEN_AGENT_LLAMA_THREADS` when set; 1 when env `CI` is set (shared runners);
 * otherwise half the available cores (at least 1), which approximates the physical cores.
 */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.OPEN_AGENT_LLAMA_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (env.CI) return 1;
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/** Builds the model record of a local GGUF file for the embedded engine. */
export function llamaCppModel(options: LlamaCppModelOptions): LlamaCppModel {
  const path = resolve(options.path);
  const model: LlamaCppModel = {
    id: options.id ?? basename(path).replace(/\.gguf$/i, ''),
    api: LLAMA_CPP_API,
    provider: 'llama-cpp',
    baseUrl: pathToFileURL(path).href,
    path,
    contextWindow: options.contextSize ?? DEFAULT_CONTEXT_SIZE,
  };
  if (options.contextSize !== undefined) model.contextSize = options.contextSize;
  if (options.threads !== undefined) model.threads = options.threads;
  if (options.gpu !== undefined) model.gpu = options.gpu;
  if (options.seed !== undefined) model.seed = options.seed;
  if (options.maxOutputTokens !== undefined) model.maxOutputTokens = options.maxOutputTokens;
  return model;
}

/** True when `model` is a record for the embedded engine. */
export function isLlamaCppModel(model: Model): model is LlamaCppModel {
  return model.api === LLAMA_CPP_API && typeof (model as Partial<LlamaCppModel>).path === 'string';
}
