import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { ConfigFlags } from '../../config/resolve-config.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Usage } from '../../index.js';
import { analyzeLogFiles, type LogFacts } from '../../logs/analyze-logs.js';
import { LOGS_SYSTEM_PROMPT, logsPrompt } from '../../logs/logs-prompt.js';
import { EXIT_CODES } from '../exit-codes.js';
import { addModelOptions } from '../model-options.js';
import { type ModelSettings, requestOptionsOf, resolveModelSettings } from '../model-settings.js';
import { createProgress } from '../progress.js';
import { outputOf } from '../run-options.js';
import { runTurns } from '../run-turns.js';
import { UsageError } from '../usage-error.js';
import { logsReport } from './logs-report.js';

interface LogsFlags extends ConfigFlags {
  output?: string;
  analysis?: boolean;
  cwd?: string;
}

const stderr = { write: (text: string): void => void process.stderr.write(text) };

/** Asks the model for root causes and fixes from the facts (no tools: the facts are the input). */
async function explain(
  facts: LogFacts,
  settings: ModelSettings,
): Promise<{ text?: string; error?: string; usage?: Usage }> {
  const progress = createProgress('Asking the model for root causes…');
  try {
    const outcome = await runTurns({
      model: settings.model,
      context: {
        systemPrompt: LOGS_SYSTEM_PROMPT,
        messages: [{ role: 'user', content: logsPrompt(facts), timestamp: Date.now() }],
      },
      options: {
        ...(settings.apiKey !== undefined && { apiKey: settings.apiKey }),
        ...requestOptionsOf(settings.config),
      },
      maxTurns: 1,
    });
    if (outcome.stopReason === 'error' || outcome.stopReason === 'aborted') {
      return {
        error: outcome.errorMessage ?? `the model call ended with ${outcome.stopReason}`,
        usage: outcome.usage,
      };
    }
    return { text: outcome.text, usage: outcome.usage };
  } finally {
    progress.stop();
  }
}

function checkFiles(files: string[]): string[] {
  return files.map((file) => {
    const path = resolve(file);
    if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${file} is not a readable file`);
    return path;
  });
}

async function logs(files: string[], flags: LogsFlags): Promise<number> {
  const output = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const paths = checkFiles(files);
  // Settle the model first, so a missing server or model is known before a long read; the facts are
  // computed and printed even then (they need no model), with a note on how to skip the analysis.
  let settings: ModelSettings | undefined;
  let noModel: string | undefined;
  if (flags.analysis !== false) {
    try {
      settings = await resolveModelSettings({
        flags,
        env: process.env,
        cwd: flags.cwd ?? process.cwd(),
        stderr,
      });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      noModel = error.message;
    }
  }
  const progress = createProgress('Reading logs…');
  let facts: LogFacts;
  try {
    facts = await analyzeLogFiles(paths, {
      onProgress: (n) => progress.update(`Reading logs… ${n.toLocaleString('en-US')} lines`),
    });
  } catch (error) {
    // A binary file or a corrupt .gz: bad input, named with the file.
    if (InvalidArgumentError.isInstance(error)) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
  }
  const analysis: { text?: string; error?: string; usage?: Usage } =
    settings === undefined
      ? noModel === undefined
        ? {}
        : { error: `no model to ask: ${noModel}` }
      : await explain(facts, settings);
  if (output === 'json') {
    const document = {
      ...facts,
      analysis: analysis.text ?? null,
      ...(analysis.error !== undefined && { analysisError: analysis.error }),
      ...(analysis.usage && { usage: analysis.usage }),
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    process.stdout.write(logsReport(facts, analysis.text));
  }
  if (noModel !== undefined) {
    process.stderr.write(
      `error: no analysis (the facts above need no model): ${noModel}\nhint: pass --no-analysis to print only the facts, without this error\n`,
    );
    return EXIT_CODES.usage;
  }
  if (analysis.error !== undefined) {
    process.stderr.write(`error: the analysis failed: ${analysis.error}\n`);
    return EXIT_CODES.error;
  }
  return 0;
}

/**
 * The `logs` command: detects each file's format (plain text or gzip), counts levels and error signatures
 * in code (streamed, bounded memory), finds peak error windows, then asks the model for root causes and
 * fixes from those facts and samples. `--output json` prints the structured result; `--no-analysis` skips
 * the model. Without a usable server the facts are still printed, then the reason and a hint naming
 * `--no-analysis` (exit 2). A binary file (NUL bytes in its first 8 KiB) or a corrupt `.gz` is a usage
 * error (exit 2).
 */
export function createLogsCommand(): Command {
  const command = new Command('logs')
    .description('analyze log files: exact counts, error signatures, peaks, then root causes from the model')
    .argument('<files...>', 'log files (JSON lines, access logs, syslog, timestamped text; .gz read as is)');
  addModelOptions(command);
  return command
    .option('--output <format>', 'text (default: a report) or json (the structured result)')
    .option('--no-analysis', 'only compute the facts; do not call the model')
    .option('--cwd <dir>', 'directory where open-agent.config.yaml is looked up')
    .action(async (files: string[], flags: LogsFlags) => {
      try {
        process.exitCode = await logs(files, flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
