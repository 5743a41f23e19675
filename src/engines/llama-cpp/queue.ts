/**
 * A one-consumer async queue bridging node-llama-cpp's callbacks to an async iterator: producers `push`,
 * then `close()` or `fail(error)`; the consumer awaits `next()`.
 */
export class EventQueue<T> {
  #items: T[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;
  #error: { error: unknown } | undefined;

  /** Adds an item (ignored once closed). */
  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake();
  }

  /** No more items; the consumer ends after the queued ones. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  /** Ends with an error, thrown to the consumer after the queued items. */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#error = { error };
    this.close();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  /** Everything queued so far, or waits for more. Returns `undefined` at the end; throws the failure. */
  async next(): Promise<T[] | undefined> {
    while (this.#items.length === 0) {
      if (this.#closed) {
        if (this.#error) throw this.#error.error;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
