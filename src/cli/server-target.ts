import { ConfigError } from '../config/config-error.js';
import {
  type ConfigEnv,
  type ConfigFlags,
  type ResolvedConfig,
  resolveConfig,
} from '../config/resolve-config.js';
import { discoverLocalServers, probe, type ServerProfile } from '../index.js';
import { apiKeyFromFlags } from './api-key.js';
import { apiKeyFor, probePorts } from './model-settings.js';
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
 * probes afresh (no cache): these commands are for diagnosis.
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
    const apiKey = apiKeyFor(config.baseUrl, flagKey, env);
    try {
      const profile = await probe(config.baseUrl, {
        cache: false,
        ...(model !== undefined && { model }),
        ...(apiKey !== undefined && { apiKey }),
      });
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
