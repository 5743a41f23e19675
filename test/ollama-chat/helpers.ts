import type { Model } from '../../src/index.js';

/** One NDJSON line of `/api/chat` as Ollama writes it (`message`, `done`, and the rest). */
export function line(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ model: 'qwen3:8b', created_at: '2026-01-01T00:00:00Z', done: false, ...fields })}\n`;
}

/** The final line: `done: true`, a `done_reason` and the counts. */
export function doneLine(reason = 'stop', prompt = 12, evals = 5): string {
  return line({
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: reason,
    prompt_eval_count: prompt,
    eval_count: evals,
  });
}

/** A whole NDJSON body of text deltas. */
export function textBody(pieces: string[], reason = 'stop'): string {
  return (
    pieces.map((content) => line({ message: { role: 'assistant', content } })).join('') + doneLine(reason)
  );
}

/** A scripted NDJSON response. */
export const ndjson = (body: string) => ({ body, contentType: 'application/x-ndjson' });

/** An `ollama-chat` model record at a loopback server root. */
export function ollamaModel(url: string, overrides: Partial<Model> = {}): Model {
  return { id: 'qwen3:8b', api: 'ollama-chat', provider: 'custom', baseUrl: url, ...overrides };
}
