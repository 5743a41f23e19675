/**
 * Configuration: one resolver (flags > environment > config file > preset) used by the CLI and by
 * programs. Node only (reads files); exported from `open-agent-sdk/node`.
 *
 * @module
 */
export { ConfigError } from './config-error.js';
export {
  CONFIG_FILE_MAX_BYTES,
  type ConfigLocations,
  type LoadedConfig,
  loadConfig,
  PROJECT_CONFIG_NAME,
  readConfigFile,
  readConfigText,
  userConfigPath,
} from './config-file.js';
export {
  APIS,
  type ConfigAgent,
  type ConfigFile,
  type ConfigTimeouts,
  TIMEOUT_KEYS,
  validateConfig,
} from './config-schema.js';
export {
  type ConfigEnv,
  type ConfigFlags,
  ENVIRONMENT_VARIABLES,
  type ResolveConfigInput,
  type ResolvedConfig,
  resolveConfig,
  type SettingSource,
} from './resolve-config.js';
