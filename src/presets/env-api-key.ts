import type { PresetTable } from './preset-table.js';
import { GLOBAL_PRESETS } from './presets.js';

/**
 * The API key a preset reads from the environment: the value of its `apiKeyEnv` variable (e.g.
 * `OPENAI_API_KEY` for `openai`). Never logs or throws; the value is only returned to the caller.
 *
 * The SDK itself sends such a key only to the preset's own origin; a caller passing the result as
 * `apiKey` to another base URL sends it there.
 *
 * @param provider - a preset name (case-insensitive), e.g. `'openai'`, `'groq'`.
 * @param presets - where the name is looked up. @default the global preset table
 * @returns the variable's value, or `undefined` when the preset is unknown, has no variable, or the
 *   variable is unset or empty.
 */
export function getEnvApiKey(provider: string, presets: PresetTable = GLOBAL_PRESETS): string | undefined {
  const name = presets.get(provider)?.apiKeyEnv;
  if (name === undefined) return undefined;
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value !== undefined && value.length > 0 ? value : undefined;
}
