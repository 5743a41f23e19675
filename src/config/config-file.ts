import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config-error.js';
import { type ConfigFile, validateConfig } from './config-schema.js';

/** The project config file name, looked up in the working directory. */
export const PROJECT_CONFIG_NAME = 'open-agent.config.yaml';

/** The project config file names looked up in the working directory, first found wins (`.yml` too). */
export const PROJECT_CONFIG_NAMES: readonly string[] = ['open-agent.config.yaml', 'open-agent.config.yml'];

/** Where config files are looked up. */
export interface ConfigLocations {
  /** Working directory (holds `open-agent.config.yaml`). */
  cwd: string;
  /** Home directory (holds `.config/open-agent/config.yaml` or `config.yml`). */
  home?: string;
  /** `XDG_CONFIG_HOME`, when set, replaces `~/.config`. */
  xdgConfigHome?: string;
  /** An explicit file (`--config` or `OPEN_AGENT_CONFIG`): only this one is read, and it must exist. */
  explicit?: string;
}

/** A loaded config: the merged settings and the files they came from (in the order read). */
export interface LoadedConfig {
  config: ConfigFile;
  files: string[];
  /** The file each top-level key of `config` came from, as `file:PATH`. */
  origins: Record<string, string>;
}

/** Largest config file read, in bytes (1 MiB). */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;

/**
 * Reads a config file's text: opened non-blocking (so a FIFO cannot hang the open), then checked on the
 * opened descriptor to be a regular file (no FIFO, device or directory) of at most
 * {@link CONFIG_FILE_MAX_BYTES}; at most that many bytes are read even if the file grows meanwhile.
 *
 * @throws {ConfigError} when the file cannot be opened or read, is not a regular file, or is too large.
 */
export function readConfigText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new ConfigError(`config file ${path} is not a regular file (a FIFO, device or directory)`);
    if (stat.size > CONFIG_FILE_MAX_BYTES)
      throw new ConfigError(
        `config file ${path} is ${stat.size} bytes; the limit is ${CONFIG_FILE_MAX_BYTES}`,
      );
    const buffer = Buffer.alloc(CONFIG_FILE_MAX_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > CONFIG_FILE_MAX_BYTES)
      throw new ConfigError(`config file ${path} grew past the limit of ${CONFIG_FILE_MAX_BYTES} bytes`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads ({@link readConfigText}), parses (YAML 1.2) and validates one config file.
 *
 * @throws {ConfigError} for an unreadable, special or too large file, invalid YAML, or invalid settings.
 */
export function readConfigFile(path: string): ConfigFile {
  const text = readConfigText(path);
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new ConfigError(`${path}: not valid YAML: ${reason}`);
  }
  return validateConfig(document, path);
}

/** The user-level config directory (`$XDG_CONFIG_HOME/open-agent` or `~/.config/open-agent`). */
export function userConfigDir(locations: Omit<ConfigLocations, 'cwd'>): string | undefined {
  const base =
    locations.xdgConfigHome ?? (locations.home !== undefined ? join(locations.home, '.config') : undefined);
  return base !== undefined ? join(base, 'open-agent') : undefined;
}

/**
 * The user-level config file path (`$XDG_CONFIG_HOME/open-agent/config.yaml` or `~/.config/...`); when
 * only `config.yml` exists there, that one.
 */
export function userConfigPath(locations: ConfigLocations): string | undefined {
  const dir = userConfigDir(locations);
  if (dir === undefined) return undefined;
  return firstExisting([join(dir, 'config.yaml'), join(dir, 'config.yml')]) ?? join(dir, 'config.yaml');
}

function firstExisting(paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

/**
 * Loads the config: the explicit file alone when given; otherwise the user file, then the project file
 * (`open-agent.config.yaml`, else `open-agent.config.yml`, in `cwd`), whose keys win. Missing files are
 * skipped.
 *
 * @throws {ConfigError} for an explicit file that does not exist, unreadable or invalid YAML, unknown keys,
 *   refused keys (API keys) and wrongly typed values.
 */
export function loadConfig(locations: ConfigLocations): LoadedConfig {
  if (locations.explicit !== undefined) {
    const path = resolve(locations.cwd, locations.explicit);
    if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist`);
    const config = readConfigFile(path);
    return { config, files: [path], origins: originsOf(config, path, {}) };
  }
  const project = firstExisting(PROJECT_CONFIG_NAMES.map((name) => join(locations.cwd, name)));
  const candidates = [userConfigPath(locations), project];
  const files = candidates.filter((p): p is string => p !== undefined && existsSync(p));
  const config: ConfigFile = {};
  const origins: Record<string, string> = {};
  for (const path of files) {
    const read = readConfigFile(path);
    Object.assign(config, read);
    originsOf(read, path, origins);
  }
  return { config, files, origins };
}

function originsOf(config: ConfigFile, path: string, into: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(config)) into[key] = `file:${path}`;
  return into;
}
