import type { ConfigEnv } from '../config/resolve-config.js';
import { ApiError } from '../errors/api-error.js';
import { keyRequirement, suggestBaseUrl, unauthorizedHint } from '../errors/diagnose.js';
import { redactUrl } from '../http/redact.js';

/**
 * Where the key the CLI sent came from: `--api-key` (or `--api-key-file`, `--api-key -`), `OPENAI_API_KEY`,
 * the preset's own variable (read by the library at its origin), or undefined when no key was sent.
 */
export function keySourceOf(baseUrl: string, apiKey: string | undefined, env: ConfigEnv): string | undefined {
  if (apiKey !== undefined) return env.OPENAI_API_KEY === apiKey ? 'OPENAI_API_KEY' : '--api-key';
  const need = keyRequirement(baseUrl);
  if (need !== undefined && (env[need.keyEnv] ?? '') !== '') return need.keyEnv;
  return undefined;
}

/**
 * The `hint:` lines for a run that failed with `error`: after a 401/403, whether a key was sent and which
 * variable would supply it; after a 404, the base URL the server really answers at (one or two
 * `GET …/models` requests to the same origin), when one does. Empty for other errors.
 */
export async function failureHints(
  error: unknown,
  baseUrl: string,
  apiKey: string | undefined,
  env: ConfigEnv,
): Promise<string[]> {
  if (!ApiError.isInstance(error)) return [];
  if (error.status === 401 || error.status === 403)
    return [
      `hint: ${unauthorizedHint({ baseUrl: redactUrl(baseUrl), keySource: keySourceOf(baseUrl, apiKey, env) })}`,
    ];
  if (error.status === 404) {
    const better = await suggestBaseUrl(baseUrl, { ...(apiKey !== undefined && { apiKey }) });
    if (better !== undefined) {
      const shown = redactUrl(better);
      return [`hint: the server answers at ${shown}; try --base-url ${shown}`];
    }
  }
  return [];
}
