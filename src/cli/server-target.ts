import { ConfigError } from '../config/config-error.js';
import {
  type ConfigEnv,
  type ConfigFlags,
  type ResolvedConfig,
  resolveConfig,
} from '../config/resolve-config.js';
import { checkModelsEndpoint } from '../errors/diagnose.js';
import { discoverLocalServers, probe, redactUrl, type ServerProfile } from '../index.js';
import { apiKeyFromFlags } from './api-key.js';
import { apiKeyFor, probePorts, trimmedBaseUrl } from './model-settings.js';
import { UsageError } from './usage-error.js';

/** The server a diagnostic command looks at, and what probing found. */
export interface ProbedTarget {
  config: ResolvedConfig;
  /** The profile of the named server, or of the first server found on the local ports. */
  profile?: ServerProfile;
  /** Base URLs found on the local ports (empty when a server was named). */
  found: string[];
  /** The ports tried (when nothing named a server). */
  ports: number[];
  /** The named server could not be probed: why. */
  error?: string;
}

/**
 * Resolves the server like every command (flags > environment > config file > preset) and probes it;
 * without a named server, probes the standard local ports and describes the first server found. Always
 * probes afresh (no cache): these commands are for diagnosis. A named server whose `GET <base>/models`
 * fails (non-2xx, not JSON, no `data` list) is an `error`, even when other endpoints answered. A base URL
 * with a pasted endpoint path is trimmed with a warning.
 *
 * @throws {UsageError} for bad settings.
 */
export async function probeTarget(flags: ConfigFlags, env: ConfigEnv, cwd: string): Promise<ProbedTarget> {
  const flagKey = apiKeyFromFlags(flags);
  let config: ResolvedConfig;
  try {
    config = resolveConfig({ flags, env, cwd });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const model = config.model;
  if (config.baseUrl !== undefined) {
    config = {
      ...config,
      baseUrl: trimmedBaseUrl(config.baseUrl, { write: (text) => void process.stderr.write(text) }),
    };
  }
  if (config.baseUrl !== undefined) {
    const apiKey = apiKeyFor(config.baseUrl, flagKey, env);
    try {
      const profile = await probe(config.baseUrl, {
        cache: false,
        ...(model !== undefined && { model }),
        ...(apiKey !== undefined && { apiKey }),
      });
      // A server may answer its own endpoints (Ollama's /api/version) while the model list fails: that is
      // not a working server for this client, so doctor and models must not report success.
      const models = await checkModelsEndpoint(config.baseUrl, { ...(apiKey !== undefined && { apiKey }) });
      if (!models.ok) {
        const shown = redactUrl(config.baseUrl);
        return {
          config,
          found: [],
          ports: [],
          error: `GET ${shown}/models did not give a model list (${models.reason}): the server at ${shown} cannot list its models; check the base URL (it usually ends with /v1) and the server's log`,
        };
      }
      return { config, profile, found: [], ports: [] };
    } catch (error) {
      return { config, found: [], ports: [], error: error instanceof Error ? error.message : String(error) };
    }
  }
  const ports = probePorts(env);
  const found = await discoverLocalServers({ ports });
  const first = found[0];
  if (first === undefined) return { config, found, ports };
  const profile = await probe(first, { cache: false, ...(model !== undefined && { model }) });
  return { config, profile, found, ports };
}
