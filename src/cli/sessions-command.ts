/**
 * `open-agent sessions list | show NAME | rm NAME`: the sessions `run --session` and `chat` keep under the
 * user's data directory (see `sessionsDirectory`).
 *
 * @module
 */
import { Command } from 'commander';
import { messagesOf } from '../agent/run-log.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { AgentMessage } from '../index.js';
import { EXIT_CODES } from './exit-codes.js';
import { formatTokens } from './format.js';
import { outputOf } from './run-options.js';
import { listSessions, sessionStore, sessionsDirectory } from './session-store.js';

interface SessionsFlags {
  output?: string;
  config?: string;
}

/** The sessions directory for these flags (environment > config file > XDG default). */
function directoryOf(flags: SessionsFlags): string {
  const config = resolveConfig({ flags: { ...(flags.config !== undefined && { config: flags.config }) } });
  return sessionsDirectory(process.env, config.sessionsDir);
}

function write(text: string): void {
  process.stdout.write(text);
}

async function list(flags: SessionsFlags): Promise<number> {
  const format = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const directory = directoryOf(flags);
  const sessions = await listSessions(sessionStore(directory));
  if (format === 'json') {
    const rows = sessions.map((s) => ({ ...s, modified: new Date(s.modifiedMs).toISOString() }));
    write(`${JSON.stringify({ directory, sessions: rows }, null, 2)}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    process.stderr.write(`no sessions in ${directory}\n`);
    return 0;
  }
  for (const s of sessions) {
    write(`${s.id}\t${new Date(s.modifiedMs).toISOString()}\t${formatTokens(s.sizeBytes)}B\n`);
  }
  return 0;
}

/** One line per message: role, then its text (tool calls and results named). */
function transcriptLines(messages: readonly AgentMessage[]): string[] {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      const text =
        typeof m.content === 'string'
          ? m.content
          : m.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('');
      lines.push(`user: ${text}`);
    } else if (m.role === 'assistant') {
      for (const block of m.content) {
        if (block.type === 'text' && block.text !== '') lines.push(`assistant: ${block.text}`);
        else if (block.type === 'toolCall')
          lines.push(`assistant → ${block.name} ${JSON.stringify(block.arguments)}`);
      }
      if (m.stopReason === 'error' || m.stopReason === 'aborted') lines.push(`(${m.stopReason})`);
    } else if (m.role === 'toolResult') {
      const text = m.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('');
      lines.push(`${m.toolName}${m.isError ? ' (error)' : ''}: ${text}`);
    }
  }
  return lines;
}

async function show(name: string, flags: SessionsFlags): Promise<number> {
  const format = outputOf(flags.output, ['text', 'json'] as const, 'text');
  const store = sessionStore(directoryOf(flags));
  const loaded = await store.load(name);
  if (loaded.lastSeq === 0) {
    process.stderr.write(`error: no session named ${JSON.stringify(name)}\n`);
    return EXIT_CODES.error;
  }
  const items = loaded.entries.map((e) => e.item);
  if (format === 'json') {
    write(`${JSON.stringify({ id: name, path: store.pathOf(name), entries: items }, null, 2)}\n`);
    return 0;
  }
  write(`${transcriptLines(messagesOf(items)).join('\n')}\n`);
  return 0;
}

async function remove(name: string, flags: SessionsFlags): Promise<number> {
  const store = sessionStore(directoryOf(flags));
  const { lastSeq } = await store.load(name);
  if (lastSeq === 0) {
    process.stderr.write(`error: no session named ${JSON.stringify(name)}\n`);
    return EXIT_CODES.error;
  }
  await store.delete(name);
  process.stderr.write(`removed session ${name}\n`);
  return 0;
}

/** Runs an action; a thrown error becomes one `error:` line on stderr and exit code 1 (2 for bad flags). */
function action<A extends unknown[]>(fn: (...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = await fn(...args);
    } catch (error) {
      const usage = error instanceof Error && (error.name === 'UsageError' || error.name === 'ConfigError');
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = usage ? EXIT_CODES.usage : EXIT_CODES.error;
    }
  };
}

/** The `sessions` command: `list`, `show NAME`, `rm NAME`. Sets `process.exitCode`. */
export function createSessionsCommand(): Command {
  const output = ['--output <format>', 'text or json'] as const;
  const configFlag = ['--config <file>', 'read only this config file (for sessionsDir)'] as const;
  const listCommand = new Command('list')
    .description('list the saved sessions, most recent first')
    .option(...output)
    .option(...configFlag)
    .action(action((flags: SessionsFlags) => list(flags)));
  const showCommand = new Command('show')
    .description("print a session's conversation")
    .argument('<name>', 'session name')
    .option(...output)
    .option(...configFlag)
    .action(action((name: string, flags: SessionsFlags) => show(name, flags)));
  const rmCommand = new Command('rm')
    .description('delete a session')
    .argument('<name>', 'session name')
    .option(...configFlag)
    .action(action((name: string, flags: SessionsFlags) => remove(name, flags)));
  const command = new Command('sessions')
    .description('list, show and remove saved sessions (run --session, chat)')
    .addCommand(listCommand)
    .addCommand(showCommand)
    .addCommand(rmCommand);
  for (const c of [command, listCommand, showCommand, rmCommand]) c.exitOverride();
  return command;
}
