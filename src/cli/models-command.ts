import { Command } from 'commander';
import type { ConfigFlags } from '../config/resolve-config.js';
import { redactText, redactUrl, redactValue } from '../http/redact.js';
import { modelLines, nothingFoundReport } from './doctor-report.js';
import { EXIT_CODES } from './exit-codes.js';
import { addModelOptions } from './model-options.js';
import { printLocalModels } from './pull-command.js';
import { outputOf } from './run-options.js';
import { probeTarget } from './server-target.js';
import { UsageError } from './usage-error.js';

interface ModelsFlags extends ConfigFlags {
  output?: string;
  local?: boolean;
  cwd?: string;
}

async function models(flags: ModelsFlags): Promise<number> {
  const output = outputOf(flags.output, ['text', 'json'] as const, 'text');
  if (flags.local) return printLocalModels(output, process.stdout, process.stderr);
  const target = await probeTarget(flags, process.env, flags.cwd ?? process.cwd());
  if (target.error !== undefined) {
    process.stderr.write(`error: ${redactText(target.error)}\n`);
    return EXIT_CODES.error;
  }
  const { profile } = target;
  if (!profile) {
    process.stderr.write(nothingFoundReport(target.ports));
    return EXIT_CODES.error;
  }
  if (output === 'json') {
    const document = { baseUrl: profile.baseUrl, server: profile.server, models: profile.models };
    process.stdout.write(`${JSON.stringify(redactValue(document), null, 2)}\n`);
  } else {
    process.stdout.write(
      modelLines(profile)
        .map((line) => `${line}\n`)
        .join(''),
    );
    if (profile.models.length === 0)
      process.stderr.write(`The server at ${redactUrl(profile.baseUrl)} lists no models.\n`);
  }
  return 0;
}

/** The `models` command: lists the models of the named server (or of the first local server found). */
export function createModelsCommand(): Command {
  const command = new Command('models').description("list the server's models");
  addModelOptions(command);
  return command
    .option('--cwd <dir>', 'directory where open-agent.config.yaml is looked up')
    .option('--output <format>', 'text (default: one model per line) or json')
    .option('--local', 'list the GGUF models pulled for the embedded engine instead')
    .action(async (flags: ModelsFlags) => {
      try {
        process.exitCode = await models(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${redactText(error.message)}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
