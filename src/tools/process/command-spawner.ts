import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { SPAWNER_SOURCE, type SpawnerExitMessage, type SpawnerRunRequest } from './spawner-program.js';

/** Default time between SIGTERM and SIGKILL when a command's process group is stopped, in ms. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/** What to run: see {@link CommandSpawner.run}. */
export interface CommandRequest {
  command: string;
  args: readonly string[];
  /** Working directory. */
  cwd: string;
  /** The command's whole environment (nothing else is inherited). */
  env: Record<string, string>;
  /** Cap on the captured output (stdout and stderr together), in bytes. */
  maxOutputBytes: number;
  /** Time limit in ms; then the process group is stopped and `timedOut` is set. */
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL, in ms. @default 2000 */
  graceMs?: number;
}

/** How a command ended. */
export interface CommandOutcome {
  /** Process id, which is also the id of the process group the command leads. */
  pid?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Captured stdout and stderr, interleaved as they arrived, decoded as UTF-8. */
  output: string;
  truncated: boolean;
  timedOut: boolean;
  /** The program could not be started (`code` is the errno code, e.g. `ENOENT`). */
  error?: { code?: string; message: string };
}

interface Pending {
  resolve: (outcome: SpawnerExitMessage) => void;
  reject: (error: Error) => void;
}

/** Handles with `ref`/`unref` (child process, pipes). */
interface Refable {
  ref?: () => unknown;
  unref?: () => unknown;
}

/**
 * Runs commands through a separate spawner process, so a command never has the calling process as its
 * parent: `/proc/$PPID/environ` and `/proc/$PPID/cmdline` of a command show the spawner's, which holds no
 * key (empty environment; argv `node -e SOURCE`, shown as `open-agent-spawner`). Each command leads its own process group; a timeout,
 * an abort or the end of the calling process (even by SIGKILL: the spawner sees its stdin close) stops
 * the whole group, SIGTERM then SIGKILL after the grace period.
 *
 * The spawner starts on the first command and is restarted if it dies. It does not keep the calling
 * process alive while no command runs. {@link CommandSpawner.close} ends it.
 */
export class CommandSpawner {
  #child: ChildProcess | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Process id of the spawner, when it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Runs one command to its end. Never rejects for the command's own failures (they are in the outcome);
   * rejects only when the spawner itself cannot be started or dies.
   *
   * @param signal - Aborting stops the command's process group; the promise then resolves with what the
   *   command printed.
   */
  run(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome> {
    const id = this.#nextId++;
    const channel = this.#channel();
    const message: SpawnerRunRequest = {
      t: 'run',
      id,
      command: request.command,
      args: [...request.args],
      cwd: request.cwd,
      env: request.env,
      limit: request.maxOutputBytes,
      graceMs: request.graceMs ?? DEFAULT_KILL_GRACE_MS,
    };
    let timedOut = false;
    const stop = (): void => {
      this.#write(channel, { t: 'stop', id });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, request.timeoutMs);
    if (signal?.aborted) queueMicrotask(stop);
    else signal?.addEventListener('abort', stop, { once: true });
    const settled = new Promise<SpawnerExitMessage>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#setRef(true);
    this.#write(channel, message);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      this.#pending.delete(id);
      if (this.#pending.size === 0) this.#setRef(false);
    };
    return settled.then(
      (exit) => {
        cleanup();
        return outcomeOf(exit, timedOut);
      },
      (error: unknown) => {
        cleanup();
        throw error;
      },
    );
  }

  /** Ends the spawner (running commands are stopped by it, TERM then KILL). Safe to call repeatedly. */
  close(): void {
    const child = this.#child;
    this.#child = undefined;
    child?.stdin?.end();
  }

  #channel(): ChildProcess {
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) return this.#child;
    // An empty environment and no secret in argv: this is what a command sees as its parent.
    const child = spawn(process.execPath, ['-e', SPAWNER_SOURCE], {
      env: {},
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    this.#child = child;
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      buffer += text;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const exit = JSON.parse(buffer.slice(0, newline)) as SpawnerExitMessage;
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        this.#pending.get(exit.id)?.resolve(exit);
      }
    });
    child.stdin?.on('error', () => undefined);
    const fail = (reason: string): void => {
      if (this.#child === child) this.#child = undefined;
      const error = new Error(`the command spawner stopped (${reason})`);
      for (const pending of this.#pending.values()) pending.reject(error);
    };
    child.once('error', (error) => fail(error.message));
    child.once('close', (code, signal) => fail(signal ?? `exit code ${code}`));
    return child;
  }

  #write(child: ChildProcess, message: object): void {
    if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  // While no command runs, the spawner must not keep the calling process alive.
  #setRef(on: boolean): void {
    const child = this.#child;
    if (!child) return;
    const handles: Refable[] = [child, child.stdin as Writable & Refable, child.stdout as Readable & Refable];
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

function outcomeOf(exit: SpawnerExitMessage, timedOut: boolean): CommandOutcome {
  return {
    ...(exit.pid !== undefined && { pid: exit.pid }),
    code: exit.code,
    signal: exit.signal as NodeJS.Signals | null,
    output: Buffer.from(exit.output, 'base64').toString('utf8'),
    truncated: exit.truncated,
    timedOut,
    ...(exit.error && { error: exit.error }),
  };
}

let shared: CommandSpawner | undefined;

/** The process-wide spawner used by `run_command` unless a tool is given its own. */
export function sharedCommandSpawner(): CommandSpawner {
  shared ??= new CommandSpawner();
  return shared;
}
