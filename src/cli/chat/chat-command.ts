import { Command } from 'commander';
import { type AgentDefinition, defineAgent } from '../../agent/definition.js';
import { redactUrl } from '../../index.js';
import { builtinTools } from '../../tools/builtin/index.js';
import { approvalTools, askDecision } from '../approval.js';
import { agentNameOf, configAgent } from '../config-agent.js';
import { EXIT_CODES } from '../exit-codes.js';
import { addModelOptions } from '../model-options.js';
import { requestOptionsOf, resolveModelSettings } from '../model-settings.js';
import { activePlugins } from '../plugins.js';
import { createWaitingIndicator } from '../progress.js';
import { RUN_FLAG_HELP } from '../run-help.js';
import type { RunFlags } from '../run-options.js';
import { sessionsDirectory } from '../session-store.js';
import { addToolOptions, resolveToolSelection } from '../tool-options.js';
import { UsageError } from '../usage-error.js';
import { ChatQuestions } from './chat-question.js';
import { contextUse, openChatSession, recordChat } from './chat-resume.js';
import { ChatRunner } from './chat-runner.js';
import { runChat } from './chat-session.js';
import { chatStyle } from './chat-style.js';
import { historyPath } from './line-input.js';

const stderr = { write: (text: string): void => void process.stderr.write(text) };

/** The flags of `chat`: those of `run`, plus `--resume [NAME]`. */
interface ChatFlags extends RunFlags {
  /** `--resume` alone: the most recent session; `--resume NAME`: that one. */
  resume?: string | true;
}

/**
 * The chat's starting agent: `--agent NAME` of the config file (with its handoffs), else one built from
 * the flags and config (model, `--system`, the selected built-in tools).
 */
function chatAgent(
  flags: ChatFlags,
  settings: Awaited<ReturnType<typeof resolveModelSettings>>,
  selection: ReturnType<typeof resolveToolSelection>,
  approve: boolean,
): AgentDefinition {
  const { config, model } = settings;
  const name = agentNameOf(flags.agent, config.agents);
  if (name !== undefined && config.agents !== undefined) {
    const { tools, allowWrite, allowCommands, system } = flags;
    return configAgent({
      name,
      agents: config.agents,
      model,
      flags: {
        ...(tools !== undefined && { tools }),
        ...(allowWrite !== undefined && { allowWrite }),
        ...(allowCommands !== undefined && { allowCommands }),
        ...(system !== undefined && { system }),
        cwd: selection.root,
      },
      root: selection.root,
      approve,
    });
  }
  const builtin = [
    ...builtinTools({ names: selection.names, root: selection.root }),
    ...(selection.plugins ?? []),
  ];
  const hooks = activePlugins().hooks;
  return defineAgent({
    name: 'agent',
    model,
    ...(config.system !== undefined && { instructions: config.system }),
    ...(builtin.length > 0 && { tools: approve ? approvalTools(builtin) : builtin }),
    ...(hooks !== undefined && { hooks }),
  }) as AgentDefinition;
}

async function chat(flags: ChatFlags): Promise<number> {
  const cwd = flags.cwd ?? process.cwd();
  const settings = await resolveModelSettings({ flags, env: process.env, cwd, stderr });
  const selection = resolveToolSelection(flags, settings.config.tools);
  const { config, model } = settings;
  const interactive = process.stdin.isTTY === true;
  // On a terminal, write and command tools need approval: the run stops at their calls (the library's
  // interruption path), the chat asks, approves or rejects, and resumes the run.
  const approve = !selection.yes && interactive;
  const agent = chatAgent(flags, settings, selection, approve);
  const questions = new ChatQuestions((text) => void process.stdout.write(text));
  const session = await openChatSession(
    flags.resume,
    sessionsDirectory(process.env, config.sessionsDir, cwd),
  );
  const runner = new ChatRunner({
    agent,
    messages: session.messages,
    ...(config.maxTurns !== undefined && { maxTurns: config.maxTurns }),
    ...(approve && { decide: askDecision((question) => questions.ask(question)) }),
    streamOptions: {
      ...(settings.apiKey !== undefined && { apiKey: settings.apiKey }),
      ...(config.maxTokens !== undefined && { maxTokens: config.maxTokens }),
      ...(config.temperature !== undefined && { temperature: config.temperature }),
      ...requestOptionsOf(config),
    },
  });
  recordChat(runner, session, (message) => stderr.write(`warning: ${message}\n`));
  runner.subscribe((event) => {
    if (event.type === 'handoff') stderr.write(`→ handoff to ${event.to}\n`);
  });
  const toolNames = (agent.tools ?? []).map((t) => t.name);
  const tools = toolNames.length > 0 ? toolNames.join(', ') : 'none';
  const named = flags.agent !== undefined ? ` · agent ${agent.name}` : '';
  if (session.warning !== undefined) stderr.write(`warning: sessions are not saved: ${session.warning}\n`);
  const resumed =
    flags.resume !== undefined ? ` · resumed ${session.messages.length} messages, ${contextUse(runner)}` : '';
  await runChat({
    agent: runner,
    questions,
    style: chatStyle(),
    cwd: selection.root,
    ...(interactive && { historyFile: historyPath(), waitingIndicator: () => createWaitingIndicator() }),
    contextUse: () => contextUse(runner),
    banner:
      `open-agent chat · ${model.id} at ${redactUrl(model.baseUrl)}${named} · tools: ${tools} · /help for commands\n` +
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
    .option('--agent <name>', RUN_FLAG_HELP.agent)
    .option(
      '--gguf <path|uri>',
      'chat with a GGUF model in-process, no server (needs node-llama-cpp; a URI is pulled first)',
    )
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
