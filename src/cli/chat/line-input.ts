import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { Transform } from 'node:stream';

/** Start and end of a bracketed paste (xterm's `CSI 200 ~` / `CSI 201 ~`). */
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
/** Enables / disables bracketed paste on the terminal (xterm `DECSET 2004`). */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Stands for a newline inside a pasted block while readline edits the line (U+2424 SYMBOL FOR NEWLINE,
 * shown as `␤`). {@link LineAssembler} turns it back into `\n`.
 */
export const PASTED_NEWLINE = '\u2424';

/** Longest tail of `text` that is a proper prefix of `marker` (held back until the next chunk). */
function partialTail(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (marker.startsWith(text.slice(-n))) return n;
  }
  return 0;
}

/**
 * A stateful filter for terminal input: drops the bracketed-paste markers and, inside a paste, replaces
 * each line break (`\r\n`, `\r`, `\n`) with {@link PASTED_NEWLINE}, so readline sees one line. Markers
 * split across chunks are held back until complete.
 */
export function pasteFilter(): (chunk: string) => string {
  let pasting = false;
  let held = '';
  return (chunk) => {
    let text = held + chunk;
    held = '';
    let out = '';
    for (;;) {
      const marker = pasting ? PASTE_END : PASTE_START;
      const at = text.indexOf(marker);
      const part = at === -1 ? text : text.slice(0, at);
      if (at === -1) {
        const keep = partialTail(part, marker);
        held = part.slice(part.length - keep);
        out += pasting
          ? part.slice(0, part.length - keep).replace(/\r\n|\r|\n/g, PASTED_NEWLINE)
          : part.slice(0, part.length - keep);
        return out;
      }
      out += pasting ? part.replace(/\r\n|\r|\n/g, PASTED_NEWLINE) : part;
      pasting = !pasting;
      text = text.slice(at + marker.length);
    }
  };
}

/**
 * Joins typed lines into prompts: a line is a prompt, except between two lines that are only `"""`,
 * whose lines form one prompt. Pasted line breaks ({@link PASTED_NEWLINE}) become `\n`.
 */
export class LineAssembler {
  #block: string[] | undefined;

  /** True inside a `"""` block (the chat shows a continuation prompt). */
  get open(): boolean {
    return this.#block !== undefined;
  }

  /** Adds one line; returns the finished prompt, or undefined while a `"""` block is open. */
  push(line: string): string | undefined {
    const text = line.split(PASTED_NEWLINE).join('\n');
    if (this.#block === undefined) {
      if (text.trim() !== '"""') return text;
      this.#block = [];
      return undefined;
    }
    if (text.trim() === '"""') {
      const prompt = this.#block.join('\n');
      this.#block = undefined;
      return prompt;
    }
    this.#block.push(text);
    return undefined;
  }
}

/** Where the chat keeps its history: `$XDG_DATA_HOME/open-agent/chat_history`, else `~/.local/share/…`. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : undefined;
  return join(data ?? join(homedir(), '.local', 'share'), 'open-agent', 'chat_history');
}

/** Most lines kept in the history file. */
export const HISTORY_SIZE = 1000;

/** Reads the history file (oldest first on disk), newest first as readline wants; [] when absent. */
export function readHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .reverse()
      .slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/** Writes the history (newest first in memory, oldest first on disk), readable by the user only (0600). */
export function writeHistory(path: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const lines = [...history].reverse().map((line) => line.replace(/\n/g, PASTED_NEWLINE));
    writeFileSync(path, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
    chmodSync(path, 0o600);
  } catch {
    // History is a convenience: a read-only home must not break the chat.
  }
}

/** Options of {@link createLineInput}. */
export interface LineInputOptions {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  /** Slash commands offered by Tab (with the leading `/`). */
  commands: readonly string[];
  /** History file; undefined keeps history for this session only. */
  historyFile?: string;
}

/** Tab completion of slash commands: `/mo` → `/model`. Other text completes to nothing. */
export function slashCompleter(commands: readonly string[]): (line: string) => [string[], string] {
  return (line) => {
    if (!line.startsWith('/') || /\s/.test(line)) return [[], line];
    const hits = commands.filter((c) => c.startsWith(line));
    return [hits, line];
  };
}

/**
 * The chat's readline. On a terminal: raw mode, bracketed paste (a pasted block is one line, see
 * {@link pasteFilter}), Tab completion of slash commands and a persistent history file (mode 0600).
 * Off a terminal: a plain line reader. Closing the interface restores the terminal.
 */
export function createLineInput(options: LineInputOptions): Interface {
  const { input, output } = options;
  if (input.isTTY !== true) return createInterface({ input, output, terminal: false, prompt: '> ' });
  const filter = pasteFilter();
  const filtered = new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _encoding, done) {
      done(null, filter(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    },
  });
  input.setRawMode(true);
  input.pipe(filtered);
  output.write(BRACKETED_PASTE_ON);
  const history = options.historyFile === undefined ? [] : readHistory(options.historyFile);
  const rl = createInterface({
    input: filtered,
    output,
    terminal: true,
    prompt: '> ',
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: slashCompleter(options.commands),
  });
  const file = options.historyFile;
  if (file !== undefined) rl.on('history', (lines: string[]) => writeHistory(file, lines));
  rl.on('close', () => {
    output.write(BRACKETED_PASTE_OFF);
    input.unpipe(filtered);
    input.setRawMode(false);
    input.pause();
  });
  return rl;
}
