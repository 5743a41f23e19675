import { EngineNotInstalledError } from './errors.js';

/** The node-llama-cpp module (types only; the package is an optional peer dependency). */
export type NodeLlamaCpp = typeof import('node-llama-cpp');

let loading: Promise<NodeLlamaCpp> | undefined;

/**
 * Imports node-llama-cpp on first use (never at module load, so `import 'open-agent-sdk'` and
 * `open-agent-sdk/llama-cpp` load no native code until a model runs).
 * @throws {EngineNotInstalledError} naming `npm install node-llama-cpp@3.21.1` when it is missing.
 */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= import('node-llama-cpp').catch((error: unknown) => {
    loading = undefined;
    const code = (error as { code?: unknown }).code;
    const detail = code === 'ERR_MODULE_NOT_FOUND' ? 'not installed' : `failed to load: ${String(error)}`;
    throw new EngineNotInstalledError(detail, { cause: error });
  });
  return loading;
}
