/**
 * `open-agent-sdk/llama-cpp`: an embedded, in-process engine (llama.cpp through node-llama-cpp) for
 * agents on a local GGUF model with no server. node-llama-cpp is an optional peer dependency, imported
 * on first use: `npm install node-llama-cpp@3.21.1`.
 *
 * ```ts
 * import { Agent } from 'open-agent-sdk';
 * import { llamaCppModel, registerLlamaCpp } from 'open-agent-sdk/llama-cpp';
 * registerLlamaCpp();
 * const model = llamaCppModel({ path: './qwen3-0.6b-q8_0.gguf', threads: 4 });
 * ```
 */
import { registerProvider } from '../../providers/registry.js';
import { LLAMA_CPP_API } from './model.js';
import { streamLlamaCpp } from './source.js';

export { type EngineReport, engineReport, formatEngineReport } from './doctor.js';
export { closeLlamaCpp } from './engine.js';
export { EngineError, EngineNotInstalledError, INSTALL_COMMAND } from './errors.js';
export {
  DEFAULT_CONTEXT_SIZE,
  defaultThreads,
  isLlamaCppModel,
  LLAMA_CPP_API,
  type LlamaCppGpu,
  type LlamaCppModel,
  type LlamaCppModelOptions,
  llamaCppModel,
} from './model.js';
export { streamLlamaCpp } from './source.js';

/**
 * Registers the engine as the provider of `api: 'llama-cpp'`, so `stream()`, `complete()` and `Agent`
 * run {@link LlamaCppModel} records. Explicit (importing this module registers nothing).
 */
export function registerLlamaCpp(): void {
  registerProvider(LLAMA_CPP_API, streamLlamaCpp);
}
export * from './models/index.js';
