/**
 * Per-phase time limits of one model call, made for local servers: a model may take minutes to load and to
 * process a long prompt before the first byte, then stream steadily. Web-standard (timers and
 * `AbortController` only); the connect limit is enforced by the Node dispatcher (`node-fetch.ts`).
 */

import { TimeoutError } from '../errors/timeout-error.js';
import { readEnvNumber } from './env.js';

/** Time limits of one model call (`StreamOptions.timeouts`), in ms. `Infinity` means no limit. */
export interface TimeoutOptions {
  /**
   * Establishing the TCP/TLS connection. Enforced by the Node dispatcher the SDK uses on Node (and by
   * `createNodeFetch` from `open-agent-sdk/node`); elsewhere the runtime's own connect timeout applies and
   * `firstByteMs` bounds it. Env: `OPEN_AGENT_CONNECT_TIMEOUT_MS`.
   * @default 10000 (10 s)
   */
  connectMs?: number;
  /**
   * From sending the request to the first byte of the response body (headers alone do not count): model
   * loading and prompt processing (prefill). Generous because a local model can take minutes. On Node the
   * SDK lifts undici's 300 s header limit so this one governs. Env: `OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS`.
   * @default 600000 (10 min)
   */
  firstByteMs?: number;
  /** Longest silence between two body chunks. Env: `OPEN_AGENT_IDLE_TIMEOUT_MS`. @default 120000 (2 min) */
  idleMs?: number;
  /**
   * The whole call: every attempt, the waits between retries, and reading the body.
   * Env: `OPEN_AGENT_TOTAL_TIMEOUT_MS`.
   * @default 1800000 (30 min)
   */
  totalMs?: number;
}

/** Time limits with every default applied. */
export type ResolvedTimeouts = Required<TimeoutOptions>;

/** The defaults, in ms. */
export const DEFAULT_TIMEOUTS: Readonly<ResolvedTimeouts> = Object.freeze({
  connectMs: 10_000,
  firstByteMs: 600_000,
  idleMs: 120_000,
  totalMs: 1_800_000,
});

const ENV: Record<keyof ResolvedTimeouts, string> = {
  connectMs: 'OPEN_AGENT_CONNECT_TIMEOUT_MS',
  firstByteMs: 'OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS',
  idleMs: 'OPEN_AGENT_IDLE_TIMEOUT_MS',
  totalMs: 'OPEN_AGENT_TOTAL_TIMEOUT_MS',
};

/**
 * Applies defaults: the call's option, else the `OPEN_AGENT_*` variable, else {@link DEFAULT_TIMEOUTS}.
 * Values that are not positive numbers (or `Infinity`) are ignored.
 */
export function resolveTimeouts(options: TimeoutOptions | undefined): Readonly<ResolvedTimeouts> {
  let out: ResolvedTimeouts | undefined;
  for (const key of Object.keys(ENV) as (keyof ResolvedTimeouts)[]) {
    const given = options?.[key];
    const fromEnv = readEnvNumber(ENV[key]);
    const value =
      typeof given === 'number' && given > 0
        ? given
        : fromEnv !== undefined && fromEnv > 0
          ? fromEnv
          : DEFAULT_TIMEOUTS[key];
    if (value === DEFAULT_TIMEOUTS[key]) continue;
    out ??= { ...DEFAULT_TIMEOUTS };
    out[key] = value;
  }
  // The shared (frozen) defaults when nothing differs: one object less per open stream.
  return out ?? DEFAULT_TIMEOUTS;
}

const ADVICE: Record<TimeoutError['phase'], (ms: number) => string> = {
  connect: (ms) =>
    `could not connect within ${ms} ms (timeouts.connectMs). Is the server running and reachable from here?`,
  firstByte: (ms) =>
    `no response within ${ms} ms of sending the request (timeouts.firstByteMs). A local server may still be ` +
    'loading the model or processing a long prompt: raise timeouts.firstByteMs (env OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS).',
  idle: (ms) =>
    `the stream sent nothing for ${ms} ms (timeouts.idleMs); the server may have stalled or crashed. ` +
    'Raise timeouts.idleMs (env OPEN_AGENT_IDLE_TIMEOUT_MS) if it pauses this long on purpose.',
  total: (ms) =>
    `the call took longer than ${ms} ms in all, retries included (timeouts.totalMs). ` +
    'Raise timeouts.totalMs (env OPEN_AGENT_TOTAL_TIMEOUT_MS) or ask for a shorter answer.',
};

/** The {@link TimeoutError} for a phase, with what to try. */
export function timeoutError(phase: TimeoutError['phase'], ms: number, url: string): TimeoutError {
  return new TimeoutError(`Timed out on ${url}: ${ADVICE[phase](ms)}`, { phase, timeoutMs: ms, url });
}
