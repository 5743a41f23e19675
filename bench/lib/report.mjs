// Renders the results: one summary table + the target lines (stdout), and the same plus the detail tables,
// versions and checks (bench/results/latest.md).
import { versusBase } from './versus-base.mjs';

const LABELS = {
  'floor-http': 'node:http, bytes only',
  'floor-fetch': 'fetch, bytes only',
  'mini-http': 'node:http + minimal SSE + JSON.parse (hand-written loop)',
  'mini-fetch': 'fetch + minimal SSE + JSON.parse (hand-written loop)',
  ours: 'open-agent-sdk default options: on Node, its node:http transport (`stream()` / `Agent.prompt`)',
  'ours-fetch':
    'open-agent-sdk with `fetch: globalThis.fetch`: the portable path (what Bun, Deno, edge runtimes run)',
  'ours-undici': 'open-agent-sdk with `fetch: createNodeFetch()` from `open-agent-sdk/node` (undici)',
  'ours-base': 'as `ours`, on the build BENCH_BASE_SDK names (the commit before a change)',
  'ours-base-fetch': 'as `ours-fetch`, on the build BENCH_BASE_SDK names',
  'ours-base-stream':
    "this build's Agent over the BENCH_BASE_SDK build's `stream()` (`streamFn`); text measures: as ours-base",
  'ours-base-stream-fetch': 'as `ours-base-stream`, with `fetch: globalThis.fetch`',
  'ours-traced': 'as `ours`, with the `open-agent-sdk/tracing` observer attached and no tracer provider',
  openai: 'openai `chat.completions.create` stream / `runTools`',
  ai: 'ai `streamText` + @ai-sdk/openai-compatible (model reused); tools + `stopWhen`',
  'ai-inline': 'ai `streamText`, model constructed per call',
  'pi-ai': '@mariozechner/pi-ai `stream` / pi-agent-core `Agent.prompt`',
  agents: '@openai/agents `Runner.run(stream)` + `OpenAIChatCompletionsModel`',
};
const PEERS = ['openai', 'ai', 'ai-inline', 'pi-ai', 'agents'];
/** Which cold-import row belongs to a client row of the summary. */
const COLD_OF = {
  ours: 'ours',
  'ours-fetch': 'ours',
  openai: 'openai',
  ai: 'ai',
  'ai-inline': 'ai',
  'pi-ai': 'pi-ai',
  agents: 'agents',
};

const DASH = '—';
function num(x, digits = 1) {
  if (x === undefined || x === null || Number.isNaN(x)) return DASH;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
const ratio = (x) => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×` : DASH);
const signed = (x, d = 3) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(d)}` : DASH);

function table(head, rows, align) {
  const out = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (align?.[i] === 'l' || (!align && i === 0) ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

export function renderReport(r) {
  const { summary, cold, sizes } = r;
  const S = (measure, client) => summary[measure]?.[client];
  const coldById = new Map((cold ?? []).map((c) => [c.id, c]));
  const failed = (measure, client) => r.failures.some((f) => f.measure === measure && f.client === client);
  const mark = (measure, client, text) => {
    if (!summary[measure]) return DASH;
    if (!S(measure, client)) return failed(measure, client) ? 'FAIL' : DASH;
    return failed(measure, client) ? `${text}*` : text;
  };

  const tp = (c) => S('throughput', c)?.ms;
  const lat = (c) => S('latency', c);
  const ag = (c) => S('agent', c)?.ms;
  const cc = (c) => S('concurrency', c);
  const floorLat = lat('floor-fetch');
  const rows = r.clients.map((c) => {
    const coldRow = coldById.get(COLD_OF[c]);
    return [
      c,
      mark('throughput', c, num(tp(c))),
      mark('throughput', c, ratio(tp(c) / tp('mini-fetch'))),
      mark('latency', c, signed(lat(c)?.first - floorLat?.first)),
      mark('latency', c, signed(lat(c)?.complete - floorLat?.complete)),
      c.startsWith('floor-') ? DASH : mark('agent', c, num(ag(c), 2)),
      c.startsWith('floor-') ? DASH : mark('agent', c, ratio(ag(c) / ag('mini-fetch'))),
      mark('concurrency', c, num(cc(c)?.wallMs, 0)),
      mark('concurrency', c, num(cc(c)?.peakRssMb, 0)),
      mark('concurrency', c, num(cc(c)?.heapExtKbPerStream, 1)),
      mark('concurrency', c, ratio(cc(c)?.heapExtKbPerStream / cc('floor-fetch')?.heapExtKbPerStream)),
      coldRow && !coldRow.error ? num(coldRow.importMs, 0) : coldRow ? 'FAIL' : DASH,
      coldRow?.sizeMb !== undefined ? num(coldRow.sizeMb, 1) : DASH,
    ];
  });
  const k = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const head = [
    'client',
    `ms / stream (${k(sizes.throughputChunks)} chunks)`,
    '× mini-fetch',
    `first delta − fetch floor ms (${sizes.latencyChunks} chunks)`,
    'complete − fetch floor ms',
    'agent ms / 2-turn loop',
    '× hand-written',
    `${sizes.concurrencyStreams} streams wall ms`,
    'peak RSS MB',
    'heap+ext KB / in-flight stream',
    '× floor-fetch',
    'import ms (− bare node)',
    'installed MB',
  ];
  const summaryTable = table(head, rows);

  // ---- targets ----
  // Set separately for the portable path (ours-fetch: `fetch: globalThis.fetch`) and for the Node transport
  // (ours: default options, on Node the SDK's node:http transport).
  const peers = r.clients.filter((c) => PEERS.includes(c));
  const bestPeer = (value) => {
    let best;
    for (const p of peers) {
      const v = value(p);
      if (Number.isFinite(v) && (best === undefined || v < best.v)) best = { p, v };
    }
    return best;
  };
  const peerText = (b, fmt, what = 'best peer this run') => (b ? `${what}: ${b.p} ${fmt(b.v)}` : '');
  /** Why a target cannot be computed: the measure did not run, or a needed client has no result ('' if ok). */
  const missing = (measure, needed) => {
    if (!summary[measure]) return `${measure} not in MEASURES`;
    return needed
      .filter((c) => !S(measure, c))
      .map((c) => {
        if (r.unavailable.has(c)) return `${c} not available`;
        if (!r.clients.includes(c)) return `${c} not in CLIENTS`;
        return failed(measure, c) ? `${c} failed every round` : `${c} has no result`;
      })
      .join(', ');
  };
  const targets = [];
  const target = ({ name, why, value, limit, fmt, detail = [] }) => {
    const reason = why || (Number.isFinite(value) ? '' : 'no value');
    if (reason) {
      targets.push(`- **not measured**: ${name} (target ≤ ${fmt(limit)}; ${reason})`);
      return;
    }
    const status = value <= limit ? 'met' : 'NOT met';
    const parts = [`target ≤ ${fmt(limit)}`, ...detail.filter(Boolean)];
    targets.push(`- **${status}**: ${name}: ${fmt(value)} (${parts.join('; ')})`);
  };
  const ms = (x) => `${x.toFixed(3)} ms`;
  const chunks = `${sizes.latencyChunks} chunks`;

  // Throughput.
  {
    const rel = (c) => tp(c) / tp('mini-fetch');
    const best = bestPeer(rel);
    target({
      name: 'Throughput, portable path: ours-fetch ÷ mini-fetch',
      why: missing('throughput', ['ours-fetch', 'mini-fetch']),
      value: rel('ours-fetch'),
      limit: 1.2,
      fmt: ratio,
      detail: [peerText(best, ratio)],
    });
    target({
      name: 'Throughput, Node transport: ours ÷ mini-fetch',
      why: missing('throughput', ['ours', 'mini-fetch']),
      value: rel('ours'),
      limit: 1.0,
      fmt: ratio,
      detail: [
        S('throughput', 'mini-http') ? `ours ÷ mini-http ${ratio(tp('ours') / tp('mini-http'))}` : '',
        peerText(best, ratio),
      ],
    });
    const fastest = bestPeer(tp);
    const slower = tp('ours-fetch') > tp('ours') ? 'ours-fetch' : 'ours';
    const other = slower === 'ours' ? 'ours-fetch' : 'ours';
    let why = missing('throughput', ['ours', 'ours-fetch']);
    if (!why && !fastest) why = peers.length ? 'no peer has a result' : 'no peer in CLIENTS';
    target({
      name: 'Throughput, faster than every peer: slower of ours and ours-fetch ÷ fastest peer',
      why,
      value: tp(slower) / fastest?.v,
      limit: 1 - 1e-9,
      fmt: ratio,
      detail: [
        `slower: ${slower} ${num(tp(slower))} ms (${other} ${num(tp(other))} ms)`,
        fastest ? `fastest peer: ${fastest.p} ${num(fastest.v)} ms` : '',
      ],
    });
  }

  // Completion latency overhead.
  {
    const over = (c, floor) => lat(c)?.complete - lat(floor)?.complete;
    const overFetch = (c) => over(c, 'floor-fetch');
    const overHttp = (c) => over(c, 'floor-http');
    target({
      name: `Completion latency overhead, ${chunks}, portable path: ours-fetch − floor-fetch`,
      why: missing('latency', ['ours-fetch', 'floor-fetch']),
      value: overFetch('ours-fetch'),
      limit: 0.2,
      fmt: ms,
      detail: [peerText(bestPeer(overFetch), ms)],
    });
    target({
      name: `Completion latency overhead, ${chunks}, Node transport: ours − floor-http`,
      why: missing('latency', ['ours', 'floor-http']),
      value: overHttp('ours'),
      limit: 0.15,
      fmt: ms,
      detail: [
        S('latency', 'mini-http') ? `mini-http − floor-http ${ms(overHttp('mini-http'))}` : '',
        peerText(bestPeer(overHttp), ms, 'best peer this run (− floor-http)'),
      ],
    });
  }

  // Agent loop.
  {
    const rel = (c) => ag(c) / ag('mini-fetch');
    const perTurn = (c) => (ag(c) - ag('mini-http')) / 2;
    target({
      name: '2-turn agent loop, portable path: ours-fetch ÷ hand-written fetch loop (mini-fetch)',
      why: missing('agent', ['ours-fetch', 'mini-fetch']),
      value: rel('ours-fetch'),
      limit: 1.5,
      fmt: ratio,
      detail: [peerText(bestPeer(rel), ratio)],
    });
    target({
      name: '2-turn agent loop, Node transport: our overhead per turn, (ours − mini-http) ÷ 2',
      why: missing('agent', ['ours', 'mini-http']),
      value: perTurn('ours'),
      limit: 0.3,
      fmt: ms,
      detail: [peerText(bestPeer(perTurn), ms, 'best peer this run, (peer − mini-http) ÷ 2')],
    });
    if (r.clients.includes('ours-traced')) {
      // opt-in: the tracing observer attached, no tracer provider registered (issue 18: within noise)
      target({
        name: '2-turn agent loop, tracing observer without a provider: ours-traced ÷ ours (same run)',
        why: missing('agent', ['ours', 'ours-traced']),
        value: ag('ours-traced') / ag('ours'),
        limit: 1.05,
        fmt: ratio,
        detail: [`ours-traced − ours ${ms(ag('ours-traced') - ag('ours'))} per loop`],
      });
    }
  }

  // Memory per in-flight stream.
  {
    const kb = (c) => cc(c)?.heapExtKbPerStream;
    const rel = (c) => kb(c) / kb('floor-fetch');
    const kbText = (x) => `${x.toFixed(1)} KB`;
    target({
      name: 'Memory retained per in-flight stream (heap+external), portable path: ours-fetch ÷ floor-fetch',
      why: missing('concurrency', ['ours-fetch', 'floor-fetch']),
      value: rel('ours-fetch'),
      limit: 1.2,
      fmt: ratio,
      detail: [peerText(bestPeer(rel), ratio)],
    });
    target({
      name: 'Memory retained per in-flight stream (heap+external), Node transport: ours',
      why: missing('concurrency', ['ours']),
      value: kb('ours'),
      limit: 15,
      fmt: kbText,
      detail: [
        S('concurrency', 'floor-http') ? `floor-http ${kbText(kb('floor-http'))}` : '',
        peerText(bestPeer(kb), kbText),
      ],
    });
  }

  // Cold import and installed size (one package for ours and ours-fetch).
  {
    const coldPeers = (cold ?? []).filter((c) => !['node', 'ours'].includes(c.id) && !c.error);
    const best = (f) =>
      coldPeers.reduce((b, c) => (Number.isFinite(c[f]) && (!b || c[f] < b[f]) ? c : b), undefined);
    const o = coldById.get('ours');
    const why = !cold ? 'cold not in MEASURES' : !o || o.error ? 'open-agent-sdk failed (see Checks)' : '';
    const bi = best('importMs');
    const bs = best('sizeMb');
    target({
      name: "Cold import('open-agent-sdk') over bare node (ours, ours-fetch)",
      why,
      value: o?.importMs,
      limit: 40,
      fmt: (x) => `${x.toFixed(0)} ms`,
      detail: [bi ? `best peer this run: ${bi.label} ${bi.importMs.toFixed(0)} ms` : ''],
    });
    target({
      name: 'Installed size with runtime dependencies (open-agent-sdk)',
      why,
      value: o?.sizeMb,
      limit: 5,
      fmt: (x) => `${x.toFixed(1)} MB`,
      detail: [
        bs
          ? `best peer this run: ${bs.label} ${bs.sizeMb.toFixed(1)} MB`
          : 'peer sizes not measured (PEER_SIZES=0)',
      ],
    });
  }

  const m = r.machine;
  const header = [
    `# open-agent-sdk benchmark${r.quick ? ' (QUICK smoke run: small sizes, not comparable)' : ''}`,
    '',
    `${m.date} · ${m.cpu}, ${m.ramGiB} GiB · ${m.node} · ${m.os} · ${m.ours}`,
    `${r.rounds} round(s), clients interleaved, each measurement in a fresh process, medians over rounds · load average ${r.loadStart.map((x) => x.toFixed(2)).join(' ')} at start, ${r.loadEnd.map((x) => x.toFixed(2)).join(' ')} at end · ${r.elapsedS.toFixed(0)} s`,
  ].join('\n');

  const checks = [];
  checks.push(
    `- Mock server non-streaming check: text ${r.selfCheck.textOk ? 'ok' : 'WRONG'}, tool call ${r.selfCheck.toolOk ? 'ok' : 'WRONG'}.`,
  );
  const runsOk = Object.values(summary).reduce(
    (n, byClient) => n + Object.values(byClient).reduce((a, s) => a + s.n, 0),
    0,
  );
  checks.push(
    r.failures.length
      ? `- ${runsOk} measurement runs passed their exact-content checks; ${r.failures.length} FAILED (marked FAIL, or * when other rounds passed):`
      : `- All ${runsOk} measurement runs passed their exact-content checks (no failures).`,
  );
  for (const f of r.failures) checks.push(`  - ${f.measure} / ${f.client} / round ${f.round}: ${f.error}`);
  for (const [client, why] of r.unavailable) checks.push(`- ${client}: not run (${why}).`);
  for (const [measure, s] of Object.entries(r.serverStats)) {
    checks.push(
      `- ${measure}: server saw ${s.requests} requests, ${s.errors} error responses, ${s.usageAsked}/${s.streams} streams asked for usage, ${s.toolResults} tool results (${s.wrongToolResults} wrong), max ${s.maxOpen} streams open at once.`,
    );
  }
  for (const c of cold ?? []) if (c.error) checks.push(`- cold start / ${c.label}: ${c.error}`);

  const legend = [
    `Columns: streaming throughput of one ${k(sizes.throughputChunks)}-chunk stream (after a ${k(sizes.throughputWarmup)}-chunk warm-up in the same process) and its ratio to the fetch + minimal-parser floor; latency of a ${sizes.latencyChunks}-chunk stream (median of ${sizes.latencyRequests} sequential requests after ${sizes.latencyWarmup} warm-up) minus the fetch floor's, to the first text delta and to completion; the 2-turn agent loop with a tool call (median of ${sizes.agentLoops} loops after ${sizes.agentWarmup}) and its ratio to the hand-written fetch loop; ${sizes.concurrencyStreams} concurrent streams × ${sizes.concurrencyChunks} chunks (wall, peak RSS, heap+external retained per in-flight stream and its ratio to floor-fetch); cold import of the client's package over bare node and its fresh installed size (ours: \`open-agent-sdk\` from \`npm pack\`; ai: with @ai-sdk/openai-compatible; pi-ai: pi-agent-core, which includes pi-ai).`,
    'FAIL: no run passed its check; *: some rounds failed (see Checks). Other engineers may be using the machine: compare ratios within one run, not across runs.',
  ].join('\n');

  const versus = versusBase(summary, r.clients, r.results);
  const baseSection = versus
    ? [
        '## This build ÷ the base build (BENCH_BASE_SDK)',
        '',
        table(versus.head, versus.rows),
        '',
        'Each ratio is the median over the rounds of this run of that round\'s ratio: every round runs a base client right next to its `ours` counterpart (after it on even rounds, before it on odd ones), so both see the machine at the same minute. "of medians": the ratio of the two medians over rounds, for comparison. "seam only": this build\'s Agent over the base build\'s `stream()` (`streamFn`), so the ratio leaves out what the agent loop itself changed since the base.',
        '',
      ]
    : [];
  const stdout = [
    header,
    '',
    summaryTable,
    '',
    '## Targets',
    '',
    ...targets,
    '',
    ...baseSection,
    '## Checks',
    '',
    ...checks,
    '',
  ].join('\n');
  const file = [
    header,
    '',
    summaryTable,
    '',
    legend,
    '',
    '## Targets',
    '',
    ...targets,
    '',
    ...baseSection,
    details(r),
    '## Versions',
    '',
    ...r.versions.map((v) => `- ${v}`),
    '',
    '## Checks',
    '',
    ...checks,
    '',
  ].join('\n');
  return { stdout, file };
}

function details(r) {
  const { summary, cold, sizes } = r;
  const out = [];
  const clientsOf = (measure) => r.clients.filter((c) => summary[measure]?.[c]);
  const rangeText = (rg, d = 0) => (Number.isFinite(rg?.[0]) ? `${num(rg[0], d)}–${num(rg[1], d)}` : DASH);
  out.push(
    '## Clients',
    '',
    table(
      ['id', 'what it runs'],
      r.clients.map((c) => [c, LABELS[c] ?? c]),
    ),
    '',
  );
  if (summary.throughput) {
    const t = summary.throughput;
    const n = sizes.throughputChunks;
    const rows = clientsOf('throughput').map((c) => {
      const s = t[c];
      return [
        c,
        num(s.ms),
        num((n / s.ms) * 1000, 0),
        num(s.bytes / 1e6 / (s.ms / 1000), 1),
        num(s.cpuUs / n, 2),
        ratio(s.ms / t['floor-fetch']?.ms),
        ratio(s.ms / t['mini-fetch']?.ms),
        rangeText(s.msRange),
      ];
    });
    const mb = t[clientsOf('throughput')[0]]?.bytes / 1e6;
    out.push(
      `### Streaming throughput (${n.toLocaleString('en-US')} content chunks, ${num(mb, 2)} MB of SSE)`,
      '',
      table(
        [
          'client',
          'ms / stream',
          'deltas/s',
          'MB/s',
          'client CPU µs/delta',
          '× floor-fetch',
          '× mini-fetch',
          'range ms',
        ],
        rows,
      ),
      '',
    );
  }
  if (summary.latency) {
    const t = summary.latency;
    const f = t['floor-fetch'];
    const rows = clientsOf('latency').map((c) => {
      const s = t[c];
      return [
        c,
        num(s.first, 3),
        num(s.complete, 3),
        signed(s.first - f?.first),
        signed(s.complete - f?.complete),
        num(s.completeP90, 3),
      ];
    });
    out.push(
      `### Latency (${sizes.latencyChunks}-chunk stream, median of ${sizes.latencyRequests} sequential requests per process, median over rounds)`,
      '',
      table(
        [
          'client',
          'first delta ms',
          'complete ms',
          'first − fetch floor',
          'complete − fetch floor',
          'complete p90 ms',
        ],
        rows,
      ),
      '',
      '"first delta": from starting the request to the first text delta in user code (byte floors: first body bytes). The server writes the whole stream at once, so this is client-side work.',
      '',
    );
  }
  if (summary.agent) {
    const t = summary.agent;
    const h = t['mini-fetch'];
    const rows = clientsOf('agent').map((c) => [
      c,
      num(t[c].ms, 3),
      num(t[c].p90, 3),
      signed(t[c].ms - h?.ms),
      ratio(t[c].ms / h?.ms),
    ]);
    out.push(
      '### Agent loop (2 model turns: streamed call of tool `add` with arguments split over 11 chunks → tool runs → 35-chunk streamed answer echoing the result)',
      '',
      table(['client', 'ms / loop', 'p90 ms', '− hand-written (fetch)', '× hand-written (fetch)'], rows),
      '',
    );
  }
  if (summary.concurrency) {
    const t = summary.concurrency;
    const rows = clientsOf('concurrency').map((c) => {
      const s = t[c];
      return [
        c,
        num(s.wallMs, 0),
        num((s.deltas / s.wallMs) * 1000, 0),
        num(s.inFlightMs, 0),
        num(s.peakRssMb, 0),
        num(s.rssBeforeMb, 0),
        num(s.heapExtKbPerStream, 1),
        num(s.rssKbPerStream, 1),
      ];
    });
    out.push(
      `### Concurrency and memory (${sizes.concurrencyStreams} concurrent streams × ${sizes.concurrencyChunks} chunks)`,
      '',
      table(
        [
          'client',
          'wall ms',
          'deltas/s (all)',
          'ms until all in flight',
          'peak RSS MB',
          'RSS before MB',
          'heap+ext KB / in-flight stream',
          'RSS KB / in-flight stream',
        ],
        rows,
      ),
      '',
      "The server sends each stream's head (role chunk + 3 deltas) and holds it until every stream has delivered its first delta to user code; the client then forces GC twice and measures heap+external and RSS against its own baseline (taken after 20 warm-up streams), and the server releases all streams. wall = time until all are in flight + drain time (the measurement pause is excluded). Peak RSS is the process's maxRSS.",
      '',
    );
  }
  if (cold) {
    const rows = cold.map((c) => [
      c.label + (c.version ? ` ${c.version}` : ''),
      num(c.wallMs, 0),
      c.id === 'node' ? DASH : num(c.importMs, 0),
      num(c.cpuMs, 0),
      num(c.rssMb, 0),
      c.sizeMb !== undefined ? num(c.sizeMb, 1) : DASH,
      c.packages ?? DASH,
    ]);
    out.push(
      '### Cold start and installed size',
      '',
      table(
        [
          'import',
          'process wall ms',
          'import ms (− bare node)',
          'CPU ms',
          'max RSS MB',
          'installed MB (fresh, du)',
          'packages',
        ],
        rows,
      ),
      '',
      `\`node -e "import(pkg)"\` from spawn to exit in a folder where only that package was installed (\`npm install --ignore-scripts\`), median of ${r.coldRuns} runs interleaved with a bare \`node -e\` baseline (after one untimed pass to warm the file cache). Installed size: \`du -sk node_modules\` of that folder. open-agent-sdk comes from \`npm pack\` of this repository (current dist/).`,
      '',
    );
  }
  return out.join('\n');
}
