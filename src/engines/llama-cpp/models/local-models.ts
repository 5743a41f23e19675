import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { modelsDir } from './cache-dir.js';
import { readModelRecord } from './download.js';
import { isModelUri, parseModelUri } from './model-uri.js';

/** A GGUF file in the cache directory. */
export interface LocalModel {
  /** File name. */
  name: string;
  /** Absolute path. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Where it was pulled from, when it was pulled (not copied in by hand). */
  uri?: string;
  /** SHA-256 recorded at pull time. */
  sha256?: string;
}

/** Lists the `.gguf` files of the cache directory (partial downloads excluded), by name. */
export async function listLocalModels(dir: string = modelsDir()): Promise<LocalModel[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const models: LocalModel[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.gguf')).sort()) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const record = await readModelRecord(path);
    models.push({
      name,
      path,
      size: info.size,
      ...(record && { uri: record.uri, sha256: record.sha256 }),
    });
  }
  return models;
}

/**
 * The local file for a `--gguf` value: a path as given, or for a model URI the cached file (undefined
 * when it was not pulled yet).
 */
export async function cachedPathFor(value: string, dir: string = modelsDir()): Promise<string | undefined> {
  if (!isModelUri(value)) return value;
  const path = join(dir, parseModelUri(value).fileName);
  const record = await readModelRecord(path);
  return record ? path : undefined;
}
