import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as util from 'node:util';
import { readConfigText } from '../config/config-file.js';
import type { OutputSink } from './output.js';

/** The flag that skips `.env`. */
export const NO_ENV_FILE_FLAG = '--no-env-file';

/** Names of the variables the CLI took from `.env` (for `open-agent config` and `--verbose`). */
export const dotEnvNames = new Set<string>();

/** The `.env` file read, when one was. */
export let dotEnvPath: string | undefined;

/** True when the command line (before a `--`) holds `--no-env-file`. */
export function envFileDisabled(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(NO_ENV_FILE_FLAG);
}

type ParseEnv = (content: string) => Record<string, string>;

/**
 * Reads `.env` in `cwd` (only there: never a parent or home directory) into `env`: variables already set
 * win, even when empty. The syntax is Node's (`util.parseEnv`, Node 20.12+): `KEY=value`, an optional
 * `export ` prefix, `#` comments, single, double or backtick quotes, multi-line double-quoted values. The
 * file is read like a config file (a regular file of at most 1 MiB).
 *
 * On a Node without `util.parseEnv`, the file is not read and one warning line says so.
 * @returns the names set from the file.
 * @throws {ConfigError} when the file exists but cannot be read, is not a regular file, or is too large.
 */
export function loadDotEnv(
  cwd: string,
  env: Record<string, string | undefined>,
  stderr: OutputSink,
): string[] {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return [];
  const parseEnv = (util as { parseEnv?: ParseEnv }).parseEnv;
  if (parseEnv === undefined) {
    stderr.write(`warning: ${path} was not read: reading .env needs Node 20.12 or later\n`);
    return [];
  }
  const values = parseEnv(readConfigText(path));
  const set: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
    dotEnvNames.add(name);
  }
  dotEnvPath = path;
  return set;
}
