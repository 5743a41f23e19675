/**
 * The embedded engine as the CLI's last resort: when nothing names a server and probing finds none, a
 * model cached by `open-agent pull` runs in-process (node-llama-cpp), and `doctor` reports the engine.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { EngineReport, LocalModel } from '../engines/llama-cpp/index.js';
import type { Model } from '../types/model.js';
import { ggufModelFor } from './gguf-model.js';

/** A model of the engine's cache directory, with when it was pulled or last written. */
export interface CachedModel extends LocalModel {
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
}

/** Example model URI in hints (small enough for a laptop CPU). */
export const EXAMPLE_MODEL_URI = 'hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf';

/**
 * The models of the cache directory (env `OPEN_AGENT_MODELS_DIR`, else the XDG data directory), newest
 * first (most recently pulled or written). Never throws: an unreadable directory has none.
 */
export async function cachedModels(env: NodeJS.ProcessEnv = process.env): Promise<CachedModel[]> {
  const engine = await import('../engines/llama-cpp/index.js');
  const models = await engine.listLocalModels(engine.modelsDir(env));
  const dated = await Promise.all(
    models.map(async (m) => ({ ...m, mtimeMs: (await stat(m.path).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  return dated.sort((a, b) => b.mtimeMs - a.mtimeMs || a.name.localeCompare(b.name));
}

/** The engine fallback that was chosen: the model record and the cached file it runs. */
export interface EngineFallback {
  model: Model;
  /** The cached model it runs. */
  cached: CachedModel;
}

/**
 * The embedded engine with the newest cached model, when node-llama-cpp is installed and a model is
 * cached; else undefined (then {@link engineHint} says how to get either).
 */
export async function engineFallback(
  env: NodeJS.ProcessEnv,
  config: ResolvedConfig,
): Promise<EngineFallback | undefined> {
  const engine = await import('../engines/llama-cpp/index.js');
  const report = await engine.engineReport();
  if (!report.installed) return undefined;
  const cached = (await cachedModels(env))[0];
  if (!cached) return undefined;
  return { model: await ggufModelFor(cached.path, config), cached };
}

/**
 * The end of the "no server found" message: how to run a model in-process instead (install
 * node-llama-cpp if missing, then pull a model).
 */
export async function engineHint(): Promise<string> {
  const engine = await import('../engines/llama-cpp/index.js');
  const report = await engine.engineReport();
  const pull = `open-agent pull ${EXAMPLE_MODEL_URI}`;
  return report.installed
    ? `; or run a model in-process with no server: node-llama-cpp is installed but no model is cached, so \`${pull}\` (then run again, or pass --gguf PATH|URI)`
    : `; or run a model in-process with no server: \`${engine.INSTALL_COMMAND}\`, then \`${pull}\` (then run again, or pass --gguf PATH|URI)`;
}

/** What `doctor` reports about the embedded engine (`engine` in `--output json`). */
export interface EngineSummary extends EngineReport {
  /** Cache directory of pulled models. */
  modelsDir: string;
  /** Its models, newest first (the one the fallback would use first). */
  models: { name: string; path: string; size: number; uri?: string }[];
}

/**
 * The engine report with the cached models, for `doctor`. With `load`, the native runtime is loaded to
 * name the backend (`doctor --engine`; seconds on a busy machine, so not by default).
 */
export async function engineSummary(
  env: NodeJS.ProcessEnv = process.env,
  load = false,
): Promise<EngineSummary> {
  const engine = await import('../engines/llama-cpp/index.js');
  const report = await engine.engineReport({ load });
  const models = (await cachedModels(env)).map(({ name, path, size, uri }) => ({
    name,
    path,
    size,
    ...(uri !== undefined && { uri }),
  }));
  return { ...report, modelsDir: engine.modelsDir(env), models };
}

/** The `doctor` text lines of the engine: the report line and the cached models. */
export async function engineLines(summary: EngineSummary): Promise<string> {
  const engine = await import('../engines/llama-cpp/index.js');
  const line = engine.formatEngineReport(summary);
  const lines = [
    summary.installed && summary.backend === undefined && summary.problem === undefined
      ? `${line} (doctor --engine loads it to name the backend)`
      : line,
  ];
  if (summary.models.length === 0)
    lines.push(`cached models: none in ${summary.modelsDir} (open-agent pull ${EXAMPLE_MODEL_URI})`);
  else
    lines.push(
      `cached models (${summary.modelsDir}, newest first; used when no server is found): ${summary.models.map((m) => m.name).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}
