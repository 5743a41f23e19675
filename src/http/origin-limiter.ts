/**
 * A process-wide limit on concurrent requests per server origin (`scheme://host:port`), for local model
 * servers that serve a fixed number of requests at a time (llama.cpp `--parallel`, Ollama
 * `OLLAMA_NUM_PARALLEL`): requests over the limit wait here, first come first served, instead of piling
 * up in the server's own queue where their time limits run.
 *
 * Same semantics as the Redis lease semaphore of `queue/origin-limiter.ts` (which holds across workers):
 * one slot per HTTP attempt, taken before the request is sent and held until its response body was read
 * to the end, failed or was cancelled; a retry gives its slot back during the backoff and queues again.
 *
 * @module
 */

import { AbortError } from '../errors/abort-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { readEnv } from './env.js';
import type { AbortLike } from './transport.js';

/** The environment variable read when no `maxConcurrentRequests` option is given. */
export const MAX_CONCURRENT_ENV = 'OPEN_AGENT_MAX_CONCURRENT_REQUESTS';

/** What a request that has to wait is told (the payload of the `queued` event). */
export interface QueuedInfo {
  /** Its place in the origin's line: 1 = next to be sent. */
  position: number;
  /** The origin's limit. */
  limit: number;
  /** The origin, `scheme://host:port` (no path, no credentials). */
  origin: string;
}

/** One request's claim on a slot of its origin: granted at once, or waiting in line. */
export interface OriginTicket {
  /** True when the slot was free and is already held. */
  readonly granted: boolean;
  /** Where it waits: 1 = next; 0 when granted at once. */
  readonly position: number;
  /**
   * Resolves once the slot is held. Rejects with an `AbortError` (or the signal's `TimeoutError`) when the
   * signal aborts while waiting, or when the ticket is released before its turn; the ticket then leaves
   * the line and frees nothing it did not take.
   */
  readonly ready: Promise<void>;
  /**
   * Frees the slot, or leaves the line (then `ready` rejects with `reason`, else an `AbortError`).
   * Idempotent: a slot is freed exactly once.
   */
  release(reason?: Error): void;
}

interface Waiter {
  grant(): void;
  done: boolean;
}

interface OriginState {
  active: number;
  limit: number;
  readonly line: Waiter[];
}

const origins = new Map<string, OriginState>();
const RESOLVED: Promise<void> = Promise.resolve();

function reasonOf(signal: AbortLike | undefined): Error {
  const reason: unknown = signal?.reason;
  return TimeoutError.isInstance(reason) ? reason : new AbortError('The request was aborted while queued.');
}

/** Hands free slots to the head of the line; forgets an origin nobody holds or waits for. */
function pump(origin: string, state: OriginState): void {
  while (state.active < state.limit && state.line.length > 0) {
    const next = state.line.shift() as Waiter;
    state.active++;
    next.grant();
  }
  if (state.active === 0 && state.line.length === 0) origins.delete(origin);
}

/**
 * Takes a slot of `origin` under `limit`, or a place in its line (FIFO). The latest caller's `limit`
 * applies to the origin (callers of one origin normally agree).
 *
 * @param origin - `scheme://host:port`, see {@link originKey}.
 * @param limit - Most concurrent requests, an integer ≥ 1.
 * @param signal - Aborts the wait (an attempt's signal, or the caller's).
 */
export function takeSlot(origin: string, limit: number, signal?: AbortLike): OriginTicket {
  let state = origins.get(origin);
  if (state === undefined) {
    state = { active: 0, limit, line: [] };
    origins.set(origin, state);
  }
  if (state.limit !== limit) {
    state.limit = limit;
    // A raised limit admits the head of the line first (the line is never empty with active 0).
    if (state.line.length > 0) pump(origin, state);
  }
  const s = state;
  let held = false;
  let freed = false;
  const free = (): void => {
    if (freed) return;
    freed = true;
    if (held) {
      held = false;
      s.active--;
    }
    pump(origin, s);
  };
  if (s.line.length === 0 && s.active < s.limit) {
    s.active++;
    held = true;
    return { granted: true, position: 0, ready: RESOLVED, release: free };
  }
  if (signal?.aborted) {
    freed = true;
    const ready = Promise.reject(reasonOf(signal));
    ready.catch(() => {});
    return { granted: false, position: s.line.length + 1, ready, release: () => {} };
  }
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const ready = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  ready.catch(() => {});
  const waiter: Waiter = {
    done: false,
    grant() {
      waiter.done = true;
      signal?.removeEventListener('abort', onAbort);
      held = true;
      settle.resolve();
    },
  };
  const leave = (error: Error): void => {
    if (waiter.done) return;
    waiter.done = true;
    signal?.removeEventListener('abort', onAbort);
    const index = s.line.indexOf(waiter);
    if (index >= 0) s.line.splice(index, 1);
    settle.reject(error);
  };
  function onAbort(): void {
    leave(reasonOf(signal));
    free();
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  s.line.push(waiter);
  return {
    granted: false,
    position: s.line.length,
    ready,
    release(reason?: Error) {
      leave(reason ?? new AbortError('The request was released while queued.'));
      free();
    },
  };
}

/** Requests holding a slot of `origin` and requests waiting for one (for tests and diagnostics). */
export function originSlots(origin: string): { active: number; waiting: number } {
  const state = origins.get(origin);
  return { active: state?.active ?? 0, waiting: state?.line.length ?? 0 };
}

/** The limiter's key of a URL: its origin, `scheme://host:port` (the port always written). */
export function originKey(url: string): string {
  const parsed = new URL(url);
  const port =
    parsed.port || (parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '');
  return `${parsed.protocol}//${parsed.hostname}${port ? `:${port}` : ''}`;
}

/**
 * The limit of a call: the `maxConcurrentRequests` option, else `OPEN_AGENT_MAX_CONCURRENT_REQUESTS`, else
 * the model's (what a probe reported, e.g. llama.cpp's `total_slots`). `Infinity` (env: `none`, `0`)
 * means no limit and overrides the later sources.
 *
 * @returns The limit, or undefined for no limit.
 * @throws {InvalidArgumentError} for an option that is neither an integer ≥ 1 nor `Infinity`.
 */
export function resolveMaxConcurrent(
  option: number | undefined,
  modelDefault: number | undefined,
): number | undefined {
  if (option !== undefined) {
    if (option === Number.POSITIVE_INFINITY) return undefined;
    if (!Number.isSafeInteger(option) || option < 1) {
      throw new InvalidArgumentError(
        `maxConcurrentRequests must be an integer of 1 or more, or Infinity for no limit; got ${String(option)}.`,
        { argument: 'maxConcurrentRequests' },
      );
    }
    return option;
  }
  const raw = readEnv(MAX_CONCURRENT_ENV);
  if (raw !== undefined) {
    if (/^(none|infinity|0)$/i.test(raw)) return undefined;
    const value = Number(raw);
    if (Number.isSafeInteger(value) && value >= 1) return value;
  }
  return modelDefault !== undefined && Number.isSafeInteger(modelDefault) && modelDefault >= 1
    ? modelDefault
    : undefined;
}
