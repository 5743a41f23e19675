import { redactUrl, type ServerProfile } from '../index.js';

/** Readable names of the server kinds that probing identifies. */
export const SERVER_LABELS: Record<ServerProfile['server'], string> = {
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  llamacpp: 'llama.cpp server',
  vllm: 'vLLM',
  'openai-compatible': 'OpenAI-compatible server',
};

/**
 * The one way the CLI names a probed server, in `run`/`chat`/`logs` discovery lines and the `doctor`
 * report alike: its kind, its version when it reports one, and its base URL without secrets, e.g.
 * `Ollama 0.12.3 at http://127.0.0.1:11434/v1`.
 */
export function serverName(profile: Pick<ServerProfile, 'server' | 'version' | 'baseUrl'>): string {
  const version = profile.version ? ` ${profile.version}` : '';
  return `${SERVER_LABELS[profile.server]}${version} at ${redactUrl(profile.baseUrl)}`;
}
