/**
 * The shape of an `open-agent` CLI plugin: an ES module that adds tools, providers, presets, agents and
 * hooks. See docs/plugins.md.
 *
 * @module
 */
import type { AgentDefinition } from '../agent/definition.js';
import type { Hooks } from '../agent/hooks.js';
import type { Preset } from '../presets/preset.js';
import type { Provider } from '../providers/define.js';
import type { Tool, ToolDefinition } from '../tools/tool.js';

/**
 * A preset as a plugin gives it: a {@link Preset} whose `label` (default: the name), `local` (default:
 * false) and `compat` (default: `{}`) may be left out.
 */
export type PluginPreset = Omit<Preset, 'label' | 'local' | 'compat'> &
  Partial<Pick<Preset, 'label' | 'local' | 'compat'>>;

/**
 * What a plugin module exports, as its default export or as named exports of the same names. Every key is
 * optional; a plugin that sets none is refused ("adds nothing").
 *
 * ```js
 * // ~/.config/open-agent/plugins/weather.mjs
 * export default ({ sdk }) => ({
 *   name: 'weather',
 *   tools: [sdk.tool({ name: 'get_weather', description: 'Weather for a city', parameters: {...}, execute })],
 *   presets: [{ name: 'my-vllm', api: 'openai-chat', baseUrl: 'http://gpu-box:8000/v1' }],
 * });
 * ```
 */
export interface OpenAgentPlugin {
  /** Name shown by `open-agent config` and in warnings. @default the file or directory name */
  name?: string;
  /**
   * Tools, offered by `run`/`chat` only when enabled by name (`--tools NAME` or the config file's `tools`).
   * Each is a {@link Tool} from `tool()` or a {@link ToolDefinition} (passed through `tool()` on load). A
   * name of a built-in tool is refused (the built-in one stays).
   */
  tools?: readonly (Tool<unknown> | ToolDefinition<unknown, unknown>)[];
  /** Providers from `defineProvider()`: each registers its `api` (a built-in API is refused). */
  providers?: readonly Provider<object>[];
  /** Presets, usable with `--provider NAME` (a built-in preset's name is refused). */
  presets?: readonly PluginPreset[];
  /** Agent definitions from `defineAgent()` (listed by `open-agent config`). */
  agents?: readonly AgentDefinition<never>[];
  /** Hooks added to every `run` and `chat` (after the CLI's own approval hook). */
  hooks?: Hooks;
}

/** What a plugin's default-export function receives. */
export interface PluginContext {
  /**
   * The SDK's root module (`open-agent-sdk`), so a plugin file outside any `node_modules` tree can call
   * `sdk.tool()`, `sdk.defineAgent()`, `sdk.defineProvider()` without importing the package.
   */
  sdk: Readonly<Record<string, unknown>>;
  /** The `open-agent-sdk/provider` module (`defineProvider`, `MessageBuilder` helpers) for plugin providers. */
  provider: Readonly<Record<string, unknown>>;
}

/** A default export that builds the plugin; it may be async. Called once, at CLI start. */
export type PluginFactory = (context: PluginContext) => OpenAgentPlugin | Promise<OpenAgentPlugin>;

/**
 * Identity helper that types a plugin (an object, or a function of {@link PluginContext}).
 *
 * ```ts
 * import { definePlugin, tool } from 'open-agent-sdk';
 * export default definePlugin({ name: 'mine', tools: [tool({ ... })] });
 * ```
 */
export function definePlugin<P extends OpenAgentPlugin | PluginFactory>(plugin: P): P {
  return plugin;
}
