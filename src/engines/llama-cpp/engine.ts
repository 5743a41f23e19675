import type { Llama, LlamaChat, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { EngineError } from './errors.js';
import { loadNodeLlamaCpp, type NodeLlamaCpp } from './load.js';
import { DEFAULT_CONTEXT_SIZE, defaultThreads, type LlamaCppModel } from './model.js';

/** The loaded state of one model: runtime, weights, one context with one sequence, a chat driver. */
export interface EngineState {
  readonly lib: NodeLlamaCpp;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  readonly chat: LlamaChat;
  /** Threads the context evaluates with. */
  readonly threads: number;
  /** Serializes generations: the context has one sequence. */
  lock: Promise<void>;
}

interface Entry {
  key: string;
  state: Promise<EngineState>;
}

const entries = new Map<string, Entry>();

function cacheKey(model: LlamaCppModel, threads: number): string {
  return JSON.stringify([model.path, model.contextSize ?? DEFAULT_CONTEXT_SIZE, threads, model.gpu ?? null]);
}

async function loadState(model: LlamaCppModel, threads: number): Promise<EngineState> {
  const lib = await loadNodeLlamaCpp();
  const llama = await lib.getLlama({
    ...(model.gpu !== undefined && { gpu: model.gpu }),
    build: 'never',
    maxThreads: threads,
    logLevel: lib.LlamaLogLevel.error,
  });
  try {
    const loaded = await llama.loadModel({ modelPath: model.path });
    const context = await loaded.createContext({
      contextSize: model.contextSize ?? DEFAULT_CONTEXT_SIZE,
      threads,
      sequences: 1,
    });
    const sequence = context.getSequence();
    const chat = new lib.LlamaChat({ contextSequence: sequence });
    return { lib, llama, model: loaded, context, sequence, chat, threads, lock: Promise.resolve() };
  } catch (error) {
    await llama.dispose().catch(() => undefined);
    throw new EngineError(`The embedded engine could not load ${model.path}: ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The engine state of a model, loaded on first use and cached per model path, context size, threads and
 * backend. A failed load is not cached (the next call tries again).
 * @throws {EngineNotInstalledError} when node-llama-cpp is missing; {@link EngineError} when loading fails.
 */
export function getEngine(model: LlamaCppModel): Promise<EngineState> {
  const threads = model.threads ?? defaultThreads();
  const key = cacheKey(model, threads);
  let entry = entries.get(key);
  if (!entry) {
    const state = loadState(model, threads);
    entry = { key, state };
    entries.set(key, entry);
    const current = entry;
    state.catch(() => {
      if (entries.get(key) === current) entries.delete(key);
    });
  }
  return entry.state;
}

/**
 * Waits for exclusive use of the engine's sequence (one generation at a time) and returns the release
 * function, which the caller must call once its generation settled.
 */
export async function acquireEngine(state: EngineState): Promise<() => void> {
  const previous = state.lock;
  let release!: () => void;
  state.lock = new Promise((resolve) => {
    release = resolve;
  });
  await previous;
  return release;
}

async function disposeEntry(entry: Entry): Promise<void> {
  const state = await entry.state.catch(() => undefined);
  if (!state) return;
  await state.lock;
  state.chat.dispose();
  await state.context.dispose();
  await state.model.dispose();
  await state.llama.dispose();
}

/**
 * Frees the engine state (context, weights, native runtime) of one model, or of every model when none is
 * given. Waits for running generations to end. The next call loads the model again.
 */
export async function closeLlamaCpp(model?: LlamaCppModel): Promise<void> {
  const victims = [...entries.values()].filter((entry) => !model || JSON.parse(entry.key)[0] === model.path);
  for (const entry of victims) entries.delete(entry.key);
  await Promise.all(victims.map(disposeEntry));
}

/** Number of loaded models (for tests and `doctor`). */
export function loadedEngineCount(): number {
  return entries.size;
}
