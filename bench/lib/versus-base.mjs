// "This build ÷ the base build": when the opt-in ours-base clients ran (BENCH_BASE_SDK), the ratios a change
// is judged by, from this one run: throughput, latency, agent loop and memory per stream of `ours` and
// `ours-fetch` over the same client on the base build, and the agent loop over `ours-base-stream` (this
// build's Agent on the base build's stream(): what the provider seam alone costs the loop).
//
// Paired: every round runs each base client right after (or, on odd rounds, right before) its `ours`
// counterpart (see runOrder), and a ratio is the median over rounds of that round's ratio. On a shared
// machine whose speed drifts by 10 % between minutes, a ratio of two medians taken minutes apart mostly
// measures the drift; two runs back to back see the same machine.

import { median } from './stats.mjs';

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

/** The clients each `ours` client is paired with in a round (run next to it). */
const PARTNERS = Object.fromEntries(PAIRS.map(([, ours, base, seam]) => [ours, [base, seam]]));

/**
 * The order of one round: the clients rotated by `round` (as before), with each base client moved next
 * to its `ours` counterpart when both run (after it on even rounds, before it on odd ones, so neither
 * always runs first).
 */
export function runOrder(clients, round) {
  const partnered = new Set();
  for (const c of clients) for (const p of PARTNERS[c] ?? []) if (clients.includes(p)) partnered.add(p);
  const units = clients
    .filter((c) => !partnered.has(c))
    .map((c) => [c, ...(PARTNERS[c] ?? []).filter((p) => clients.includes(p))]);
  const rotated = units.map((_, i) => units[(i + round) % units.length]);
  return rotated.flatMap((unit) => (round % 2 === 1 ? [...unit].reverse() : unit));
}

/** The median over rounds of `ours ÷ base` in the same round (rounds where both ran). */
function pairedRatio(list, baseList, pick) {
  const byRound = new Map((baseList ?? []).map((r) => [r.round, pick(r)]));
  const ratios = [];
  for (const r of list ?? []) {
    const b = byRound.get(r.round);
    const a = pick(r);
    if (b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0) ratios.push(a / b);
  }
  return ratios.length ? median(ratios) : Number.NaN;
}

function cell(x, a, b) {
  if (!Number.isFinite(x)) return '—';
  const ofMedians =
    Number.isFinite(a) && Number.isFinite(b) && b > 0 ? ` · of medians ${(a / b).toFixed(3)}×` : '';
  return `${x.toFixed(3)}× ${x <= LIMIT ? '(within 5 %)' : '(**over 5 %**)'}${ofMedians}`;
}

/**
 * The section's table as `{ head, rows }` (report.mjs renders it), or undefined when no base client ran.
 * @param results measure → client → the round results (each with its `round`)
 */
export function versusBase(summary, clients, results = {}) {
  const pairs = PAIRS.filter(([, , base, seam]) => clients.includes(base) || clients.includes(seam));
  if (pairs.length === 0) return undefined;
  const value = (measure, client, pick) => {
    const s = summary[measure]?.[client];
    return s ? pick(s) : Number.NaN;
  };
  const compare = (measure, ours, base, pick) =>
    cell(
      pairedRatio(results[measure]?.[ours], results[measure]?.[base], pick),
      value(measure, ours, pick),
      value(measure, base, pick),
    );
  const rows = [];
  for (const [label, measure, pick] of MEASURES) {
    if (!summary[measure]) continue;
    rows.push([label, ...pairs.map(([, ours, base]) => compare(measure, ours, base, pick))]);
  }
  if (summary.agent) {
    const ms = (s) => s.ms;
    rows.push([
      'agent ms / loop, seam only (÷ ours-base-stream, ours-base-stream-fetch)',
      ...pairs.map(([, ours, , seam]) => compare('agent', ours, seam, ms)),
    ]);
  }
  const head = [
    'this build ÷ base build',
    ...pairs.map(([label, ours, base]) => `${label}: ${ours} ÷ ${base}`),
  ];
  return { head, rows };
}
