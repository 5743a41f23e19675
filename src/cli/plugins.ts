/**
 * Loads the CLI's plugins (see docs/plugins.md): imports each module from {@link pluginSources}, checks its
 * shape, and registers what it adds: presets and providers in the process-wide registry, tools, agents and
 * hooks in {@link activePlugins} for `run`, `chat` and `config`. A plugin that fails is reported on stderr
 * in one line and skipped; an entry whose name is taken (by a built-in or an earlier plugin) is skipped
 * with a warning, never replacing the built-in.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import type { AgentDefinition } from '../agent/definition.js';
import type { Hooks } from '../agent/hooks.js';
import { redactText } from '../http/redact.js';
import { mergeHooks } from '../plugins/merge-hooks.js';
import { type CheckedPlugin, checkPlugin, pluginOfModule } from '../plugins/validate-plugin.js';
import { getPreset, registerPreset } from '../presets/presets.js';
import { globalRegistry } from '../providers/registry.js';
import { isBuiltinToolName } from '../tools/builtin/index.js';
import type { Tool } from '../tools/tool.js';
import type { OutputSink } from './output.js';
import {
  type ConfigSourcesInput,
  configSources,
  directorySources,
  type PluginEnv,
  type PluginSource,
  pluginDirectory,
} from './plugin-sources.js';

/** What one plugin added, for `open-agent config` (text and the JSON `plugins` array). */
export interface PluginReport {
  /** The plugin's `name` (else its file name); the entry as written when it did not load. */
  name: string;
  /** The module file imported, or the entry as written when none was found. */
  path: string;
  /** `directory` (the plugin directory), or where the `plugins` list came from (`file:PATH`, `env:NAME`). */
  source: string;
  /** Names of the tools it added (entries skipped for a name clash are left out, as in the lists below). */
  tools: string[];
  /** The `api` of each provider it registered. */
  providers: string[];
  /** Names of the presets it registered. */
  presets: string[];
  /** Names of its agents. */
  agents: string[];
  /** Hook events it added hooks to. */
  hooks: string[];
  /** Entries skipped (a name clash), one line each. */
  warnings: string[];
  /** Why the whole plugin was skipped (import failed, wrong shape). */
  error?: string;
}

/** The loaded plugins: what `run` and `chat` offer and what `config` lists. */
export interface LoadedPlugins {
  /** False with `--no-plugins` or `OPEN_AGENT_NO_PLUGINS`. */
  enabled: boolean;
  /** Every plugin tried, in load order. */
  reports: PluginReport[];
  /** Plugin tools by name (offered only when enabled by name). */
  tools: ReadonlyMap<string, Tool<unknown>>;
  /** Plugin agents by name. */
  agents: ReadonlyMap<string, AgentDefinition<never>>;
  /** Every plugin's hooks, in load order (undefined when none). */
  hooks: Hooks | undefined;
}

const NONE: LoadedPlugins = {
  enabled: false,
  reports: [],
  tools: new Map(),
  agents: new Map(),
  hooks: undefined,
};
let active: LoadedPlugins = NONE;

/** The plugins loaded at CLI start (none before {@link loadPlugins}, or with `--no-plugins`). */
export function activePlugins(): LoadedPlugins {
  return active;
}

/** The commands that load plugins before they run. */
export const PLUGIN_COMMANDS: readonly string[] = ['run', 'chat', 'models', 'doctor', 'config'];

/** True when `OPEN_AGENT_NO_PLUGINS` is set to something other than empty, `0` or `false`. */
export function pluginsDisabledByEnv(env: PluginEnv): boolean {
  const value = env.OPEN_AGENT_NO_PLUGINS?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** Every source in load order: the plugin directory's, then the config's. */
export function pluginSources(
  input: ConfigSourcesInput,
  warn: (line: string) => void = () => {},
): PluginSource[] {
  return [...directorySources(pluginDirectory(input.env)), ...configSources(input, warn)];
}

function fileName(path: string): string {
  const base = path.split(/[/\\]/).filter(Boolean);
  const last = base.at(-1) ?? path;
  // A package's entry (`pkg/index.js`) is named after its directory.
  const name = /^index\.m?js$/.test(last) && base.length > 1 ? (base.at(-2) ?? last) : last;
  return name.replace(/\.m?js$/, '');
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactText(text.split('\n')[0] ?? text);
}

/** Registers what a checked plugin adds, skipping names already taken; returns its report. */
function register(
  plugin: CheckedPlugin,
  report: PluginReport,
  state: { tools: Map<string, Tool<unknown>>; agents: Map<string, AgentDefinition<never>>; hooks: Hooks[] },
): void {
  const skip = (what: string, name: string, why: string) =>
    report.warnings.push(`${what} "${name}" ${why}; skipped`);
  for (const provider of plugin.providers) {
    if (globalRegistry.apis().includes(provider.api)) skip('provider', provider.api, 'is already registered');
    else {
      globalRegistry.registerProvider(provider);
      report.providers.push(provider.api);
    }
  }
  for (const preset of plugin.presets) {
    if (preset.name.toLowerCase() === 'custom' || getPreset(preset.name) !== undefined)
      skip('preset', preset.name, 'is already defined');
    else if (!globalRegistry.apis().includes(preset.api))
      skip('preset', preset.name, `uses api "${preset.api}", which no provider answers`);
    else {
      registerPreset(preset);
      report.presets.push(preset.name);
    }
  }
  for (const tool of plugin.tools) {
    if (isBuiltinToolName(tool.name)) skip('tool', tool.name, 'is a built-in tool');
    else if (state.tools.has(tool.name)) skip('tool', tool.name, 'is defined by an earlier plugin');
    else {
      state.tools.set(tool.name, tool);
      report.tools.push(tool.name);
    }
  }
  for (const agent of plugin.agents) {
    if (state.agents.has(agent.name)) skip('agent', agent.name, 'is defined by an earlier plugin');
    else {
      state.agents.set(agent.name, agent);
      report.agents.push(agent.name);
    }
  }
  report.hooks = Object.entries(plugin.hooks)
    .filter(([, list]) => Array.isArray(list) && list.length > 0)
    .map(([event]) => event);
  if (report.hooks.length > 0) state.hooks.push(plugin.hooks);
}

/** Input of {@link loadPlugins}. */
export interface LoadPluginsInput extends ConfigSourcesInput {
  /** Where the one-line warnings go. */
  stderr: OutputSink;
}

/**
 * Imports, checks and registers every plugin (see the module doc), then makes them the
 * {@link activePlugins}. Never throws for a plugin's failure: each is reported on `stderr` as
 * `warning: plugin PATH: REASON; skipped` and left out.
 */
export async function loadPlugins(input: LoadPluginsInput): Promise<LoadedPlugins> {
  const state = { tools: new Map<string, Tool<unknown>>(), agents: new Map(), hooks: [] as Hooks[] };
  const reports: PluginReport[] = [];
  const sources = pluginSources(input, (line) => input.stderr.write(`${line}\n`));
  // The SDK handed to plugin factories, imported only when there is a plugin to load.
  const sdk = sources.length > 0 ? ((await import('../index.js')) as Record<string, unknown>) : {};
  const provider =
    sources.length > 0 ? ((await import('../provider/index.js')) as Record<string, unknown>) : {};
  for (const source of sources) {
    const path = source.file ?? source.label;
    const report: PluginReport = {
      name: source.file !== undefined ? fileName(source.file) : source.label,
      path,
      source: source.origin,
      ...{ tools: [], providers: [], presets: [], agents: [], hooks: [], warnings: [] },
    };
    reports.push(report);
    try {
      if (source.file === undefined) throw new Error(source.error ?? 'not found');
      const module = (await import(pathToFileURL(source.file).href)) as Record<string, unknown>;
      const plugin = checkPlugin(await pluginOfModule(module, { sdk, provider }), report.name);
      report.name = plugin.name;
      register(plugin, report, state);
    } catch (error) {
      report.error = messageOf(error);
      input.stderr.write(`warning: plugin ${path}: ${report.error}; skipped\n`);
      continue;
    }
    for (const warning of report.warnings) input.stderr.write(`warning: plugin ${path}: ${warning}\n`);
  }
  active = {
    enabled: true,
    reports,
    tools: state.tools,
    agents: state.agents,
    hooks: mergeHooks(...state.hooks),
  };
  return active;
}

/**
 * The plugins section of `open-agent config` as text: `plugins: off (--no-plugins)`, `plugins: (none)`, or
 * one line per plugin (`  NAME  PATH: tools a, b; presets p` or `  NAME  PATH: skipped: REASON`).
 */
export function formatPluginReports(loaded: LoadedPlugins): string {
  if (!loaded.enabled) return 'plugins: off (--no-plugins or OPEN_AGENT_NO_PLUGINS)\n';
  if (loaded.reports.length === 0) return 'plugins: (none)\n';
  const lines = loaded.reports.map((r) => {
    if (r.error !== undefined) return `  ${r.name}  ${r.path}: skipped: ${r.error}\n`;
    const added = (['tools', 'providers', 'presets', 'agents', 'hooks'] as const)
      .filter((key) => r[key].length > 0)
      .map((key) => `${key} ${r[key].join(', ')}`);
    const skipped = r.warnings.length > 0 ? ` (${r.warnings.join('; ')})` : '';
    return `  ${r.name}  ${r.path}: ${added.join('; ') || 'nothing'}${skipped}\n`;
  });
  return `plugins:\n${lines.join('')}`;
}
