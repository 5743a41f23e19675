import type { LogFacts } from '../../logs/analyze-logs.js';

/** The readable report: the computed facts, then the model's analysis. */
export function logsReport(facts: LogFacts, analysis: string | undefined): string {
  const out: string[] = [];
  out.push('Files');
  for (const f of facts.files)
    out.push(
      `  ${f.path}  ${f.format}${f.compression ? ` (${f.compression})` : ''}, ${f.lines.toLocaleString('en-US')} lines${f.unparsed > 0 ? ` (${f.unparsed} unparsed)` : ''}`,
    );
  out.push('', 'Levels');
  for (const [level, n] of Object.entries(facts.totals.levels))
    if (n > 0) out.push(`  ${level.padEnd(8)}${n.toLocaleString('en-US')}`);
  if (facts.span) out.push('', `Time span  ${facts.span.first} → ${facts.span.last}`);
  out.push('', `Top error signatures (${facts.totals.errorSignatures} distinct)`);
  if (facts.signatures.length === 0) out.push('  (no errors)');
  for (const [i, s] of facts.signatures.slice(0, 10).entries())
    out.push(`  #${i + 1} ${String(s.count).padStart(7)}  ${s.signature}`);
  out.push('', 'Peak error windows');
  if (facts.peaks.length === 0) out.push('  (none)');
  for (const p of facts.peaks) out.push(`  ${p.start} → ${p.end}  ${p.errors} errors  ${p.topSignature}`);
  if (analysis !== undefined) out.push('', 'Analysis', '', analysis.trim());
  return `${out.join('\n')}\n`;
}
