/** Characters per token assumed when fitting a diff to a context window (code tokenizes densely). */
const CHARS_PER_TOKEN = 3;
/** Tokens kept free for the system prompt, status, log, tool results and the answer. */
const RESERVED_TOKENS = 3000;
/** Context window assumed when neither the server nor the config says. */
export const DEFAULT_CONTEXT_TOKENS = 8192;

/** One file's part of a unified diff. */
interface FileDiff {
  path: string;
  text: string;
  added: number;
  removed: number;
}

/** Splits `git diff` output into per-file parts (at each `diff --git` line). */
export function splitDiff(diff: string): FileDiff[] {
  const parts = diff.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
  return parts.map((text) => {
    const path = /^diff --git a\/(.*?) b\//.exec(text)?.[1] ?? '(unknown)';
    let added = 0;
    let removed = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('+') && !line.startsWith('+++')) added++;
      else if (line.startsWith('-') && !line.startsWith('---')) removed++;
    }
    return { path, text, added, removed };
  });
}

/** The diff budget in characters for a context window in tokens. */
export function diffBudgetChars(contextTokens: number): number {
  return Math.max(2000, (contextTokens - RESERVED_TOKENS) * CHARS_PER_TOKEN);
}

/**
 * Fits a diff into `budget` characters. A diff that fits is returned as is. Otherwise every file keeps
 * its header and counts, and the budget is shared among files (small files first, so most files stay
 * whole); a file cut short says so and suggests `read_file`.
 */
export function fitDiff(diff: string, budget: number): { text: string; summarized: boolean } {
  if (diff.length <= budget) return { text: diff, summarized: false };
  const files = splitDiff(diff);
  const order = [...files].sort((a, b) => a.text.length - b.text.length);
  const shown = new Map<FileDiff, string>();
  let remaining = budget - files.length * 120;
  for (const [i, file] of order.entries()) {
    const share = Math.floor(remaining / (order.length - i));
    if (file.text.length <= share) {
      shown.set(file, file.text);
      remaining -= file.text.length;
      continue;
    }
    const cut = file.text.slice(0, Math.max(0, share));
    const lastNewline = cut.lastIndexOf('\n');
    const kept = lastNewline > 0 ? cut.slice(0, lastNewline + 1) : '';
    shown.set(
      file,
      `${kept}[diff of ${file.path} cut: +${file.added} -${file.removed} lines in all; use read_file on ${file.path} to see more]\n`,
    );
    remaining -= kept.length;
  }
  const summary = files.map((f) => `  ${f.path}: +${f.added} -${f.removed}`).join('\n');
  const body = files.map((f) => shown.get(f) ?? '').join('');
  return { text: `The diff is large; summary per file:\n${summary}\n\n${body}`, summarized: true };
}
