import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Agent, modelFor, parseAgentState, redactUrl, serializeAgentState } from '../../index.js';

/** What a slash command needs from the session. */
export interface SlashContext {
  agent: Agent;
  /** The directory relative paths of /save and /load are resolved against. */
  cwd: string;
  print(line: string): void;
}

/** The chat's slash commands, for /help. */
export const SLASH_HELP = `Commands:
  /reset        forget the conversation
  /model NAME   switch to another model on the same server
  /tools        list the enabled tools
  /save FILE    save the conversation as JSON
  /load FILE    load a saved conversation
  /help         this list
  /exit         leave (or Ctrl-C twice, or Ctrl-D)
Ctrl-C during an answer interrupts it.`;

function save(context: SlashContext, file: string): void {
  const { state } = context.agent;
  const path = resolve(context.cwd, file);
  const json = serializeAgentState({
    model: state.model,
    messages: [...state.messages],
    ...(state.systemPrompt !== undefined && { systemPrompt: state.systemPrompt }),
  });
  writeFileSync(path, `${json}\n`);
  context.print(`Saved ${state.messages.length} messages to ${path}.`);
}

function load(context: SlashContext, file: string): void {
  const path = resolve(context.cwd, file);
  const saved = parseAgentState(readFileSync(path, 'utf8'));
  context.agent.replaceMessages(saved.messages);
  if (saved.systemPrompt !== undefined) context.agent.setSystemPrompt(saved.systemPrompt);
  context.print(
    `Loaded ${saved.messages.length} messages from ${path} (the current server and model are kept).`,
  );
}

/**
 * Runs a slash command. Returns `'exit'` for /exit, `true` when the line was a command, `false` when it
 * is a prompt. Failures (a missing file, a bad argument) are printed, not thrown.
 */
export function runSlashCommand(line: string, context: SlashContext): boolean | 'exit' {
  const match = /^\/(\w+)(?:\s+(.*))?$/.exec(line.trim());
  if (!match) return false;
  const [, name, rawArg] = match;
  const arg = rawArg?.trim() ?? '';
  try {
    switch (name) {
      case 'exit':
      case 'quit':
        return 'exit';
      case 'reset':
        context.agent.reset();
        context.print('Conversation cleared.');
        return true;
      case 'model': {
        const current = context.agent.state.model;
        if (arg === '') {
          context.print(`Model: ${current.id} at ${redactUrl(current.baseUrl)}`);
          return true;
        }
        const { id: _id, provider: _p, baseUrl: _b, contextWindow: _c, cost: _cost, ...rest } = current;
        context.agent.setModel(
          modelFor({ id: arg, baseUrl: current.baseUrl, provider: current.provider, overrides: rest }),
        );
        context.print(`Model: ${arg}`);
        return true;
      }
      case 'tools': {
        const tools = context.agent.state.tools;
        context.print(
          tools.length === 0
            ? 'No tools enabled.'
            : tools
                .map((t) => `  ${t.name}  ${'description' in t ? (t.description ?? '') : '(tool source)'}`)
                .join('\n'),
        );
        return true;
      }
      case 'save':
      case 'load':
        if (arg === '') {
          context.print(`usage: /${name} FILE`);
          return true;
        }
        (name === 'save' ? save : load)(context, arg);
        return true;
      case 'help':
        context.print(SLASH_HELP);
        return true;
      default:
        context.print(
          `Unknown command /${name}. ${SLASH_HELP.split('\n')[0]} /reset /model /tools /save /load /help /exit`,
        );
        return true;
    }
  } catch (error) {
    context.print(`error: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  }
}
