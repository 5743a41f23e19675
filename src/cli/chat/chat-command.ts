import { Command } from 'commander';
import { Agent, redactUrl } from '../../index.js';
import { mergeHooks } from '../../plugins/merge-hooks.js';
import { builtinTools } from '../../tools/builtin/index.js';
import { approvalHooks } from '../approval.js';
import { EXIT_CODES } from '../exit-codes.js';
import { addModelOptions } from '../model-options.js';
import { requestOptionsOf, resolveModelSettings } from '../model-settings.js';
import { activePlugins } from '../plugins.js';
import { createWaitingIndicator } from '../progress.js';
import type { RunFlags } from '../run-options.js';
import { sessionsDirectory } from '../session-store.js';
import { addToolOptions, resolveToolSelection } from '../tool-options.js';
import { UsageError } from '../usage-error.js';
import { contextUse, openChatSession, recordChat } from './chat-resume.js';
import { runChat } from './chat-session.js';
import { chatStyle } from './chat-style.js';
import { historyPath } from './line-input.js';

const stderr = { write: (text: string): void => void process.stderr.write(text) };

/** Asks on the chat's own terminal (a short-lived readline would fight the chat's). */
function chatAsk(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stdout.write(question);
    const onData = (data: Buffer | string): void => {
      process.stdin.off('data', onData);
      resolve(String(data).trim());
    };
    process.stdin.on('data', onData);
  });
}

/** The flags of `chat`: those of `run`, plus `--resume [NAME]`. */
interface ChatFlags extends RunFlags {
  /** `--resume` alone: the most recent session; `--resume NAME`: that one. */
  resume?: string | true;
}

async function chat(flags: ChatFlags): Promise<number> {
  const cwd = flags.cwd ?? process.cwd();
  const settings = await resolveModelSettings({ flags, env: process.env, cwd, stderr });
  const selection = resolveToolSelection(flags, settings.config.tools);
  const { config, model } = settings;
  const interactive = process.stdin.isTTY === true;
  // The approval prompt first: a plugin's PreToolUse hook sees only calls the user allowed.
  const hooks = mergeHooks(
    !selection.yes && interactive ? approvalHooks(chatAsk) : undefined,
    activePlugins().hooks,
  );
  const session = await openChatSession(
    flags.resume,
    sessionsDirectory(process.env, config.sessionsDir, cwd),
  );
  const agent = new Agent({
    messages: session.messages,
    model,
    tools: [...builtinTools({ names: selection.names, root: selection.root }), ...(selection.plugins ?? [])],
    ...(config.system !== undefined && { systemPrompt: config.system }),
    ...(config.maxTurns !== undefined && { maxTurns: config.maxTurns }),
    ...(hooks !== undefined && { hooks }),
    streamOptions: {
      ...(settings.apiKey !== undefined && { apiKey: settings.apiKey }),
      ...(config.maxTokens !== undefined && { maxTokens: config.maxTokens }),
      ...(config.temperature !== undefined && { temperature: config.temperature }),
      ...requestOptionsOf(config),
    },
  });
  recordChat(agent, session, (message) => stderr.write(`warning: ${message}\n`));
  const enabled = [...selection.names, ...(selection.plugins ?? []).map((t) => t.name)];
  const tools = enabled.length > 0 ? enabled.join(', ') : 'none';
  if (session.warning !== undefined) stderr.write(`warning: sessions are not saved: ${session.warning}\n`);
  const resumed =
    flags.resume !== undefined ? ` · resumed ${session.messages.length} messages, ${contextUse(agent)}` : '';
  await runChat({
    agent,
    style: chatStyle(),
    cwd: selection.root,
    ...(interactive && { historyFile: historyPath(), waitingIndicator: () => createWaitingIndicator() }),
    contextUse: () => contextUse(agent),
    banner:
      `open-agent chat · ${model.id} at ${redactUrl(model.baseUrl)} · tools: ${tools} · /help for commands\n` +
      `session ${session.id}${session.saving ? '' : ' (not saved)'}${resumed}`,
  });
  return 0;
}

/** The `chat` command: an interactive session on the agent (streaming, tools, slash commands). */
export function createChatCommand(): Command {
  const command = new Command('chat').description('an interactive session with streaming output and tools');
  addModelOptions(command);
  addToolOptions(command);
  return command
    .option('--system <text>', 'system prompt')
    .option('--max-tokens <n>', 'output token limit per model call')
    .option('--temperature <t>', 'sampling temperature, 0 to 2')
    .option('--max-turns <n>', 'model calls allowed per prompt (tool use included)')
    .option(
      '--resume [name]',
      'continue a saved session (the most recent without NAME); every chat is saved, see "open-agent sessions"',
    )
    .action(async (flags: ChatFlags) => {
      try {
        process.exitCode = await chat(flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = EXIT_CODES.usage;
      }
    });
}
