/**
 * Checks what a plugin module exports and turns it into a {@link CheckedPlugin}. Pure: no file access, no
 * registration (the CLI does that, see `src/cli/plugins.ts`).
 *
 * @module
 */
import { type AgentDefinition, isAgentDefinition } from '../agent/definition.js';
import type { Hooks } from '../agent/hooks.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Preset } from '../presets/preset.js';
import { originOf } from '../presets/preset-table.js';
import { isDefinedProvider, type Provider } from '../providers/define.js';
import { type Tool, type ToolDefinition, tool } from '../tools/tool.js';
import type { OpenAgentPlugin, PluginContext } from './plugin.js';

/** The keys a plugin may set. */
export const PLUGIN_KEYS = ['name', 'tools', 'providers', 'presets', 'agents', 'hooks'] as const;

/** The hook events a plugin may add hooks to (the keys of `Hooks`). */
export const HOOK_EVENTS = [
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'UserPromptSubmit',
  'Stop',
] as const;

/** A validated plugin: every list present (maybe empty), tools built, presets completed. */
export interface CheckedPlugin {
  name: string;
  tools: Tool<unknown>[];
  providers: Provider<object>[];
  presets: Preset[];
  agents: AgentDefinition<never>[];
  hooks: Hooks;
}

function fail(key: string, message: string): never {
  throw new InvalidArgumentError(message, { argument: key });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(plugin: Record<string, unknown>, key: string): unknown[] {
  const value = plugin[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(key, `"${key}" must be an array, got ${typeName(value)}`);
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isTool(value: unknown): value is Tool<unknown> {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    isRecord(value.spec) &&
    typeof value.validate === 'function' &&
    typeof value.execute === 'function'
  );
}

function toolOf(value: unknown, index: number): Tool<unknown> {
  if (isTool(value)) return value;
  if (!isRecord(value)) fail('tools', `tools[${index}] must be a tool() result or a tool definition`);
  try {
    return tool(value as unknown as ToolDefinition<unknown, unknown>);
  } catch (error) {
    fail('tools', `tools[${index}]: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function presetOf(value: unknown, index: number): Preset {
  const at = `presets[${index}]`;
  if (!isRecord(value)) fail('presets', `${at} must be an object`);
  const { name, api, baseUrl, label, local, compat } = value;
  if (typeof name !== 'string' || name.length === 0) fail('presets', `${at}.name must be a non-empty string`);
  if (typeof api !== 'string' || api.length === 0) fail('presets', `${at}.api must be a non-empty string`);
  if (typeof baseUrl !== 'string' || originOf(baseUrl) === undefined)
    fail('presets', `${at}.baseUrl must be an absolute URL`);
  if (label !== undefined && typeof label !== 'string') fail('presets', `${at}.label must be a string`);
  if (local !== undefined && typeof local !== 'boolean') fail('presets', `${at}.local must be a boolean`);
  if (compat !== undefined && !isRecord(compat)) fail('presets', `${at}.compat must be an object`);
  return {
    ...(value as unknown as Preset),
    label: label ?? name,
    local: local ?? false,
    compat: (compat ?? {}) as Preset['compat'],
  };
}

function hooksOf(value: unknown): Hooks {
  if (value === undefined) return {};
  if (!isRecord(value)) fail('hooks', `"hooks" must be an object of hook lists, got ${typeName(value)}`);
  for (const [event, list] of Object.entries(value)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event))
      fail('hooks', `unknown hook event "${event}"; known: ${HOOK_EVENTS.join(', ')}`);
    if (!Array.isArray(list)) fail('hooks', `hooks.${event} must be an array`);
    list.forEach((spec: unknown, i) => {
      const ok = typeof spec === 'function' || (isRecord(spec) && typeof spec.hook === 'function');
      if (!ok) fail('hooks', `hooks.${event}[${i}] must be a function or { hook, matcher?, timeoutMs? }`);
    });
  }
  return value as Hooks;
}

/**
 * The plugin a module exports: its default export (an object, or a function called with `context`), else
 * its named exports of {@link PLUGIN_KEYS}.
 *
 * @throws {InvalidArgumentError} when the module exports neither, or the default function throws or
 *   returns something other than an object.
 */
export async function pluginOfModule(
  module: Readonly<Record<string, unknown>>,
  context: PluginContext,
): Promise<unknown> {
  let candidate: unknown = module.default;
  if (typeof candidate === 'function')
    candidate = await (candidate as (c: PluginContext) => unknown)(context);
  if (candidate !== undefined) return candidate;
  const named = Object.fromEntries(PLUGIN_KEYS.filter((k) => k in module).map((k) => [k, module[k]]));
  if (Object.keys(named).length === 0)
    fail('module', `exports no plugin (a default export, or named exports ${PLUGIN_KEYS.join(', ')})`);
  return named;
}

/**
 * Validates a plugin object: only {@link PLUGIN_KEYS}; `name` a non-empty string; `tools` tool() results
 * or tool definitions (built here); `providers` defineProvider() results; `presets` objects with `name`,
 * `api` and an absolute `baseUrl`; `agents` defineAgent() results; `hooks` lists of functions or
 * `{ hook }` per known hook event. A plugin that adds nothing is refused.
 *
 * @param value - the plugin (see {@link OpenAgentPlugin}).
 * @param fallbackName - its name when it sets none (the file name).
 * @throws {InvalidArgumentError} naming the first wrong key.
 */
export function checkPlugin(value: unknown, fallbackName: string): CheckedPlugin {
  if (!isRecord(value)) fail('plugin', `the plugin must be an object, got ${typeName(value)}`);
  for (const key of Object.keys(value)) {
    if (!(PLUGIN_KEYS as readonly string[]).includes(key))
      fail(key, `unknown key "${key}"; known: ${PLUGIN_KEYS.join(', ')}`);
  }
  const plugin = value as Record<string, unknown> & OpenAgentPlugin;
  if (plugin.name !== undefined && (typeof plugin.name !== 'string' || plugin.name.length === 0))
    fail('name', '"name" must be a non-empty string');
  const tools = listOf(plugin, 'tools').map(toolOf);
  const providers = listOf(plugin, 'providers').map((p, i) => {
    if (!isDefinedProvider(p)) fail('providers', `providers[${i}] must be a defineProvider() result`);
    return p;
  });
  const presets = listOf(plugin, 'presets').map(presetOf);
  const agents = listOf(plugin, 'agents').map((a, i) => {
    if (!isAgentDefinition(a)) fail('agents', `agents[${i}] must be a defineAgent() result`);
    return a;
  });
  const hooks = hooksOf(plugin.hooks);
  const checked = { name: plugin.name ?? fallbackName, tools, providers, presets, agents, hooks };
  const adds = tools.length + providers.length + presets.length + agents.length + Object.keys(hooks).length;
  if (adds === 0) fail('plugin', 'adds nothing (no tools, providers, presets, agents or hooks)');
  return checked;
}
