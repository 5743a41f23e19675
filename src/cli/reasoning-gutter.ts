/** The gutter put before each reasoning line when reasoning cannot be dimmed (`NO_COLOR`, a pipe). */
export const REASONING_GUTTER = '| ';

/** Prefixes streamed reasoning with a gutter, line by line, across deltas. */
export interface ReasoningGutter {
  /** The delta with {@link REASONING_GUTTER} before the start of each of its lines. */
  format(delta: string): string;
  /** Forgets the position: the next delta starts a new gutter line. */
  reset(): void;
}

/**
 * A gutter for reasoning shown without color, so it stays apart from the answer: every line of the
 * reasoning starts with `| ` (as `NO_COLOR` asks for no color, not for less information; see
 * https://no-color.org). The gutter is written lazily, before a line's first character, so a delta ending
 * with a newline leaves no dangling gutter.
 */
export function reasoningGutter(gutter: string = REASONING_GUTTER): ReasoningGutter {
  let lineStart = true;
  return {
    format(delta) {
      let out = '';
      for (const piece of delta.split(/(\n)/)) {
        if (piece === '\n') {
          out += '\n';
          lineStart = true;
        } else if (piece !== '') {
          out += lineStart ? gutter + piece : piece;
          lineStart = false;
        }
      }
      return out;
    },
    reset() {
      lineStart = true;
    },
  };
}
