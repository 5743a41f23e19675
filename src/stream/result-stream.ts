import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * What feeds a {@link ResultStream}: an async generator, or a hand-written iterator with a `return` that
 * releases what it holds. It yields events one by one or in batches (arrays).
 */
export type ResultSource<E> = AsyncIterator<E | readonly E[], void, undefined> & {
  return(value?: undefined): Promise<IteratorResult<E | readonly E[], void>>;
};

/**
 * A pull-based event stream that also resolves to a result: the shape of `stream()` (events of one model
 * call, resolving to the message) and of `agentLoop()` (events of a run, resolving to the run's result).
 *
 * - Lazy: nothing runs (no request is sent) until the consumer iterates or calls `result()`.
 * - Backpressure: the source runs only as fast as the consumer iterates.
 * - Breaking out of `for await` (or calling `return()`) stops the source; its `finally` releases resources.
 * - Never throws while iterating: the source reports failures as events.
 * - Iterate at most once. `result()` may be called before, during or after iterating; when nobody iterates,
 *   it drains the events itself (one microtask later, so `const p = s.result(); for await (...)` works).
 */
export class ResultStream<E extends { type: string }, R> implements AsyncIterable<E> {
  readonly #source: ResultSource<E>;
  readonly #isTerminal: ((event: E) => boolean) | undefined;
  readonly #final: (() => R) | undefined;
  readonly #see: ((event: E) => unknown) | undefined;
  #taken = false;
  #settled = false;
  /** The batch being handed out one event at a time, and the next position in it. */
  #batch: readonly E[] = [];
  #pos = 0;
  #resolve!: (value: R) => void;
  readonly #result: Promise<R>;

  /**
   * @param source A generator that never throws; its `finally` must release what it holds. It yields events
   *   one by one or in batches (arrays, handed out one event per `next()` without going back to the
   *   generator: the hot path of a stream yields every event a body chunk produced as one batch).
   * @param isTerminal Whether an event is the last one (the result is settled when it passes); or
   *   override {@link ResultStream.isTerminal}.
   * @param final Reads the result once the source ended, was stopped, or emitted its terminal event; or
   *   override {@link ResultStream.final}.
   * @param see Called with every event as the source hands it over (a whole batch at once), before the
   *   consumer gets it and before {@link ResultStream.isTerminal}: the agent loop stamps its events here.
   */
  constructor(
    source: ResultSource<E>,
    isTerminal?: (event: E) => boolean,
    final?: () => R,
    see?: (event: E) => unknown,
  ) {
    this.#source = source;
    this.#isTerminal = isTerminal;
    this.#final = final;
    this.#see = see;
    this.#result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Whether `event` is the last one (the result is settled when it passes). */
  protected isTerminal(event: E): boolean {
    return this.#isTerminal?.(event) ?? false;
  }

  /** The result, read once the source ended, was stopped, or emitted its terminal event. */
  protected final(): R {
    return (this.#final as () => R)();
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(this.final());
  }

  /**
   * Returns the event iterator.
   * @throws {InvalidArgumentError} when called a second time (a stream can be consumed once).
   */
  [Symbol.asyncIterator](): AsyncIterator<E, void, undefined> {
    this.#take();
    const source = this.#source;
    return {
      next: () => {
        if (this.#pos < this.#batch.length) {
          return Promise.resolve(this.#hand(this.#batch[this.#pos++] as E));
        }
        return this.#pull();
      },
      return: async () => {
        this.#batch = [];
        await source.return(undefined);
        this.#settle();
        return { done: true, value: undefined };
      },
    };
  }

  #take(): void {
    if (this.#taken) {
      throw new InvalidArgumentError('This stream is already being consumed; iterate it only once.', {
        argument: 'stream',
      });
    }
    this.#taken = true;
  }

  /**
   * Iterates the events in batches instead of one by one: each array holds the events the source produced
   * together (for a model call, the events one chunk of the response body decoded), in order, never
   * empty. For consumers that handle many events (agent loops, proxies): one `await` per batch instead of
   * one per event. The same rules as iterating the stream apply: lazy, backpressure, consumed once,
   * breaking out stops the source.
   *
   * @throws {InvalidArgumentError} when the stream is already being consumed.
   */
  batches(): AsyncGenerator<readonly E[], void, undefined> {
    this.#take();
    return this.#batches();
  }

  async *#batches(): AsyncGenerator<readonly E[], void, undefined> {
    const source = this.#source;
    let ended = false;
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) {
          ended = true;
          return;
        }
        const value = step.value;
        const batch: readonly E[] = Array.isArray(value) ? value : [value as E];
        if (batch.length === 0) continue;
        const see = this.#see;
        for (const event of batch) {
          if (see) see(event);
          if (this.isTerminal(event)) this.#settle();
        }
        yield batch;
      }
    } finally {
      if (!ended) await source.return(undefined);
      this.#settle();
    }
  }

  #hand(event: E): IteratorResult<E, void> {
    if (this.isTerminal(event)) this.#settle();
    return { done: false, value: event };
  }

  async #pull(): Promise<IteratorResult<E, void>> {
    for (;;) {
      const step = await this.#source.next();
      if (step.done) {
        this.#settle();
        return step;
      }
      const value = step.value;
      const see = this.#see;
      if (!Array.isArray(value)) {
        if (see) see(value as E);
        return this.#hand(value as E);
      }
      if (value.length === 0) continue;
      if (see) for (const event of value) see(event as E);
      this.#batch = value;
      this.#pos = 1;
      return this.#hand(value[0] as E);
    }
  }

  /** Resolves to the result (also after an error or abort). Never rejects. */
  result(): Promise<R> {
    if (!this.#taken) {
      queueMicrotask(() => {
        if (!this.#taken) void this.#drain();
      });
    }
    return this.#result;
  }

  async #drain(): Promise<void> {
    for await (const _event of this) {
      // the caller only wants the result
    }
  }
}
