import { Command } from 'commander';
import type { ConfigFlags } from '../config/resolve-config.js';
import { redactText, redactValue } from '../http/redact.js';
import { checkStructured } from '../presets/probe-structured.js';
import type { ServerProfile } from '../presets/probe-types.js';
import { doctorReport, nothingFoundReport } from './doctor-report.js';
import { engineLines, engineSummary } from './engine-fallback.js';
import { EXIT_CODES } from './exit-codes.js';
import { addModelOptions } from './model-options.js';
import { outputOf } from './run-options.js';
import { probeTarget } from './server-target.js';
import { UsageError } from './usage-error.js';

/** The fail-open verdicts as report lines: `structured output json_schema: enforced`. */
function structuredLines(profile: ServerProfile): string {
  const check = profile.structured;
  if (!check) return '';
  const lines = Object.entries(check.verdicts).map(
    ([rung, verdict]) => `structured output ${rung}: ${verdict}\n`,
  );
  if (lines.length === 0) lines.push('structured output: no grammar rung could be checked\n');
  lines.push(`structured output ladder: ${(profile.compat.structuredRungs ?? []).join(' > ')}\n`);
  return lines.join('');
}

interface DoctorFlags extends ConfigFlags {
  output?: string;
  structured?: boolean;
  /** `--engine`: load the embedded engine's native runtime to name its backend. */
  engine?: boolean;
  cwd?: string;
}

async function doctor(flags: DoctorFlags): Promise<number> {
  const output = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const target = await probeTarget(flags, process.env, flags.cwd ?? process.cwd());
  if (target.error !== undefined) {
    process.stderr.write(`error: ${redactText(target.error)}\n`);
    return EXIT_CODES.error;
  }
  const engine = await engineSummary(process.env, flags.engine === true);
  if (!target.profile) {
    if (output === 'json')
      process.stdout.write(`${JSON.stringify({ found: [], ports: target.ports, engine }, null, 2)}\n`);
    else process.stderr.write(nothingFoundReport(target.ports) + (await engineLines(engine)));
    return EXIT_CODES.error;
  }
  const profile = flags.structured ? await checkStructured(target.profile) : target.profile;
  // Every line printed goes through the one redaction (user-info, ?key=, credential headers).
  if (output === 'json')
    process.stdout.write(`${JSON.stringify(redactValue({ ...profile, engine }), null, 2)}\n`);
  else
    process.stdout.write(
      redactText(
        doctorReport(profile, target.found.slice(1)) + structuredLines(profile) + (await engineLines(engine)),
      ),
    );
  return 0;
}

/**
 * The `doctor` command: probes the named server (or the standard local ports), identifies it, and prints
 * a report: models, context window, tool and vision support, chat template hints, the compat profile and
 * warnings, then the embedded engine (node-llama-cpp version, backend, threads, cached models).
 * `--output json` prints the profile with `engine`. Exit 0 when a server answered, 1 when none did.
 */
export function createDoctorCommand(): Command {
  const command = new Command('doctor').description('identify the model server and check it for agent work');
  addModelOptions(command);
  return command
    .option('--cwd <dir>', 'directory where open-agent.config.yaml is looked up')
    .option('--output <format>', 'text (default) or json (the probed profile)')
    .option('--structured', 'check that structured output is really enforced (one small model call per rung)')
    .option(
      '--engine',
      'load the embedded engine (node-llama-cpp) to name its backend (cpu, cuda, vulkan, metal)',
    )
    .action(async (flags: DoctorFlags) => {
      try {
        process.exitCode = await doctor(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${redactText(error.message)}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
