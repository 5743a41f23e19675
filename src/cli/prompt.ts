import { fstatSync } from 'node:fs';
import type { OutputSink } from './output.js';
import type { PromptSource, StdinKind } from './run-options.js';
import { UsageError } from './usage-error.js';

/** Most bytes of piped stdin sent along with a prompt argument (256 KiB); the rest is dropped with a note. */
export const PIPED_INPUT_MAX_BYTES = 256 * 1024;

/** What stdin (fd 0) is: a terminal, and whether it is a pipe or a regular file. */
export function stdinKind(isTty: boolean): StdinKind {
  if (isTty) return { isTty, piped: false };
  try {
    const stat = fstatSync(0);
    return { isTty, piped: stat.isFIFO() || stat.isFile() };
  } catch {
    return { isTty, piped: false };
  }
}

/** Reads stdin as UTF-8: the first `max` bytes (cut at a character boundary) and the total byte count. */
async function readStdin(max = Number.POSITIVE_INFINITY): Promise<{ text: string; bytes: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    bytes += buffer.length;
    if (kept < max) {
      const part = buffer.subarray(0, Math.max(0, Math.min(buffer.length, max - kept)));
      chunks.push(part);
      kept += part.length;
    }
  }
  // A character cut in half at the cap decodes to U+FFFD: drop it.
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return { text, bytes };
}

/**
 * The prompt text: the argument as given; stdin without its trailing newlines; or, for an argument with
 * piped stdin, the piped text, a blank line and the argument (as `llm` does). Piped text beyond
 * {@link PIPED_INPUT_MAX_BYTES} is dropped, with a note on `stderr`.
 *
 * @throws {UsageError} when the prompt is empty or only whitespace.
 */
export async function readPrompt(
  source: PromptSource,
  stderr: OutputSink = { write: () => undefined },
): Promise<string> {
  let text: string;
  if (source.kind === 'argument') text = source.text;
  else if (source.kind === 'stdin') text = (await readStdin()).text.replace(/(\r?\n)+$/, '');
  else {
    const piped = await readStdin(PIPED_INPUT_MAX_BYTES);
    if (piped.bytes > PIPED_INPUT_MAX_BYTES)
      stderr.write(
        `note: stdin has ${piped.bytes} bytes; only the first ${PIPED_INPUT_MAX_BYTES} were sent with the prompt\n`,
      );
    const body = piped.text.replace(/(\r?\n)+$/, '');
    text = body.trim() === '' ? source.text : `${body}\n\n${source.text}`;
  }
  if (text.trim().length === 0) {
    const where = source.kind === 'stdin' ? 'stdin' : 'the prompt argument';
    throw new UsageError(`the prompt is empty (read from ${where}); pass the prompt as the first argument`);
  }
  return text;
}
