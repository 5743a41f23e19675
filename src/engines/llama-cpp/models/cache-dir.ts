import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The directory models are pulled into: env `OPEN_AGENT_MODELS_DIR`; else `$XDG_DATA_HOME/open-agent/models`;
 * else `%LOCALAPPDATA%\open-agent\models` on Windows; else `~/.local/share/open-agent/models`.
 */
export function modelsDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.OPEN_AGENT_MODELS_DIR) return env.OPEN_AGENT_MODELS_DIR;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'open-agent', 'models');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'open-agent', 'models');
  return join(home, '.local', 'share', 'open-agent', 'models');
}
