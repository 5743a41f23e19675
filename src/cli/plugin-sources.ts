/**
 * Where the CLI finds plugin modules: the user's plugin directory and the config file's `plugins` list.
 * Never the working directory, unless a config file (or `OPEN_AGENT__PLUGINS`) names a path there.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadConfig, userConfigDir, userConfigPath } from '../config/config-file.js';
import { configFromEnv } from '../config/env-overrides.js';
import { isInside } from '../tools/builtin/confine.js';
import { dotEnvNames, dotEnvPath } from './env-file.js';

/** One plugin module to import. */
export interface PluginSource {
  /** What the user wrote (a file, directory or package name), for messages. */
  label: string;
  /** Where it was found: the plugin directory, or the config's `plugins` list (`file:PATH` or `env:NAME`). */
  origin: string;
  /** The module file to import (absolute), or the reason none could be found. */
  file?: string;
  /** Why the source cannot be imported (not found, no entry point). */
  error?: string;
}

/** Environment variables that decide where plugins are looked up. */
export type PluginEnv = Readonly<Record<string, string | undefined>>;

/** The user's plugin directory: `$XDG_CONFIG_HOME/open-agent/plugins`, else `~/.config/open-agent/plugins`. */
export function pluginDirectory(env: PluginEnv): string | undefined {
  const nonEmpty = (v: string | undefined) => (v !== undefined && v !== '' ? v : undefined);
  const home = nonEmpty(env.HOME);
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const dir = userConfigDir({
    ...(home !== undefined && { home }),
    ...(xdg !== undefined && { xdgConfigHome: xdg }),
  });
  return dir !== undefined ? join(dir, 'plugins') : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file an `exports` value points at for `import` (conditions `import`, `node`, `default`, in order). */
function exportsEntry(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(exportsEntry).find((v) => v !== undefined);
  if (!isRecord(value)) return undefined;
  if ('.' in value) return exportsEntry(value['.']);
  for (const condition of ['import', 'node', 'default']) {
    const entry = condition in value ? exportsEntry(value[condition]) : undefined;
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/**
 * The module file of a package directory: its package.json `exports` (`.` with `import`/`node`/`default`),
 * else `main`, else `index.js`; it must stay inside the directory.
 *
 * @throws {Error} when package.json cannot be read or parsed, or the entry points outside the directory.
 */
export function packageEntry(dir: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!isRecord(manifest)) throw new Error(`${join(dir, 'package.json')} is not a JSON object`);
  const main = typeof manifest.main === 'string' ? manifest.main : undefined;
  const entry = resolve(dir, exportsEntry(manifest.exports) ?? main ?? 'index.js');
  if (!isInside(dir, entry)) throw new Error(`the entry point of ${dir} is outside the package`);
  return entry;
}

/** A `.js`/`.mjs` file, or a directory with package.json, as a source. */
function sourceOfPath(path: string, label: string, origin: string): PluginSource {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { label, origin, file: packageEntry(path) };
    return { label, origin, file: path };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message;
    return { label, origin, error: reason };
  }
}

/**
 * The plugin directory's modules, sorted by name: `*.js` and `*.mjs` files, and directories holding a
 * package.json. Hidden entries and anything else are ignored; a missing directory gives none.
 */
export function directorySources(dir: string | undefined): PluginSource[] {
  if (dir === undefined || !existsSync(dir)) return [];
  const sources: PluginSource[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isFile() && /\.m?js$/.test(name)) sources.push({ label: path, origin: 'directory', file: path });
    else if (stat.isDirectory() && existsSync(join(path, 'package.json')))
      sources.push(sourceOfPath(path, path, 'directory'));
  }
  return sources;
}

/** npm's package name rule (`name` or `@scope/name`, lower case). */
const PACKAGE_NAME = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** True when a `plugins` entry is a path (`./x`, `../x`, `/x`, `~/x`, or ends in `.js`/`.mjs`), not a package. */
export function isPathEntry(entry: string): boolean {
  return /^(\.{1,2}[/\\]|~[/\\])/.test(entry) || isAbsolute(entry) || /\.m?js$/.test(entry);
}

/** A package installed in a `node_modules` directory at or above `from` (Node's lookup). */
function packageSource(name: string, from: string, origin: string): PluginSource {
  if (!PACKAGE_NAME.test(name))
    return { label: name, origin, error: 'not a path (start it with ./ or /) nor a package name' };
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return sourceOfPath(candidate, name, origin);
    if (dirname(dir) === dir) break;
  }
  return { label: name, origin, error: `package not found in a node_modules directory at or above ${from}` };
}

/** Input of {@link configSources}. */
export interface ConfigSourcesInput {
  env: PluginEnv;
  /** Working directory (holds the project config file). */
  cwd: string;
  /** `--config FILE`, when given. */
  config?: string | undefined;
}

/**
 * The config's `plugins` entries as sources. Plugins are code, so they load only from places the user
 * chose, never from a repository being worked in: the user config file, an explicit `--config` file, or
 * `OPEN_AGENT__PLUGINS` / `OPEN_AGENT_CONFIG` set in the real environment. A project config file in the
 * working directory, and variables that came from its `.env`, cannot add plugins: `warn` says so (once).
 * Paths resolve against the directory of the file that named them (the working directory for the
 * environment variable; `~/` is the home directory); package names are looked up in `node_modules` from
 * there. A config that does not load gives none (the command reports it).
 */
export function configSources(
  input: ConfigSourcesInput,
  warn: (line: string) => void = () => {},
): PluginSource[] {
  const { cwd } = input;
  // Variables a project's `.env` set are the project's, not the user's.
  const env: Record<string, string | undefined> = { ...input.env };
  for (const name of ['OPEN_AGENT__PLUGINS', 'OPEN_AGENT_CONFIG']) {
    if (dotEnvNames.has(name) && env[name] !== undefined) {
      warn(
        `warning: ${name} from ${dotEnvPath ?? '.env'} is ignored for plugins (set it in your own environment)`,
      );
      delete env[name];
    }
  }
  const explicit = input.config ?? (env.OPEN_AGENT_CONFIG !== '' ? env.OPEN_AGENT_CONFIG : undefined);
  const home = env.HOME !== '' ? env.HOME : undefined;
  const xdg = env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : undefined;
  let entries: string[] | undefined;
  let origin: string | undefined;
  try {
    const locations = {
      cwd,
      ...(home !== undefined && { home }),
      ...(xdg !== undefined && { xdgConfigHome: xdg }),
      ...(explicit !== undefined && { explicit }),
    };
    const loaded = loadConfig(locations);
    const fromEnv = configFromEnv(env);
    entries = fromEnv.config.plugins ?? loaded.config.plugins;
    origin = fromEnv.config.plugins !== undefined ? fromEnv.origins.plugins : loaded.origins.plugins;
    const user = userConfigPath(locations);
    const trusted =
      origin === undefined ||
      !origin.startsWith('file:') ||
      explicit !== undefined ||
      (user !== undefined && resolve(origin.slice(5)) === resolve(user));
    if (!trusted) {
      warn(
        `warning: plugins named in ${origin?.slice(5)} are ignored: a project's config file cannot load code; list them in ${user ?? 'your user config file'} or pass --config`,
      );
      return [];
    }
  } catch {
    return [];
  }
  if (entries === undefined || origin === undefined) return [];
  const base = origin.startsWith('file:') ? dirname(origin.slice(5)) : cwd;
  return entries.map((entry) => {
    if (!isPathEntry(entry)) return packageSource(entry, base, origin);
    const path =
      /^~[/\\]/.test(entry) && home !== undefined ? join(home, entry.slice(2)) : resolve(base, entry);
    return sourceOfPath(path, entry, origin);
  });
}
