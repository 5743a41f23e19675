import type { TimeoutError } from '../errors/timeout-error.js';
import { type ResolvedTimeouts, timeoutError } from './timeouts.js';

/** Longest delay `setTimeout` takes (2^31 − 1 ms); a limit above it, or infinite, is not enforced. */
const MAX_TIMER_MS = 2_147_483_647;

/** What a {@link CallTimer} tells when a limit passes. */
export interface TimeoutTarget {
  onTimeout(error: TimeoutError): void;
}

type Phase = 'firstByte' | 'idle';

function finite(ms: number): boolean {
  return ms > 0 && ms <= MAX_TIMER_MS;
}

/**
 * The time limits of one model call on a single timer: the call's `total` deadline and the current
 * attempt's phase deadline (`firstByte` after sending, `idle` after each body chunk). The timer is set once,
 * at the shortest configured limit, and only moved when a deadline comes before it; when it fires before
 * every deadline (a slow but live stream) it re-arms for the nearest one. So a request costs one
 * `setTimeout` and one `clearTimeout` whatever the number of chunks, and moving the idle deadline on a chunk
 * is a clock read. `target.onTimeout` gets the {@link TimeoutError} of the limit that passed (`total` wins
 * when both did). Nothing is left behind after {@link CallTimer.clear}.
 */
export class CallTimer {
  readonly #target: TimeoutTarget;
  readonly #url: string;
  readonly #limits: Readonly<ResolvedTimeouts>;
  #total = Number.POSITIVE_INFINITY;
  #phase: Phase | undefined;
  #phaseAt = Number.POSITIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fireAt = Number.POSITIVE_INFINITY;

  constructor(target: TimeoutTarget, url: string, limits: Readonly<ResolvedTimeouts>) {
    this.#target = target;
    this.#url = url;
    this.#limits = limits;
  }

  /** Starts the call's total limit (from now). */
  start(): void {
    const now = performance.now();
    const { totalMs, firstByteMs, idleMs } = this.#limits;
    if (finite(totalMs)) this.#total = now + totalMs;
    // The first timer goes off at the shortest limit, so later deadlines rarely need to move it.
    const shortest = Math.min(
      finite(totalMs) ? totalMs : Infinity,
      finite(firstByteMs) ? firstByteMs : Infinity,
      finite(idleMs) ? idleMs : Infinity,
    );
    if (Number.isFinite(shortest)) this.#schedule(now + shortest, now);
  }

  /** The deadline of the call's total limit, in `performance.now()` ms (`Infinity` for none). */
  get totalDeadline(): number {
    return this.#total;
  }

  /** Starts (or restarts, from now) the limit of `phase`; `undefined` removes the phase limit. */
  phase(phase: Phase | undefined): void {
    const ms =
      phase === undefined
        ? Number.POSITIVE_INFINITY
        : this.#limits[phase === 'idle' ? 'idleMs' : 'firstByteMs'];
    if (!finite(ms)) {
      this.#phase = undefined;
      this.#phaseAt = Number.POSITIVE_INFINITY;
      return;
    }
    const now = performance.now();
    this.#phase = phase;
    this.#phaseAt = now + ms;
    if (this.#phaseAt < this.#fireAt) this.#schedule(this.#phaseAt, now);
  }

  /** Stops the timer. Idempotent. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fireAt = Number.POSITIVE_INFINITY;
    this.#phase = undefined;
    this.#phaseAt = Number.POSITIVE_INFINITY;
    this.#total = Number.POSITIVE_INFINITY;
  }

  #schedule(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#fireAt = at;
    this.#timer = setTimeout(CallTimer.#fire, Math.max(0, at - now), this);
  }

  static #fire(timer: CallTimer): void {
    timer.#timer = undefined;
    timer.#fireAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    if (now >= timer.#total) {
      timer.#total = Number.POSITIVE_INFINITY;
      timer.#target.onTimeout(timeoutError('total', timer.#limits.totalMs, timer.#url));
      return;
    }
    const phase = timer.#phase;
    if (phase !== undefined && now >= timer.#phaseAt) {
      timer.#phase = undefined;
      timer.#phaseAt = Number.POSITIVE_INFINITY;
      const ms = phase === 'idle' ? timer.#limits.idleMs : timer.#limits.firstByteMs;
      timer.#target.onTimeout(timeoutError(phase, ms, timer.#url));
      return;
    }
    const next = Math.min(timer.#total, timer.#phaseAt);
    if (Number.isFinite(next)) timer.#schedule(next, now);
  }
}
