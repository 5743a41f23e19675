import { readFile } from 'node:fs/promises';
import { isatty } from 'node:tty';
import { Command } from 'commander';
import type { RunObserver } from '../agent/loop.js';
import { SdkError } from '../errors/sdk-error.js';
import { redactText } from '../http/redact.js';
import { redactUrl } from '../index.js';
import type { McpServerSource } from '../mcp/mcp-server.js';
import { DEFAULT_OUTPUT_REPAIRS } from '../output/final-output.js';
import { compileOutput } from '../output/schema.js';
import { builtinTools } from '../tools/builtin/index.js';
import type { JsonSchema } from '../types/tool.js';
import { approvalTools, askDecision, terminalAsk } from './approval.js';
import { failureHints } from './diagnosis-hints.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { closeSources, loadMcpSources } from './mcp-sources.js';
import { addModelOptions } from './model-options.js';
import { createPrinter, type OutputSink, printAgentEvent, type ReasoningDisplay } from './output.js';
import { activePlugins } from './plugins.js';
import { createWaitingIndicator } from './progress.js';
import { readPrompt, stdinKind } from './prompt.js';
import { runNotes, selectedAgent } from './run-agent.js';
import { RUN_FLAG_HELP, RUN_HELP_AFTER } from './run-help.js';
import { type RunFlags, type RunSettings, resolveRunSettings } from './run-options.js';
import { type RunEnding, runTurns } from './run-turns.js';
import { sessionStore } from './session-store.js';
import { addToolOptions } from './tool-options.js';
import { addTraceOption, type CliTracing, startCliTracing, type TraceFlags } from './trace-option.js';
import { UsageError } from './usage-error.js';

const stderr: OutputSink = { write: (text) => void process.stderr.write(text) };

/**
 * Stdout as a sink that, once stdout breaks (a closed pipe, as with `| head`), drops writes and calls
 * `onBroken`. The error listener stays for the life of the process, so a late EPIPE cannot crash it.
 */
function stdoutSink(onBroken: () => void): OutputSink {
  let broken = false;
  process.stdout.on('error', () => {
    broken = true;
    onBroken();
  });
  return {
    write(text) {
      if (!broken) process.stdout.write(text);
    },
  };
}

/** How reasoning (and other terminal decoration) is shown on stderr. */
export function reasoningDisplay(env: NodeJS.ProcessEnv): ReasoningDisplay {
  if (!process.stderr.isTTY) return 'off';
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 'plain' : 'dim';
}

/** The stderr warning for a run that stopped with unexecuted tool calls, if any. */
function endingWarning(ending: RunEnding, maxTurns: number): string | undefined {
  if (ending.kind === 'finished') return undefined;
  const names = [...new Set(ending.toolCalls.map((call) => call.name || '(unnamed)'))].join(', ');
  if (ending.kind === 'max_turns') {
    const limit = `the turn limit was reached (--max-turns ${maxTurns})`;
    return `warning: ${limit}; the model's tool calls (${names}) were not executed`;
  }
  return `warning: the model asked for tools (${names}), but no tools are enabled in this run`;
}

/**
 * Runs the model with validated settings, printing in the chosen format. Ctrl-C (SIGINT) or SIGTERM aborts
 * the request or the running tool; the run then ends `aborted` (exit 1) and is still printed (with
 * `--output json`, the whole document). A closed stdout (`| head`) aborts the run too, but quietly: no
 * error line, exit 0, whatever the format. Returns the exit code.
 */
export async function executeRun(
  settings: RunSettings,
  prompt: string,
  observe?: RunObserver,
  schema?: JsonSchema,
  schemaRepairs?: number,
): Promise<number> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  let stdoutClosed = false;
  const stdout = stdoutSink(() => {
    stdoutClosed = true;
    abort();
  });
  let sources: McpServerSource[] = [];
  try {
    const { names, root, yes } = settings.tools;
    // Approval needs a person at a terminal; off a terminal, --allow-write / --allow-commands is the consent.
    // It is the library's interruption path: risky tools need approval, the run stops, asks, and resumes.
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    const approve = !yes && interactive;
    const agent = selectedAgent(settings, approve);
    sources = await loadMcpSources({ file: settings.mcpFile, servers: settings.mcpServers, stderr });
    const printer = createPrinter(settings.output, {
      stdout,
      stderr,
      reasoning: reasoningDisplay(process.env),
    });
    const { model } = settings;
    printer.start({ model: model.id, provider: model.provider, baseUrl: redactUrl(model.baseUrl) });
    const builtin = [...builtinTools({ names, root }), ...(settings.tools.plugins ?? [])];
    const tools = approve ? approvalTools(builtin) : builtin;
    const waiting = createWaitingIndicator();
    const note = runNotes(settings.output, printer, stderr);
    let failure: Error | undefined;
    const outcome = await runTurns({
      ...(agent !== undefined && { agent }),
      ...(schema !== undefined && { outputType: schema }),
      ...(schemaRepairs !== undefined && { outputRepairs: schemaRepairs }),
      tools: [...tools, ...sources],
      ...(settings.session !== undefined && {
        session: { store: sessionStore(settings.sessionsDir), id: settings.session },
      }),
      ...(approve && { decide: askDecision(terminalAsk()) }),
      ...(activePlugins().hooks !== undefined && { hooks: activePlugins().hooks }),
      onAgentEvent: (event) => {
        observe?.(event);
        if (event.type === 'message_update' && event.event.type === 'error') failure = event.event.error;
        if (event.type === 'retry') waiting.retry(event);
        else if (event.type === 'queued') waiting.queued?.(event);
        else if (
          (event.type === 'message_update' && event.event.type !== 'start') ||
          event.type === 'tool_execution_start'
        )
          waiting.stop();
        printAgentEvent(printer, event);
        note(event);
      },
      model,
      context: {
        ...(settings.systemPrompt !== undefined && { systemPrompt: settings.systemPrompt }),
        messages: [{ role: 'user', content: prompt, timestamp: Date.now() }],
      },
      options: {
        signal: controller.signal,
        apiKey: settings.apiKey,
        ...settings.request,
        ...(settings.maxTokens !== undefined && { maxTokens: settings.maxTokens }),
        ...(settings.temperature !== undefined && { temperature: settings.temperature }),
      },
      maxTurns: settings.maxTurns,
    }).finally(() => waiting.stop());
    // The reader went away (`| head`): it has what it wanted; end quietly, in every output format.
    if (stdoutClosed) return 0;
    printer.end(outcome);
    if (outcome.stopReason === 'error')
      for (const hint of await failureHints(failure, model.baseUrl, settings.apiKey, process.env))
        stderr.write(`${hint}\n`);
    if (outcome.outputError !== undefined) {
      stderr.write(`error: the answer does not match --schema:\n${outcome.outputError}\n`);
      return EXIT_CODES.error;
    }
    const warning = endingWarning(outcome.ending, settings.maxTurns);
    if (warning !== undefined) stderr.write(`${warning}\n`);
    return exitCodeFor(outcome.stopReason);
  } catch (error) {
    // Setup failures (an MCP server that does not start, a session store that cannot be read): nothing
    // was sent to the model.
    if (error instanceof UsageError) {
      stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    if (!SdkError.isInstance(error)) throw error;
    stderr.write(`error: ${redactText(error.message)}\n`);
    return EXIT_CODES.error;
  } finally {
    await closeSources(sources);
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function action(argument: string | undefined, flags: RunFlags): Promise<number> {
  let settings: RunSettings;
  let prompt: string;
  let tracing: CliTracing | undefined;
  let schema: JsonSchema | undefined;
  let repairs: number | undefined;
  try {
    settings = await resolveRunSettings(argument, flags, process.env, stdinKind(isatty(0)), stderr);
    prompt = await readPrompt(settings.prompt, stderr);
    schema = flags.schema !== undefined ? await readSchema(flags.schema) : undefined;
    repairs = schemaRepairsOf(flags.schemaRepairs, flags.schema);
    const { trace } = flags as RunFlags & TraceFlags;
    tracing = startCliTracing(trace, process.env, stderr, [settings.apiKey]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  try {
    return await executeRun(settings, prompt, tracing?.observe, schema, repairs);
  } finally {
    await tracing?.shutdown();
  }
}

/** Reads `--schema FILE.json` (a JSON Schema object). @throws {UsageError} when unreadable or not a schema. */
async function readSchema(file: string): Promise<JsonSchema> {
  let schema: unknown;
  try {
    schema = JSON.parse(await readFile(file, 'utf8'));
    compileOutput(schema as JsonSchema);
  } catch (error) {
    throw new UsageError(`--schema ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return schema as JsonSchema;
}

/**
 * Parses `--schema-repairs N` (a non-negative integer).
 * @throws {UsageError} for anything else, or the flag without `--schema`.
 */
export function schemaRepairsOf(value: string | undefined, schema: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (schema === undefined) throw new UsageError('--schema-repairs needs --schema FILE');
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`--schema-repairs must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The `run` command: one prompt, one model run, printed as text, JSON or JSON lines. Sets
 * `process.exitCode` (see `EXIT_CODES`).
 */
export function createRunCommand(): Command {
  const h = RUN_FLAG_HELP;
  const command = new Command('run')
    .description('send a prompt to a model (with built-in tools) and print the answer')
    .argument('[prompt]', h.prompt);
  addModelOptions(command);
  addToolOptions(command);
  addTraceOption(command);
  return command
    .option('--system <text>', h.system)
    .option('--max-tokens <n>', h.maxTokens)
    .option('--temperature <t>', h.temperature)
    .option('--max-turns <n>', h.maxTurns)
    .option('--output <format>', h.output)
    .option('--schema <file>', 'JSON Schema file the answer must match; --output json prints it as `output`')
    .option(
      '--schema-repairs <n>',
      `repair turns after an answer that does not match --schema (default ${DEFAULT_OUTPUT_REPAIRS})`,
    )
    .option('--agent <name>', h.agent)
    .option(
      '--gguf <path|uri>',
      'run a GGUF model in-process, no server (needs node-llama-cpp; a URI is pulled first)',
    )
    .option('--session <name>', h.session)
    .option('--mcp <file>', h.mcp)
    .addHelpText('after', RUN_HELP_AFTER)
    .action(async (argument: string | undefined, flags: RunFlags) => {
      process.exitCode = await action(argument, flags);
    });
}
