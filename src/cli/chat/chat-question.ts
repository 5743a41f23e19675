/**
 * A question the chat asks on its own line input (an approval): the next line the user enters answers
 * it, instead of being queued as a prompt.
 *
 * @module
 */

/** Questions asked through the chat's line input (see {@link runChat}'s `questions`). */
export class ChatQuestions {
  #pending: ((answer: string) => void) | undefined;
  readonly #write: (text: string) => void;

  /** @param write - where the question is printed (the chat's stdout). */
  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** True while a question waits for its answer. */
  get pending(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Prints `question` and resolves with the next line entered (trimmed). One question at a time: a
   * second one waits for the first.
   */
  async ask(question: string): Promise<string> {
    while (this.#pending) await new Promise((resolve) => setTimeout(resolve, 10));
    this.#write(question);
    return new Promise((resolve) => {
      this.#pending = (answer) => {
        this.#pending = undefined;
        resolve(answer.trim());
      };
    });
  }

  /** Answers the pending question with `line`. Returns false when none is pending. */
  answer(line: string): boolean {
    const pending = this.#pending;
    if (!pending) return false;
    pending(line);
    return true;
  }

  /** Answers the pending question with an empty line (a refusal): Ctrl-C, or the input closed. */
  cancel(): void {
    this.#pending?.('');
  }
}
