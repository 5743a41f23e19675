import type { Command } from 'commander';
import { PRESETS } from '../index.js';

/** Names accepted by `--provider`. */
const PROVIDERS = [...PRESETS.map((p) => p.name), 'custom'].join(', ');

/** Help text of the flags every model command shares. */
export const MODEL_FLAG_HELP = {
  baseUrl:
    'server base URL including the version path (env: OPENAI_BASE_URL); without one, the standard local ports are probed',
  model: 'model id as the server knows it (env: OPENAI_MODEL)',
  provider: `preset: ${PROVIDERS} (default: guessed from the base URL, else custom)`,
  api: 'wire protocol: openai-chat (default), openai-responses or anthropic-messages',
  apiKey:
    'API key, sent as "Authorization: Bearer" to the base URL (env: OPENAI_API_KEY, see below). "-" reads it from the first line of stdin. A key in argv is visible to every local user while the CLI starts: prefer --api-key-file or "-"',
  apiKeyFile: 'read the API key from this file (a regular file; surrounding whitespace is trimmed)',
  config:
    'config file to read (env: OPEN_AGENT_CONFIG; default: ./open-agent.config.yaml and ~/.config/open-agent/config.yaml)',
} as const;

/**
 * Adds the server and model flags (`--base-url`, `--model`, `--provider`, `--api`, `--api-key`,
 * `--api-key-file`, `--config`).
 */
export function addModelOptions(command: Command): Command {
  const h = MODEL_FLAG_HELP;
  return command
    .option('--base-url <url>', h.baseUrl)
    .option('--model <id>', h.model)
    .option('--provider <name>', h.provider)
    .option('--api <api>', h.api)
    .option('--api-key <key>', h.apiKey)
    .option('--api-key-file <path>', h.apiKeyFile)
    .option('--config <file>', h.config);
}
