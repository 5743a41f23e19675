/** A progress indicator on stderr. */
export interface Progress {
  /** Replaces the text after the spinner. */
  update(text: string): void;
  /** Clears the line and stops. Idempotent. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A spinner with a label on stderr when stderr is a terminal; nothing at all otherwise (logs and pipes stay
 * clean). Under `NO_COLOR` the spinner uses plain ASCII frames.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const frames = plain ? ['-', '\\', '|', '/'] : FRAMES;
  let text = label;
  let frame = 0;
  let stopped = false;
  const draw = (): void => {
    stream.write(`\r\x1b[2K${frames[frame % frames.length]} ${text}`);
    frame++;
  };
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(next) {
      text = next;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

/** What a retry line needs (the agent's `retry` event carries these). */
export interface RetryNotice {
  /** Number of the attempt about to be made (2 for the first retry). */
  attempt: number;
  /** Wait before the retry, in milliseconds. */
  delayMs: number;
  /** Why: `HTTP 503`, `connection ECONNREFUSED`, `connect timeout`, … */
  reason: string;
}

/** What a queued line needs (the agent's `queued` event carries these). */
export interface QueuedNotice {
  /** Place in the origin's line: 1 = next. */
  position: number;
  /** The origin's `maxConcurrentRequests`. */
  limit: number;
  /** The server origin. */
  origin: string;
}

/** The "waiting for the first token" indicator of one model answer. */
export interface WaitingIndicator {
  /** Prints one stderr line for a retry (attempt, status, wait); the spinner goes on. */
  retry(notice: RetryNotice): void;
  /** Prints one stderr line for a request waiting for a slot of its server; the spinner goes on. */
  queued?(notice: QueuedNotice): void;
  /** Clears the spinner (the first token arrived, or the answer ended). Idempotent. */
  stop(): void;
}

/** The spinner's text: what the CLI is waiting for, and the elapsed whole seconds. */
export const WAITING_LABEL = 'waiting for the first token — a local server may be loading the model';

/** One retry as a stderr line, e.g. `HTTP 503; attempt 2 in 1.5s`. */
export function retryLine(notice: RetryNotice): string {
  return `${notice.reason}; attempt ${notice.attempt} in ${(notice.delayMs / 1000).toFixed(1)}s`;
}

/** One queued request as a stderr line, e.g. `queued for http://127.0.0.1:8080 (limit 2); position 3`. */
export function queuedLine(notice: QueuedNotice): string {
  return `queued for ${notice.origin} (limit ${notice.limit}); position ${notice.position}`;
}

/**
 * On a terminal stderr: a spinner with {@link WAITING_LABEL} and the elapsed seconds until {@link
 * WaitingIndicator.stop}, with retry lines printed above it. Off a terminal: nothing at all (stderr stays
 * clean for logs; `stream-json` carries retries as records).
 */
export function createWaitingIndicator(stream: NodeJS.WriteStream = process.stderr): WaitingIndicator {
  if (!stream.isTTY) return { retry() {}, queued() {}, stop() {} };
  const started = Date.now();
  const label = (): string => `${WAITING_LABEL} (${Math.floor((Date.now() - started) / 1000)}s)`;
  const progress = createProgress(label(), stream);
  const timer = setInterval(() => progress.update(label()), 250);
  timer.unref();
  let stopped = false;
  const line = (text: string): void => {
    stream.write(stopped ? `${text}\n` : `\r\x1b[2K${text}\n`);
  };
  return {
    retry: (notice) => line(retryLine(notice)),
    queued: (notice) => line(queuedLine(notice)),
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      progress.stop();
    },
  };
}
