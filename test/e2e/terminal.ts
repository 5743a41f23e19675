import { type IPty, spawn } from 'node-pty';
import { BIN, cleanEnv } from '../cli/cli.js';

/** A chat driven through a pseudo-terminal: everything it printed, and a way to wait for text. */
export class Terminal {
  output = '';
  exit: Promise<number>;
  readonly #pty: IPty;
  #waiters: { text: string | RegExp; from: number; resolve: () => void }[] = [];

  constructor(args: string[], env: Record<string, string>) {
    this.#pty = spawn(process.execPath, [BIN, ...args], {
      cols: 120,
      rows: 40,
      env: cleanEnv({ TERM: 'xterm', ...env }),
    });
    this.#pty.onData((data) => {
      this.output += data;
      this.#check();
    });
    this.exit = new Promise((resolve) => this.#pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((w) => {
      const rest = this.output.slice(w.from);
      const hit = typeof w.text === 'string' ? rest.includes(w.text) : w.text.test(rest);
      if (hit) w.resolve();
      return !hit;
    });
  }

  /** Resolves once `text` appears after output position `from` (vitest's timeout bounds the wait). */
  waitFor(text: string | RegExp, from = 0): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ text, from, resolve });
      this.#check();
    });
  }

  write(data: string): void {
    this.#pty.write(data);
  }

  kill(): void {
    this.#pty.kill();
  }
}
