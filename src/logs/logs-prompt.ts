import type { LogFacts } from './analyze-logs.js';

/** Signatures shown to the model. */
const PROMPT_SIGNATURES = 15;

/** The log analyst's system prompt. */
export const LOGS_SYSTEM_PROMPT = `You are a site reliability engineer analyzing application logs.
You get facts computed exactly by a program (counts, error signatures, peak error windows) and sample lines.
Do not recount or contradict the numbers. From the facts and samples:
1. Name the most likely root causes, most important first, citing signatures by their number (#1, #2, ...)
   and the peak windows they explain.
2. For each cause, give concrete fixes or the next diagnostic step.
3. Say what is unclear and which extra logs or metrics would settle it.
Be concise: short headings and bullet points, no preamble.`;

/** The user message: the facts as compact text. */
export function logsPrompt(facts: LogFacts): string {
  const levels = Object.entries(facts.totals.levels)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${level} ${n}`)
    .join(', ');
  const files = facts.files.map((f) => `- ${f.path}: ${f.format}, ${f.lines} lines`).join('\n');
  const signatures = facts.signatures.slice(0, PROMPT_SIGNATURES).map((s, i) => {
    const when = s.first !== undefined ? ` (first ${s.first}, last ${s.last})` : '';
    const samples = s.samples
      .slice(0, 2)
      .map((line) => `    sample: ${line}`)
      .join('\n');
    return `#${i + 1} ${s.count}× [${s.level}] ${s.signature}${when}\n${samples}`;
  });
  const peaks = facts.peaks.map(
    (p) => `- ${p.start} to ${p.end}: ${p.errors} errors, mostly "${p.topSignature}"`,
  );
  return [
    `Files:\n${files}`,
    `Lines: ${facts.totals.lines}. Levels: ${levels}.`,
    facts.span ? `Time span: ${facts.span.first} to ${facts.span.last}.` : 'The lines carry no timestamps.',
    `Error signatures (${facts.totals.errorSignatures} distinct; top ${signatures.length}):\n${signatures.join('\n') || '(no errors)'}`,
    `Peak error windows:\n${peaks.join('\n') || '(none: errors are spread evenly or absent)'}`,
  ].join('\n\n');
}
