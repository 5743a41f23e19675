/**
 * Starts a real `redis-server` (the Debian package, from PATH) on a random loopback port in a temp dir, with
 * persistence off, for tests. Missing `redis-server` is a test FAILURE with the install command, never a skip.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../helpers/ports.js';

/** A running test Redis. */
export interface RedisTestServer {
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** The server process (tests may kill it to simulate an outage). */
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its temp dir. Idempotent. */
  stop: () => Promise<void>;
}

const MISSING =
  'redis-server is not on PATH. The Redis session store tests need it: run `apt-get install -y redis-server` ' +
  '(.ci/run installs it before `npm ci`).';

function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => done(new Error(`redis-server did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) done();
    };
    const onError = (error: NodeJS.ErrnoException) =>
      done(error.code === 'ENOENT' ? new Error(MISSING) : error);
    const onExit = (code: number | null) => done(new Error(`redis-server exited (${code}):\n${output}`));
    child.stdout?.on('data', onData);
    child.on('error', onError);
    child.on('exit', onExit);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no` in a fresh temp dir, with
 * `options.args` appended (e.g. `['--requirepass', 'x']`), on `options.port` when given (to restart a server).
 * @throws Error naming `apt-get install -y redis-server` when it is not installed.
 */
export async function startRedisServer(
  options: { args?: string[]; port?: number } = {},
): Promise<RedisTestServer> {
  const extraArgs = options.args ?? [];
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'oas-redis-'));
    const port = options.port ?? (await closedPort());
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', [...args, '--dir', dir, '--loglevel', 'notice', ...extraArgs], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await waitReady(child, 10_000);
    } catch (error) {
      lastError = error;
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
      if (error instanceof Error && error.message === MISSING) throw error;
      continue; // the port was taken in between: try another
    }
    child.stdout?.resume();
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= stopProcess(child).then(() => rm(dir, { recursive: true, force: true }));
      return stopped;
    };
    return { port, url: `redis://127.0.0.1:${port}`, process: child, stop };
  }
  throw lastError;
}
