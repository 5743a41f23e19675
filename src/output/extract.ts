/** What {@link extractJson} found: a JSON value (and where it came from), or why there is none. */
export type Extraction =
  | { ok: true; value: unknown; from: 'whole' | 'fence' | 'balanced' }
  | { ok: false; message: string };

const FENCE = /```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)```/g;

/**
 * Finds the JSON value in a model's answer: the whole text when it parses; else the first code fence
 * (```` ```json ````) whose content parses; else the first balanced `{…}` or `[…]` (string-aware) that
 * parses. Linear in the text length per candidate start; at most 64 candidate starts are tried.
 */
export function extractJson(text: string): Extraction {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: '- The answer was empty; expected one JSON value.' };
  const whole = tryParse(trimmed);
  if (whole.ok) return { ok: true, value: whole.value, from: 'whole' };
  for (const match of trimmed.matchAll(FENCE)) {
    const inner = tryParse((match[1] ?? '').trim());
    if (inner.ok) return { ok: true, value: inner.value, from: 'fence' };
  }
  let tried = 0;
  for (let i = 0; i < trimmed.length && tried < 64; i++) {
    const c = trimmed[i];
    if (c !== '{' && c !== '[') continue;
    tried++;
    const end = balancedEnd(trimmed, i);
    if (end < 0) continue;
    const candidate = tryParse(trimmed.slice(i, end + 1));
    if (candidate.ok) return { ok: true, value: candidate.value, from: 'balanced' };
  }
  return {
    ok: false,
    message: `- The answer is not JSON (${whole.reason}); answer with one JSON value and nothing else.`,
  };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
