import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { type ConfigFlags, resolveConfig } from '../config/resolve-config.js';
import { enableDebug } from '../debug/debug.js';
import { formatSettingLines, settingLines } from './config-report.js';

/** The commands that take `--verbose`. */
export const VERBOSE_COMMANDS: readonly string[] = ['run', 'chat', 'models', 'doctor'];

/** The library debug namespaces `--verbose` switches on. */
export const VERBOSE_NAMESPACES = 'open-agent:http,open-agent:retry,open-agent:probe';

/** Adds `--verbose` (`-v` stays `--version`). */
export function addVerboseOption(command: Command): Command {
  return command.option(
    '--verbose',
    'on stderr: the settings and their sources, the probe result, each model request (size in bytes, status, time to first byte and first chunk, total) and retries',
  );
}

/**
 * Before a command with `--verbose` runs: prints the effective settings and their sources on stderr
 * (`open-agent:config KEY VALUE (SOURCE)`, the API key masked) and switches on {@link VERBOSE_NAMESPACES}.
 * A bad setting prints nothing here: the command reports it.
 */
export function startVerbose(flags: ConfigFlags & { cwd?: string; verbose?: boolean }): void {
  if (flags.verbose !== true) return;
  const write = (text: string): void => void process.stderr.write(text);
  enableDebug(VERBOSE_NAMESPACES, (line) => write(`${line}\n`));
  const cwd = flags.cwd ?? process.cwd();
  try {
    const config = resolveConfig({ flags, env: process.env, cwd });
    const lines = settingLines({
      config,
      env: process.env,
      cwd,
      apiKeyFlag: flags.apiKey,
      apiKeyFile: flags.apiKeyFile,
    });
    const text = formatSettingLines(lines);
    for (const line of text.split('\n')) if (line !== '') write(`open-agent:config ${line}\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
}
