import { AssistantStream } from '../../stream/assistant-stream.js';
import type { Context } from '../../types/context.js';
import type { StreamOptions } from '../../types/options.js';
import { inlineImageUrls, needsInlining } from './inline-images.js';

/** What a provider's `prepare()` reads once asynchronous preparation has run. */
export interface Preparation {
  /** The context to send (image URLs inlined when `inlineImageUrls` asked for it). */
  context(): Context;
  /** Throws the preparation's failure, if any (so it ends the stream as an `error` event). */
  check(): void;
}

/** The preparation of a request that needs none: the context as given (an object, no closures per call). */
class Ready implements Preparation {
  readonly #context: Context;

  constructor(context: Context) {
    this.#context = context;
  }

  context(): Context {
    return this.#context;
  }

  check(): void {}
}

/**
 * Runs the asynchronous steps a request may need before it is built (today: downloading image URLs for
 * `inlineImageUrls`), then the provider's stream. The provider builds its stream synchronously with a
 * {@link Preparation}; when nothing asynchronous is needed that stream is returned as is. A failure in
 * preparation ends the stream in `start` + `error` through the provider's own `prepare()`, so there is no
 * second error path.
 */
export function withPreparation(
  context: Context,
  options: StreamOptions,
  start: (preparation: Preparation) => AssistantStream,
): AssistantStream {
  if (!needsInlining(context, options)) return start(new Ready(context));
  let resolved = context;
  let failure: { error: unknown } | undefined;
  const inner = start({
    context: () => resolved,
    check: () => {
      if (failure) throw failure.error;
    },
  });
  async function* source() {
    try {
      resolved = await inlineImageUrls(context, options);
    } catch (error) {
      failure = { error };
    }
    const iterator = inner[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return new AssistantStream(inner.partial, source());
}
