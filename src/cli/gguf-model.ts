import { existsSync } from 'node:fs';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { Model } from '../index.js';
import { pullWithProgress } from './pull-command.js';
import { UsageError } from './usage-error.js';

/**
 * The model record for `--gguf PATH|URI` (or the config file's `modelPath`): a local GGUF file, or a model
 * URI pulled into the cache on first use. Registers the embedded engine as the provider of
 * `api: 'llama-cpp'`. Threads come from env `OPEN_AGENT_LLAMA_THREADS` (default: 1 under `CI`, else half
 * the cores); the context size from the config's `contextWindow` (default 4096).
 *
 * @throws {UsageError} when node-llama-cpp is not installed (naming the install command), the file does
 *   not exist, or the URI is not a model URI.
 */
export async function ggufModelFor(value: string, config: ResolvedConfig): Promise<Model> {
  const engine = await import('../engines/llama-cpp/index.js');
  const report = await engine.engineReport();
  if (!report.installed)
    throw new UsageError(
      `--gguf runs the embedded engine, which needs node-llama-cpp: ${engine.INSTALL_COMMAND}`,
    );
  let path = value;
  if (engine.isModelUri(value)) {
    path = (await engine.cachedPathFor(value)) ?? (await pullWithProgress(value));
  } else if (!existsSync(path)) {
    throw new UsageError(
      `--gguf: no such file ${JSON.stringify(value)} (give a .gguf path, or a model URI such as hf:OWNER/REPO/FILE.gguf)`,
    );
  }
  engine.registerLlamaCpp();
  return engine.llamaCppModel({
    path,
    ...(config.contextWindow !== undefined && { contextSize: config.contextWindow }),
  });
}
