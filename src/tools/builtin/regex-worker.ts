import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program, evaluated from a string (`eval: true`) so it needs no file next to the
 * compiled module and runs the same from `src/` under a test runner and from `dist/`. It compiles the
 * pattern once, then answers each batch of lines with the indexes of those that match.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const regex = new RegExp(workerData.pattern, workerData.flags);
parentPort.on('message', (lines) => {
  const hits = [];
  for (let i = 0; i < lines.length; i++) {
    regex.lastIndex = 0;
    if (regex.test(lines[i])) hits.push(i);
  }
  parentPort.postMessage(hits);
});
`;

/** Heap limit of the matching worker, in MiB: enough for a 2 MiB file's lines, small enough to fail fast. */
const WORKER_HEAP_MB = 64;

/**
 * Runs a regular expression over lines in a `worker_threads` Worker, so a catastrophic pattern (`(a+)+$`)
 * burns the worker's time, never the main thread's: the event loop keeps running, and the tool's timeout,
 * `abort()` and SIGINT act at once by terminating the worker. One matcher serves one tool call; `close()`
 * (or the signal) ends the worker, and nothing stays behind.
 *
 * The pattern must already be known to compile (see `compilePattern`): the worker compiles it again.
 */
export class RegexMatcher {
  readonly #worker: Worker;
  readonly #signal: AbortSignal;
  #pending: { resolve: (hits: number[]) => void; reject: (error: unknown) => void } | undefined;
  #failure: unknown;
  readonly #onAbort = (): void => this.#fail(this.#signal.reason);

  /**
   * Starts the worker. When `signal` aborts, the worker is terminated and a pending {@link match}
   * rejects with the signal's reason.
   */
  constructor(regex: RegExp, signal: AbortSignal) {
    this.#signal = signal;
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { pattern: regex.source, flags: regex.flags },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    this.#worker.on('message', (hits: number[]) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(hits);
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', () => this.#fail(new Error('The pattern matcher stopped unexpectedly.')));
    signal.addEventListener('abort', this.#onAbort, { once: true });
    if (signal.aborted) this.#onAbort();
  }

  /**
   * The indexes (ascending) of `lines` the pattern matches.
   *
   * @throws the signal's reason once aborted; an `Error` when the worker failed (e.g. out of memory).
   */
  match(lines: readonly string[]): Promise<number[]> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#pending !== undefined) return Promise.reject(new Error('RegexMatcher.match is not reentrant.'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(lines);
    });
  }

  /** Terminates the worker (idempotent) and waits until it has exited. */
  async close(): Promise<void> {
    this.#fail(new Error('The pattern matcher was closed.'));
    await this.#worker.terminate();
  }

  #fail(error: unknown): void {
    if (this.#failure === undefined) {
      this.#failure = error ?? new Error('The pattern matcher was stopped.');
      this.#signal.removeEventListener('abort', this.#onAbort);
      void this.#worker.terminate();
    }
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(this.#failure);
  }
}
