// "This build ÷ the base build": when the opt-in ours-base clients ran (BENCH_BASE_SDK), the ratios a change
// is judged by, from this one run: throughput, latency, agent loop and memory per stream of `ours` and
// `ours-fetch` over the same client on the base build, and the agent loop over `ours-base-stream` (this
// build's Agent on the base build's stream(): what the provider seam alone costs the loop).

const PAIRS = [
  ['Node transport', 'ours', 'ours-base', 'ours-base-stream'],
  ['portable path (fetch)', 'ours-fetch', 'ours-base-fetch', 'ours-base-stream-fetch'],
];
const MEASURES = [
  ['throughput ms / stream', 'throughput', (s) => s.ms],
  ['first delta ms', 'latency', (s) => s.first],
  ['complete ms', 'latency', (s) => s.complete],
  ['agent ms / loop', 'agent', (s) => s.ms],
  ['heap+ext KB / in-flight stream', 'concurrency', (s) => s.heapExtKbPerStream],
];
const LIMIT = 1.05;

function cell(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  const x = a / b;
  return `${x.toFixed(3)}× ${x <= LIMIT ? '(within 5 %)' : '(**over 5 %**)'}`;
}

/**
 * The section's table as `{ head, rows }` (report.mjs renders it), or undefined when no base client ran.
 */
export function versusBase(summary, clients) {
  const pairs = PAIRS.filter(([, , base, seam]) => clients.includes(base) || clients.includes(seam));
  if (pairs.length === 0) return undefined;
  const value = (measure, client, pick) => {
    const s = summary[measure]?.[client];
    return s ? pick(s) : Number.NaN;
  };
  const rows = [];
  for (const [label, measure, pick] of MEASURES) {
    if (!summary[measure]) continue;
    rows.push([
      label,
      ...pairs.map(([, ours, base]) => cell(value(measure, ours, pick), value(measure, base, pick))),
    ]);
  }
  if (summary.agent) {
    const ms = (s) => s.ms;
    rows.push([
      'agent ms / loop, seam only (÷ ours-base-stream, ours-base-stream-fetch)',
      ...pairs.map(([, ours, , seam]) => cell(value('agent', ours, ms), value('agent', seam, ms))),
    ]);
  }
  const head = [
    'this build ÷ base build',
    ...pairs.map(([label, ours, base]) => `${label}: ${ours} ÷ ${base}`),
  ];
  return { head, rows };
}
