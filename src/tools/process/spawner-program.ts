/**
 * The program of the command spawner process. It runs as `node -e SOURCE` with an empty environment and
 * no secret in its argv, reads requests (one JSON object per line) on stdin and answers on stdout. Each
 * command it starts leads its own process group (and session), so a stop reaches the whole tree: SIGTERM
 * to the group, SIGKILL after the grace period. When stdin ends (the CLI or library process exited, even
 * by SIGKILL), every group still running is stopped the same way and the spawner exits.
 *
 * The function is serialized with `Function.prototype.toString`, so it must stay self-contained: no
 * imports, no free variables besides globals; its two modules are passed in.
 *
 * @module
 */
import type * as ChildProcessModule from 'node:child_process';

/** A request from the client: start a command. */
export interface SpawnerRunRequest {
  t: 'run';
  id: number;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Cap on the captured output (stdout and stderr together), in bytes. */
  limit: number;
  /** Time between SIGTERM and SIGKILL, in ms. */
  graceMs: number;
}

/** A request from the client: stop the process group of a running command. */
export interface SpawnerStopRequest {
  t: 'stop';
  id: number;
}

/** The answer for one command, sent once it has ended and its output pipes have closed. */
export interface SpawnerExitMessage {
  t: 'exit';
  id: number;
  /** Process id (= process group id) of the command, when it started. */
  pid?: number;
  code: number | null;
  signal: string | null;
  /** Captured output, base64. */
  output: string;
  truncated: boolean;
  /** Set when the program could not be started. */
  error?: { code?: string; message: string };
}

/** The spawner's main function (see the module comment). */
export function spawnerProgram(cp: typeof ChildProcessModule, proc: NodeJS.Process): void {
  interface Run {
    pid: number | undefined;
    chunks: Buffer[];
    size: number;
    truncated: boolean;
    stopping: boolean;
    error?: { code?: string; message: string };
  }
  // Shown by `ps` instead of the whole source.
  proc.title = 'open-agent-spawner';
  const runs = new Map<number, Run>();
  let graceMs = 2000;
  let shuttingDown = false;

  const send = (message: SpawnerExitMessage): void => {
    if (!shuttingDown) proc.stdout.write(`${JSON.stringify(message)}\n`);
  };
  // The group when the platform has them; else (Windows) the process itself.
  const signalGroup = (pid: number, signal: NodeJS.Signals | 0): boolean => {
    try {
      proc.kill(proc.platform === 'win32' ? pid : -pid, signal);
      return true;
    } catch {
      return false;
    }
  };
  // TERM the whole group now; KILL whatever is left of it after the grace period.
  const stopGroup = (run: Run): void => {
    if (run.stopping || run.pid === undefined) return;
    run.stopping = true;
    const pid = run.pid;
    if (!signalGroup(pid, 'SIGTERM')) return;
    setTimeout(() => {
      if (signalGroup(pid, 0)) signalGroup(pid, 'SIGKILL');
    }, graceMs);
  };

  const start = (request: SpawnerRunRequest): void => {
    graceMs = request.graceMs;
    const run: Run = { pid: undefined, chunks: [], size: 0, truncated: false, stopping: false };
    const finish = (code: number | null, signal: string | null): void => {
      runs.delete(request.id);
      send({
        t: 'exit',
        id: request.id,
        ...(run.pid !== undefined && { pid: run.pid }),
        code,
        signal,
        output: Buffer.concat(run.chunks).toString('base64'),
        truncated: run.truncated,
        ...(run.error && { error: run.error }),
      });
    };
    let child: ChildProcessModule.ChildProcess;
    try {
      child = cp.spawn(request.command, request.args, {
        cwd: request.cwd,
        env: request.env,
        shell: false,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      run.error = { message: error instanceof Error ? error.message : String(error) };
      finish(null, null);
      return;
    }
    run.pid = child.pid;
    runs.set(request.id, run);
    const collect = (data: Buffer): void => {
      if (run.size >= request.limit) {
        run.truncated = true;
        return;
      }
      const piece = data.subarray(0, request.limit - run.size);
      if (piece.length < data.length) run.truncated = true;
      run.chunks.push(piece);
      run.size += piece.length;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error: NodeJS.ErrnoException) => {
      run.error = { ...(error.code !== undefined && { code: error.code }), message: error.message };
    });
    // The leader is gone: whatever it left running in its group (a background job) is stopped too.
    child.once('exit', () => stopGroup(run));
    child.once('close', (code: number | null, signal: string | null) => finish(code, signal));
  };

  const shutdown = (): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const run of runs.values()) stopGroup(run);
    if (runs.size === 0) proc.exit(0);
    setTimeout(() => proc.exit(0), graceMs + 100);
  };

  let buffer = '';
  proc.stdin.setEncoding('utf8');
  proc.stdin.on('data', (text: string) => {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      let request: SpawnerRunRequest | SpawnerStopRequest;
      try {
        request = JSON.parse(line);
      } catch {
        continue;
      }
      if (request.t === 'run') start(request);
      else if (request.t === 'stop') {
        const run = runs.get(request.id);
        if (run) stopGroup(run);
      }
    }
  });
  proc.stdin.on('end', shutdown);
  proc.stdin.on('error', shutdown);
  proc.stdout.on('error', shutdown);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) proc.on(signal, shutdown);
}

/** The source passed to `node -e`: the program, called with its modules. */
export const SPAWNER_SOURCE = `(${spawnerProgram.toString()})(require('node:child_process'), process);`;
