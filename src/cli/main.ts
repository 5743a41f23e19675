#!/usr/bin/env node
/**
 * The `open-agent` command-line program: parses the command line and sets the exit code.
 *
 * @module
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { redactText } from '../http/redact.js';
import { audioCommands } from './audio-commands.js';
import { createChatCommand } from './chat/chat-command.js';
import { createCommitCommand } from './commit/commit-command.js';
import { createCompletionCommand } from './completion-command.js';
import { createConfigCommand } from './config-command.js';
import { createDoctorCommand } from './doctor-command.js';
import { envFileDisabled, loadDotEnv } from './env-file.js';
import { EXIT_CODES } from './exit-codes.js';
import { createLogsCommand } from './logs/logs-command.js';
import { createModelsCommand } from './models-command.js';
import { loadPlugins, PLUGIN_COMMANDS, pluginsDisabledByEnv } from './plugins.js';
import { createPullCommand } from './pull-command.js';
import { createQueueCommands } from './queue-commands.js';
import { createRunCommand } from './run-command.js';
import { createServeCommand } from './serve-mcp-command.js';
import { createSessionsCommand } from './sessions-command.js';
import { createUiCommand } from './ui-command.js';
import { addVerboseOption, startVerbose, VERBOSE_COMMANDS } from './verbose-option.js';
import { packageVersion } from './version.js';

/** Builds the `open-agent` program. Parse errors throw `CommanderError` (after commander printed them). */
function createProgram(): Command {
  const program = new Command('open-agent')
    .description('Run AI agents on local model servers (Ollama, LM Studio, llama.cpp, vLLM) and cloud APIs.')
    .version(packageVersion(), '-v, --version', 'print the version (-V too)')
    .helpOption('-h, --help', 'show help')
    .option('--no-env-file', 'do not read .env in the current directory')
    .option('--no-plugins', 'do not load plugins (also OPEN_AGENT_NO_PLUGINS=1); see docs/plugins.md')
    .addCommand(createRunCommand())
    .addCommand(createChatCommand())
    .addCommand(createModelsCommand())
    .addCommand(createPullCommand())
    .addCommand(createCommitCommand())
    .addCommand(createLogsCommand())
    .addCommand(createDoctorCommand())
    .addCommand(createConfigCommand())
    .addCommand(createServeCommand())
    .addCommand(createSessionsCommand())
    .addCommand(createUiCommand());
  for (const command of createQueueCommands()) program.addCommand(command);
  for (const command of audioCommands()) program.addCommand(command);
  program.addCommand(createCompletionCommand(() => program));
  for (const command of program.commands)
    if (VERBOSE_COMMANDS.includes(command.name())) addVerboseOption(command);
  program.hook('preAction', async (_program, action) => {
    const flags = action.opts() as { cwd?: string; config?: string };
    if (
      PLUGIN_COMMANDS.includes(action.name()) &&
      program.opts().plugins !== false &&
      !pluginsDisabledByEnv(process.env)
    ) {
      const stderr = { write: (text: string): void => void process.stderr.write(text) };
      await loadPlugins({ env: process.env, cwd: flags.cwd ?? process.cwd(), config: flags.config, stderr });
    }
    startVerbose(action.opts());
  });
  for (const command of [program, ...program.commands]) command.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    // -V (commander's usual short flag) stays an alias of -v.
    const args = argv.map((arg, i) => (i === 2 && arg === '-V' ? '-v' : arg));
    // `.env` of the working directory, before any command reads the environment (set variables win).
    if (!envFileDisabled(args.slice(2))) loadDotEnv(process.cwd(), process.env, process.stderr);
    await createProgram().parseAsync(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${redactText(error.message)}\n`);
      process.exitCode = EXIT_CODES.usage;
      return;
    }
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every parse error (unknown flag, extra argument) is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_CODES.usage;
      return;
    }
    process.stderr.write(`error: ${redactText(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = EXIT_CODES.error;
  }
}

// A closed stdout pipe (`open-agent --help | head`) ends the output quietly, without a stack trace.
// Commands that stream (run) add their own listener and stop their work.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

await main(process.argv);
