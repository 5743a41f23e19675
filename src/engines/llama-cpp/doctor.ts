import { loadNodeLlamaCpp, type NodeLlamaCpp } from './load.js';
import { defaultThreads } from './model.js';

/** What `doctor` says about the embedded engine. */
export interface EngineReport {
  /** Whether node-llama-cpp can be resolved from this install. */
  installed: boolean;
  /** node-llama-cpp version, when installed. */
  version?: string;
  /** Compute backend the runtime picked (`cpu`, `cuda`, `vulkan`, `metal`), when it loaded. */
  backend?: string;
  /** Threads a model would use by default ({@link defaultThreads}). */
  threads: number;
  /** Why the runtime did not load, when installed but broken. */
  problem?: string;
}

/**
 * Reports the embedded engine for `doctor`: installed or not, version, backend and default threads.
 * Imports node-llama-cpp's JavaScript (not its native code); with `load: true` it also loads the native
 * runtime (about 0.4 s) to name the backend. Never throws.
 */
export async function engineReport(options: { load?: boolean } = {}): Promise<EngineReport> {
  const threads = defaultThreads();
  let lib: NodeLlamaCpp;
  let version: string;
  try {
    lib = await loadNodeLlamaCpp();
    version = await lib.getModuleVersion();
  } catch {
    return { installed: false, threads };
  }
  if (!options.load) return { installed: true, version, threads };
  try {
    const llama = await lib.getLlama({
      build: 'never',
      maxThreads: threads,
      logLevel: lib.LlamaLogLevel.error,
    });
    const backend = llama.gpu === false ? 'cpu' : llama.gpu;
    await llama.dispose();
    return { installed: true, version, backend, threads };
  } catch (error) {
    return { installed: true, version, threads, problem: String(error) };
  }
}

/** One line for `doctor`: `embedded engine: node-llama-cpp 3.21.1 (cpu, 1 thread)` or how to install it. */
export function formatEngineReport(report: EngineReport): string {
  if (!report.installed) return 'embedded engine: not installed (npm install node-llama-cpp@3.21.1)';
  const threads = `${report.threads} thread${report.threads === 1 ? '' : 's'}`;
  const detail = report.problem
    ? `does not load: ${report.problem}`
    : `${report.backend ?? 'backend not checked'}, ${threads}`;
  return `embedded engine: node-llama-cpp ${report.version} (${detail})`;
}
