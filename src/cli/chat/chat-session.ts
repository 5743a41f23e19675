import type { Interface } from 'node:readline';
import type { AgentEvent } from '../../index.js';
import type { WaitingIndicator } from '../progress.js';
import { reasoningGutter } from '../reasoning-gutter.js';
import { ToolLineTracker } from '../tool-line.js';
import { runSlashCommand, SLASH_COMMANDS } from './chat-commands.js';
import type { ChatQuestions } from './chat-question.js';
import type { ChatAgent } from './chat-runner.js';
import { sessionUsage, statusLine } from './chat-status.js';
import type { ChatStyle } from './chat-style.js';
import { createLineInput, LineAssembler } from './line-input.js';

/** Input of {@link runChat}. */
export interface ChatInput {
  /** The conversation (a `ChatRunner`, on the SDK's `run()`). */
  agent: ChatAgent;
  style: ChatStyle;
  /** Where /save and /load resolve relative paths. */
  cwd: string;
  /** Shown once at the start. */
  banner: string;
  /** The context use for the status line (`context 15% · 1,234 of 8,192 tokens`). */
  contextUse?: () => string;
  /** The history file (terminal only). @default none: history lasts for the session */
  historyFile?: string;
  /** Starts the "waiting for the first token" indicator of one answer (a terminal's stderr only). */
  waitingIndicator?: () => WaitingIndicator;
  /** Questions (approvals) answered by the next line entered, instead of queuing it as a prompt. */
  questions?: ChatQuestions;
}

/**
 * Prints the agent's events: streamed text, reasoning (dimmed on a color terminal, else behind the `| `
 * gutter so it stays apart from the answer), one line per tool call.
 */
function printer(style: ChatStyle, write: (text: string) => void) {
  const tools = new ToolLineTracker();
  const gutter = reasoningGutter();
  let column = 0;
  let inThinking = false;
  const out = (text: string): void => {
    if (text === '') return;
    write(text);
    const lastNewline = text.lastIndexOf('\n');
    column = lastNewline === -1 ? column + text.length : text.length - lastNewline - 1;
  };
  const newline = (): void => {
    if (column > 0) out('\n');
  };
  return {
    event(event: AgentEvent): void {
      if (event.type === 'message_update') {
        const e = event.event;
        if (e.type === 'thinking_delta') {
          if (!inThinking) {
            newline();
            gutter.reset();
          }
          inThinking = true;
          out(style.color ? style.dim(e.delta) : gutter.format(e.delta));
        } else if (e.type === 'text_delta') {
          if (inThinking) {
            newline();
            inThinking = false;
          }
          out(e.delta);
        }
      } else if (event.type === 'tool_execution_start' || event.type === 'tool_execution_end') {
        const line = tools.line(event, false);
        if (line !== undefined) {
          newline();
          out(`${style.dim(line)}\n`);
        }
      }
    },
    newline,
    out,
  };
}

/**
 * The interactive loop: reads prompts (see {@link createLineInput}: bracketed paste, `"""` blocks, Tab
 * completion, history), streams each answer, prints a status line with tokens (and cost where the model
 * has prices). Lines entered while an answer streams are queued and sent in order after it. Ctrl-C during
 * an answer interrupts it; Ctrl-C at the prompt asks for a second Ctrl-C to exit. Resolves when the user
 * leaves.
 */
export function runChat(input: ChatInput): Promise<void> {
  const { agent, style } = input;
  const write = (text: string): void => void process.stdout.write(text);
  const view = printer(style, write);
  const rl: Interface = createLineInput({
    input: process.stdin,
    output: process.stdout,
    commands: SLASH_COMMANDS,
    ...(input.historyFile !== undefined && { historyFile: input.historyFile }),
  });
  const lines = new LineAssembler();
  let busy = false;
  let armed = false;
  let closed = false;
  /** Prompts entered while an answer streams, answered in order afterwards. */
  const waiting: string[] = [];
  const piped = process.stdin.isTTY !== true;
  agent.subscribe((event) => view.event(event));
  write(`${input.banner}\n`);
  rl.prompt();
  return new Promise((resolve) => {
    const finish = (): void => {
      write('\n');
      resolve();
    };
    const prompt = (): void => {
      rl.setPrompt(lines.open ? '… ' : '> ');
      rl.prompt();
    };
    const next = (): void => {
      const line = waiting.shift();
      if (line !== undefined) void handle(line);
      else if (closed) finish();
      else prompt();
    };
    const ask = (text: string): void => {
      busy = true;
      const before = agent.state.messages.length;
      const wait = input.waitingIndicator?.();
      const unsubscribe = agent.subscribe((event) => {
        if (
          (event.type === 'message_update' && event.event.type !== 'start') ||
          event.type === 'tool_execution_start'
        )
          wait?.stop();
        if (event.type === 'retry') wait?.retry(event);
        if (event.type === 'queued') wait?.queued?.(event);
      });
      agent
        .prompt(text)
        .then((result) => {
          wait?.stop();
          view.newline();
          if (result.stopReason === 'error' && result.lastMessage?.errorMessage)
            write(`error: ${result.lastMessage.errorMessage}\n`);
          const turn = sessionUsage(agent.state.messages.slice(before)).usage;
          const status = statusLine(
            turn,
            sessionUsage(agent.state.messages),
            agent.state.model.id,
            input.contextUse?.(),
          );
          write(`${style.dim(status)}\n`);
        })
        .catch((error: unknown) =>
          write(`error: ${error instanceof Error ? error.message : String(error)}\n`),
        )
        .finally(() => {
          wait?.stop();
          unsubscribe();
          busy = false;
          next();
        });
    };
    const handle = async (text: string): Promise<void> => {
      if (text.trim() === '') {
        next();
        return;
      }
      busy = true;
      const command = await runSlashCommand(text.trim(), {
        agent,
        cwd: input.cwd,
        print: (l) => write(`${l}\n`),
      });
      busy = false;
      if (command === 'exit') {
        waiting.length = 0;
        if (closed) finish();
        else rl.close();
        return;
      }
      if (command) next();
      else ask(text);
    };
    rl.on('close', () => {
      closed = true;
      input.questions?.cancel();
      // Piped input ended: answer what was read, then leave. A terminal's close (Ctrl-D, /exit) leaves now.
      if (piped && (busy || waiting.length > 0)) return;
      agent.abort();
      finish();
    });
    rl.on('SIGINT', () => {
      if (busy) {
        agent.abort();
        input.questions?.cancel();
        view.newline();
        write(`${style.dim('^C interrupted (Ctrl-C again at the prompt to exit)')}\n`);
        return;
      }
      if (armed) return rl.close();
      armed = true;
      write(`\n${style.dim('(press Ctrl-C again to exit, or type /exit)')}\n`);
      prompt();
    });
    rl.on('line', (line) => {
      armed = false;
      if (input.questions?.answer(line)) return;
      const text = lines.push(line);
      if (text === undefined) {
        if (!busy) prompt();
        return;
      }
      if (busy) {
        waiting.push(text);
        if (!piped) write(`${style.dim(`(queued: sent after this answer — ${waiting.length} waiting)`)}\n`);
        return;
      }
      void handle(text);
    });
  });
}
