import { Command } from 'commander';
import { type CommitMessage, parseCommitMessage } from '../../commit/commit-message.js';
import { COMMIT_SYSTEM_PROMPT, commitPrompt } from '../../commit/commit-prompt.js';
import { DEFAULT_CONTEXT_TOKENS, diffBudgetChars, fitDiff } from '../../commit/diff-budget.js';
import type { ConfigFlags } from '../../config/resolve-config.js';
import type { Message } from '../../index.js';
import { builtinTools, READ_ONLY_TOOL_NAMES } from '../../tools/builtin/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { addModelOptions } from '../model-options.js';
import { type ModelSettings, requestOptionsOf, resolveModelSettings } from '../model-settings.js';
import { createProgress } from '../progress.js';
import { outputOf } from '../run-options.js';
import { runTurns } from '../run-turns.js';
import { workingDirectory } from '../tool-options.js';
import { UsageError } from '../usage-error.js';
import { type CommitContext, readCommitContext } from './commit-context.js';
import { git } from './git.js';

interface CommitFlags extends ConfigFlags {
  cwd?: string;
  apply?: boolean;
  amend?: boolean;
  output?: string;
}

/** Model calls a commit may take (tool use included) unless --max-turns or the config says otherwise. */
const DEFAULT_COMMIT_TURNS = 10;

const stderr = { write: (text: string): void => void process.stderr.write(text) };

/** Asks the model (with read-only tools in the repository), with one repair turn for a malformed message. */
async function writeMessage(settings: ModelSettings, amend: boolean, context: CommitContext) {
  const { model, apiKey, config } = settings;
  const budget = diffBudgetChars(model.contextWindow ?? DEFAULT_CONTEXT_TOKENS);
  const { text: diff, summarized } = fitDiff(context.diff, budget);
  const progress = createProgress(
    summarized
      ? 'Writing the commit message (large diff, summarized per file)…'
      : 'Writing the commit message…',
  );
  const tools = builtinTools({ names: READ_ONLY_TOOL_NAMES, root: context.root });
  let history: Message[] = [];
  let prompt = commitPrompt(context, diff, amend);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await runTurns({
        model,
        context: {
          systemPrompt: COMMIT_SYSTEM_PROMPT,
          messages: [{ role: 'user', content: prompt, timestamp: Date.now() }],
        },
        options: { ...(apiKey !== undefined && { apiKey }), ...requestOptionsOf(config) },
        maxTurns: config.maxTurns ?? DEFAULT_COMMIT_TURNS,
        tools,
        history,
        onToolEvent: (event) => {
          if (event.type === 'tool_execution_start')
            progress.update(`Reading ${JSON.stringify(event.args)}…`);
        },
      });
      if (outcome.stopReason === 'error' || outcome.stopReason === 'aborted') {
        return { error: outcome.errorMessage ?? `the model call ended with ${outcome.stopReason}` };
      }
      const parsed = parseCommitMessage(outcome.text);
      if (parsed.ok) return { message: parsed.value, summarized };
      history = [...history, ...outcome.messages];
      prompt = `${parsed.problem} Answer with the corrected commit message only.`;
      if (attempt === 1)
        return {
          error: `the model did not produce a Conventional Commits message: ${parsed.problem}\n${outcome.text}`,
        };
    }
  } finally {
    progress.stop();
  }
  return { error: 'no message' };
}

async function applyMessage(
  root: string,
  message: CommitMessage,
  amend: boolean,
): Promise<{ commit?: string; error?: string }> {
  const args = ['commit', ...(amend ? ['--amend'] : []), '-F', '-'];
  const result = await git(args, root, `${message.message}\n`);
  if (result.code !== 0) return { error: `git commit failed: ${(result.stderr || result.stdout).trim()}` };
  const head = await git(['rev-parse', 'HEAD'], root);
  return { commit: head.stdout.trim() };
}

async function commit(flags: CommitFlags): Promise<number> {
  const output = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const cwd = workingDirectory(flags.cwd);
  const context = await readCommitContext(cwd, flags.amend === true);
  const settings = await resolveModelSettings({ flags, env: process.env, cwd, stderr });
  const written = await writeMessage(settings, flags.amend === true, context);
  if (written.message === undefined) {
    process.stderr.write(`error: ${written.error ?? 'no message'}\n`);
    return EXIT_CODES.error;
  }
  const { message } = written;
  const applied = flags.apply ? await applyMessage(context.root, message, flags.amend === true) : {};
  if (output === 'json') {
    const { message: text, ...parts } = message;
    const document = {
      message: text,
      ...parts,
      applied: applied.commit !== undefined,
      ...applied,
      summarized: written.summarized,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    process.stdout.write(`${message.message}\n`);
    if (applied.commit !== undefined) process.stderr.write(`Committed ${applied.commit.slice(0, 12)}.\n`);
  }
  if (applied.error !== undefined) {
    process.stderr.write(`error: ${applied.error}\n`);
    return EXIT_CODES.error;
  }
  return 0;
}

/**
 * The `commit` command: writes a Conventional Commits message for the staged changes (reading files with
 * read-only tools when the diff is not enough) and prints it; `--apply` commits with it, `--amend`
 * rewrites the last commit's message. Exit 2 when the directory is not a repository or nothing is staged.
 */
export function createCommitCommand(): Command {
  const command = new Command('commit').description(
    'write a Conventional Commits message for the staged changes',
  );
  addModelOptions(command);
  return command
    .option('--cwd <dir>', 'the repository (default: the current directory)')
    .option('--apply', 'commit with the message (git commit -F -)')
    .option('--amend', 'describe the last commit plus staged changes; with --apply, rewrite its message')
    .option('--max-turns <n>', 'model calls allowed (tool use included), default 10')
    .option('--output <format>', 'text (default: the message) or json')
    .action(async (flags: CommitFlags) => {
      try {
        process.exitCode = await commit(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
