import { createInterface, type Interface } from 'node:readline';
import type { Agent, AgentEvent } from '../../index.js';
import { ToolLineTracker } from '../tool-line.js';
import { runSlashCommand } from './chat-commands.js';
import { sessionUsage, statusLine } from './chat-status.js';
import type { ChatStyle } from './chat-style.js';

/** Input of {@link runChat}. */
export interface ChatInput {
  agent: Agent;
  style: ChatStyle;
  /** Where /save and /load resolve relative paths. */
  cwd: string;
  /** Shown once at the start. */
  banner: string;
  /** The context use for the status line (`context 15% · 1,234 of 8,192 tokens`). */
  contextUse?: () => string;
}

/** Prints the agent's events: streamed text, dimmed reasoning, one line per tool call. */
function printer(style: ChatStyle, write: (text: string) => void) {
  const tools = new ToolLineTracker();
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
          inThinking = true;
          out(style.dim(e.delta));
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
 * The interactive loop: reads prompts with readline, streams each answer, prints a status line with
 * tokens (and cost where the model has prices). Ctrl-C during an answer interrupts it; Ctrl-C at the
 * prompt asks for a second Ctrl-C to exit. Resolves when the user leaves.
 */
export function runChat(input: ChatInput): Promise<void> {
  const { agent, style } = input;
  const write = (text: string): void => void process.stdout.write(text);
  const view = printer(style, write);
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY === true,
    prompt: '> ',
  });
  let busy = false;
  let armed = false;
  let closed = false;
  /** Piped stdin: lines read while an answer streams wait here, answered in order (a terminal drops them). */
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
    const leave = (): void => {
      rl.close();
    };
    const next = (): void => {
      const line = waiting.shift();
      if (line !== undefined) handle(line);
      else if (closed) finish();
      else rl.prompt();
    };
    const handle = (line: string): void => {
      const text = line.trim();
      if (text === '') {
        next();
        return;
      }
      const command = runSlashCommand(text, { agent, cwd: input.cwd, print: (l) => write(`${l}\n`) });
      if (command === 'exit') {
        waiting.length = 0;
        if (closed) finish();
        else leave();
        return;
      }
      if (command) {
        next();
        return;
      }
      busy = true;
      const before = agent.state.messages.length;
      agent
        .prompt(text)
        .then((result) => {
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
          busy = false;
          next();
        });
    };
    rl.on('close', () => {
      closed = true;
      // Piped input ended: answer what was read, then leave. A terminal's close (Ctrl-D, /exit) leaves now.
      if (piped && (busy || waiting.length > 0)) return;
      agent.abort();
      finish();
    });
    rl.on('SIGINT', () => {
      if (busy) {
        agent.abort();
        view.newline();
        write(`${style.dim('^C interrupted (Ctrl-C again at the prompt to exit)')}\n`);
        return;
      }
      if (armed) return leave();
      armed = true;
      write(`\n${style.dim('(press Ctrl-C again to exit, or type /exit)')}\n`);
      rl.prompt();
    });
    rl.on('line', (line) => {
      armed = false;
      if (busy) {
        if (piped) waiting.push(line);
        return; // a terminal: typed while an answer streams is ignored (the prompt comes back after it)
      }
      handle(line);
    });
  });
}
