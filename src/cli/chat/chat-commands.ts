import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { modelFor, parseAgentState, probe, redactUrl, serializeAgentState } from '../../index.js';
import type { ChatAgent } from './chat-runner.js';

/** What a slash command needs from the session. */
export interface SlashContext {
  agent: ChatAgent;
  /** The directory relative paths of /save and /load are resolved against. */
  cwd: string;
  print(line: string): void;
  /**
   * Lists the model ids the server offers, for `/model`. @default a fresh probe of the agent's base URL
   */
  listModels?: () => Promise<string[]>;
}

/** The slash command names, for Tab completion. */
export const SLASH_COMMANDS = ['/reset', '/model', '/tools', '/save', '/load', '/help', '/exit'] as const;

/** The chat's slash commands, for /help. */
export const SLASH_HELP = `Commands:
  /reset        forget the conversation
  /model [NAME] list the server's models, or switch to NAME (checked)
  /tools        list the enabled tools
  /save FILE    save the conversation as JSON (~ is your home directory)
  /load FILE    load a saved conversation
  /help         this list
  /exit         leave (or Ctrl-C twice, or Ctrl-D)
Ctrl-C during an answer interrupts it. Lines typed during an answer are sent after it.
A pasted block is one prompt; so are the lines between two lines of """. Tab completes commands.`;

/** A /save or /load path: `~` and `~/…` are the home directory, relative paths are against `cwd`. */
export function expandPath(cwd: string, file: string, home = homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return join(home, file.slice(2));
  return resolve(cwd, file);
}

/** A readable one-line reason for a failed read or write of `path`. */
function fileProblem(error: unknown, path: string, verb: 'read' | 'write'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `cannot ${verb} ${path}: no such file or directory`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot ${verb} ${path}: permission denied`;
  if (code === 'EISDIR') return `cannot ${verb} ${path}: it is a directory`;
  if (error instanceof SyntaxError)
    return `${path} is not a saved conversation (invalid JSON: ${error.message})`;
  return `cannot ${verb} ${path}: ${error instanceof Error ? error.message : String(error)}`;
}

function save(context: SlashContext, file: string): void {
  const { state } = context.agent;
  const path = expandPath(context.cwd, file);
  const json = serializeAgentState({
    model: state.model,
    messages: [...state.messages],
    ...(state.systemPrompt !== undefined && { systemPrompt: state.systemPrompt }),
  });
  try {
    writeFileSync(path, `${json}\n`);
  } catch (error) {
    context.print(`error: ${fileProblem(error, path, 'write')}`);
    return;
  }
  context.print(`Saved ${state.messages.length} messages to ${path}.`);
}

function load(context: SlashContext, file: string): void {
  const path = expandPath(context.cwd, file);
  let saved: ReturnType<typeof parseAgentState>;
  try {
    saved = parseAgentState(readFileSync(path, 'utf8'));
  } catch (error) {
    context.print(`error: ${fileProblem(error, path, 'read')}`);
    return;
  }
  context.agent.replaceMessages(saved.messages);
  if (saved.systemPrompt !== undefined) context.agent.setSystemPrompt(saved.systemPrompt);
  context.print(
    `Loaded ${saved.messages.length} messages from ${path} (the current server and model are kept).`,
  );
}

/** The server's model ids, from a fresh probe of the agent's base URL. */
async function probedModels(agent: ChatAgent): Promise<string[]> {
  const { baseUrl } = agent.state.model;
  const profile = await probe(baseUrl, { cache: false });
  return profile.models.map((m) => m.id);
}

/** `/model`: lists the server's models; `/model NAME` switches after checking the server lists NAME. */
async function switchModel(context: SlashContext, name: string): Promise<void> {
  const current = context.agent.state.model;
  let ids: string[] | undefined;
  try {
    ids = await (context.listModels ?? (() => probedModels(context.agent)))();
  } catch {
    ids = undefined; // a cloud API or a server without a listing: the name cannot be checked
  }
  if (name === '') {
    context.print(`Model: ${current.id} at ${redactUrl(current.baseUrl)}`);
    if (ids === undefined) context.print('(the server did not list its models)');
    else for (const id of ids) context.print(`  ${id === current.id ? '*' : ' '} ${id}`);
    return;
  }
  if (ids !== undefined && ids.length > 0 && !ids.includes(name)) {
    context.print(`error: the server does not list ${name}; /model shows the ones it has: ${ids.join(', ')}`);
    return;
  }
  const { id: _id, provider: _p, baseUrl: _b, contextWindow: _c, cost: _cost, ...rest } = current;
  context.agent.setModel(
    modelFor({ id: name, baseUrl: current.baseUrl, provider: current.provider, overrides: rest }),
  );
  context.print(
    `Model: ${name}${ids === undefined ? ' (not checked: the server did not list its models)' : ''}`,
  );
}

/**
 * Runs a slash command. Returns `'exit'` for /exit, `true` when the line was a command, `false` when it
 * is a prompt. Failures (a missing file, a bad argument) are printed, not thrown.
 */
export async function runSlashCommand(line: string, context: SlashContext): Promise<boolean | 'exit'> {
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
      case 'model':
        await switchModel(context, arg);
        return true;
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
