import { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { type ConfigFlags, resolveConfig } from '../config/resolve-config.js';
import { redactText, redactUrl } from '../http/redact.js';
import { formatSettingLines, settingLines } from './config-report.js';
import { dotEnvPath } from './env-file.js';
import { EXIT_CODES } from './exit-codes.js';
import { addModelOptions } from './model-options.js';
import { activePlugins, formatPluginReports } from './plugins.js';
import { outputOf } from './run-options.js';
import { probeTarget } from './server-target.js';
import { UsageError } from './usage-error.js';

interface ConfigCommandFlags extends ConfigFlags {
  output?: string;
  cwd?: string;
  probe?: boolean;
}

/** Version of the `open-agent config --output json` document (bumped only for incompatible changes). */
export const CONFIG_DOCUMENT_VERSION = 1;

async function showConfig(flags: ConfigCommandFlags): Promise<number> {
  const output = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const cwd = flags.cwd ?? process.cwd();
  let config: ReturnType<typeof resolveConfig>;
  try {
    config = resolveConfig({ flags, env: process.env, cwd });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  let probed: Record<string, unknown> | undefined;
  let probeError: string | undefined;
  if (flags.probe) {
    const target = await probeTarget(flags, process.env, cwd);
    if (target.profile) {
      probed = target.profile.compat as Record<string, unknown>;
      if (config.baseUrl === undefined) config = { ...config, baseUrl: target.profile.baseUrl };
      config.origins.baseUrl ??= 'probe';
      if (config.model === undefined && target.profile.model !== undefined) {
        config = { ...config, model: target.profile.model };
        config.origins.model = 'probe';
      }
    } else probeError = target.error ?? 'no server found on the local ports';
  }
  const lines = settingLines({
    config,
    env: process.env,
    cwd,
    apiKeyFlag: flags.apiKey,
    apiKeyFile: flags.apiKeyFile,
    probed,
  });
  if (output === 'json') {
    const document = {
      v: CONFIG_DOCUMENT_VERSION,
      files: config.files,
      envFile: dotEnvPath ?? null,
      ...(flags.probe && { probe: probeError === undefined ? 'ok' : redactText(probeError) }),
      settings: Object.fromEntries(lines.map((l) => [l.key, { value: l.value, source: l.source }])),
      plugins: activePlugins().reports,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  }
  const files = config.files.length > 0 ? config.files.join(', ') : '(none)';
  process.stdout.write(`config files: ${files}\n.env: ${dotEnvPath ?? '(none)'}\n`);
  if (probeError !== undefined) process.stdout.write(`probe: failed: ${redactText(probeError)}\n`);
  else if (flags.probe && config.baseUrl) process.stdout.write(`probe: ${redactUrl(config.baseUrl)}\n`);
  process.stdout.write(formatSettingLines(lines));
  process.stdout.write(formatPluginReports(activePlugins()));
  return 0;
}

/**
 * The `config` command: prints the effective settings and where each came from (`flag`, `env:NAME`,
 * `file:PATH`, `probe`, `preset:NAME`, `default`). The API key is shown as `set (from NAME)`, never its
 * value. `--output json` prints `{ v, files, envFile, probe?, settings: { KEY: { value, source } }, plugins: [...] }`
 * (`plugins`: one `PluginReport` (src/cli/plugins.ts) per plugin tried; empty with `--no-plugins`).
 */
export function createConfigCommand(): Command {
  const command = new Command('config').description(
    'print the effective settings and where each came from (API keys masked)',
  );
  addModelOptions(command);
  return command
    .option('--cwd <dir>', 'directory where open-agent.config.yaml is looked up')
    .option('--output <format>', 'text (default) or json')
    .option('--probe', "probe the server and show the compat flags it reports (source 'probe')")
    .action(async (flags: ConfigCommandFlags) => {
      try {
        process.exitCode = await showConfig(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${redactText(error.message)}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
