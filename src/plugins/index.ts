/**
 * Plugins of the `open-agent` CLI: the {@link OpenAgentPlugin} shape, {@link definePlugin}, and the checks
 * the CLI runs on each plugin module (docs/plugins.md).
 *
 * @module
 */
export { mergeHooks } from './merge-hooks.js';
export {
  definePlugin,
  type OpenAgentPlugin,
  type PluginContext,
  type PluginFactory,
  type PluginPreset,
} from './plugin.js';
export {
  type CheckedPlugin,
  checkPlugin,
  HOOK_EVENTS,
  PLUGIN_KEYS,
  pluginOfModule,
} from './validate-plugin.js';
