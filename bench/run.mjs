// The benchmark: open-agent-sdk beside the peer libraries and two floors, against one loopback mock server
// (own process), each measurement in a fresh child process, clients interleaved over rounds, medians,
// every run checked for the exact expected text. Prints one markdown table plus the target lines and
// writes the same (with detail tables) to bench/results/latest.md, and every round's result to latest.json.
//
//   npm run bench                 (repository root: builds dist/, then runs this)
//   cd bench && npm run bench     (uses the dist/ that is there)
//
// Environment: QUICK=1 (smoke test, < 1 min), ROUNDS=5, MEASURES=throughput,latency,agent,concurrency,cold,
// CLIENTS=ours,openai,... (default: all but ours-undici and ai-inline; aliases: ours-global = ours-fetch,
// ours-node = ours-undici), COLD_RUNS=10, PEER_SIZES=1 (install the peers into temp folders for their
// installed size), CHILD_TIMEOUT_MS=300000, BENCH_NODE_TRANSPORT (the open-agent-sdk/node export ours-undici
// uses; default createNodeFetch).
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findUndiciFetch } from './clients/ours-undici.mjs';
import { cleanup, coldImports, coldTargets, installTargets } from './lib/cold.mjs';
import { machineInfo, versionsInfo } from './lib/machine.mjs';
import { renderReport } from './lib/report.mjs';
import { expectedAnswer, expectedText } from './lib/scenario.mjs';
import { removeSnapshot, snapshotDir, snapshotSdk } from './lib/snapshot.mjs';
import { median, range } from './lib/stats.mjs';
import { runOrder } from './lib/versus-base.mjs';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const QUICK = env.QUICK === '1' || env.QUICK === 'true';
const ROUNDS = Number(env.ROUNDS ?? (QUICK ? 1 : 5));
const ALL_MEASURES = ['throughput', 'latency', 'agent', 'concurrency', 'cold'];
const MEASURES = (env.MEASURES ?? ALL_MEASURES.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const DEFAULT_CLIENTS = [
  'floor-http',
  'floor-fetch',
  'mini-http',
  'mini-fetch',
  'ours',
  'ours-fetch',
  'openai',
  'ai',
  'pi-ai',
  'agents',
];
const KNOWN_CLIENTS = [
  ...DEFAULT_CLIENTS,
  'ours-undici',
  'ai-inline',
  'ours-base',
  'ours-base-fetch',
  'ours-base-stream',
  'ours-base-stream-fetch',
  'ours-traced',
];
/** Former client ids, still accepted in CLIENTS. */
const ALIASES = { 'ours-global': 'ours-fetch', 'ours-node': 'ours-undici' };
const log = (line) => process.stderr.write(`${line}\n`);
let CLIENTS = [
  ...new Set(
    (env.CLIENTS ?? DEFAULT_CLIENTS.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((c) => {
        if (!ALIASES[c]) return c;
        log(`CLIENTS: \`${c}\` is now \`${ALIASES[c]}\`; running ${ALIASES[c]}`);
        return ALIASES[c];
      }),
  ),
];
const COLD_RUNS = Number(env.COLD_RUNS ?? (QUICK ? 3 : 10));
const PEER_SIZES = (env.PEER_SIZES ?? (QUICK ? '0' : '1')) === '1';
const CHILD_TIMEOUT_MS = Number(env.CHILD_TIMEOUT_MS ?? 300_000);
const SIZES = QUICK
  ? {
      throughputChunks: 5000,
      throughputWarmup: 500,
      latencyChunks: 50,
      latencyWarmup: 10,
      latencyRequests: 50,
      agentWarmup: 5,
      agentLoops: 30,
      concurrencyStreams: 200,
      concurrencyChunks: 50,
    }
  : {
      throughputChunks: 20000,
      throughputWarmup: 2000,
      latencyChunks: 50,
      latencyWarmup: 30,
      latencyRequests: 200,
      agentWarmup: 20,
      agentLoops: 200,
      concurrencyStreams: 1000,
      concurrencyChunks: 200,
    };

for (const m of MEASURES)
  if (!ALL_MEASURES.includes(m)) throw new Error(`unknown measure ${m} (${ALL_MEASURES.join(', ')})`);
for (const c of CLIENTS)
  if (!KNOWN_CLIENTS.includes(c)) throw new Error(`unknown client ${c} (${KNOWN_CLIENTS.join(', ')})`);
if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error(
    'dist/index.js is missing: run `npm run build` at the repository root first (or `npm run bench` there).',
  );
  process.exit(2);
}
if (!existsSync(new URL('node_modules/openai/package.json', import.meta.url))) {
  console.error('The peers are not installed: run `npm ci` in bench/ first.');
  process.exit(2);
}

const started = Date.now();
// Every client and the pack use this frozen copy of dist/, so a rebuild during the run cannot break it.
const SDK = await snapshotSdk(log);
process.env.OAS_SDK = SDK;
const machine = machineInfo(SDK);
const loadStart = (await import('node:os')).loadavg();

// ---- the server ------------------------------------------------------------------------------------

const server = fork(fileURLToPath(new URL('stream-server.mjs', import.meta.url)), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const serverWaiters = new Map();
server.on('message', (msg) => {
  const waiter = serverWaiters.get(msg?.type);
  if (waiter) {
    serverWaiters.delete(msg.type);
    waiter(msg);
  }
});
function ask(type, reply) {
  return new Promise((resolve) => {
    serverWaiters.set(reply, resolve);
    server.send({ type });
  });
}
const { port } = await new Promise((resolve) => {
  serverWaiters.set('ready', resolve);
});

/** The mock server answers non-streaming requests the same way (proves the scripts, not the clients). */
async function serverSelfCheck() {
  const post = (body) =>
    fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const text = await post({ model: 'text-50', messages: [], stream: false });
  const call = await post({ model: 'agent-35', messages: [{ role: 'user', content: 'x' }], stream: false });
  const tc = call.choices[0].message.tool_calls?.[0];
  const answer = await post({
    model: 'agent-35',
    stream: false,
    messages: [
      { role: 'assistant', content: null, tool_calls: [tc] },
      {
        role: 'tool',
        tool_call_id: tc?.id,
        content: String(Object.values(JSON.parse(tc.function.arguments)).reduce((a, b) => a + b)),
      },
    ],
  });
  const textOk = text.choices[0].message.content === expectedText(50);
  const toolOk = tc?.function?.name === 'add' && answer.choices[0].message.content === expectedAnswer(35);
  await ask('stats', 'stats');
  return { textOk, toolOk };
}
const selfCheck = await serverSelfCheck();
log(
  `mock server on 127.0.0.1:${port} (non-streaming check: text ${selfCheck.textOk ? 'ok' : 'WRONG'}, tool call ${selfCheck.toolOk ? 'ok' : 'WRONG'})`,
);

// ---- clients ----------------------------------------------------------------------------------------

const unavailable = new Map();
if (CLIENTS.includes('ours-undici')) {
  try {
    const found = await findUndiciFetch();
    log(`ours-undici: using open-agent-sdk/node export \`${found.name}\` as StreamOptions.fetch`);
  } catch (error) {
    if (error?.constructor?.name !== 'NotAvailable') throw error;
    unavailable.set('ours-undici', error.message);
    CLIENTS = CLIENTS.filter((c) => c !== 'ours-undici');
    log(`ours-undici: not available (${error.message})`);
  }
}

function runChild(client, measure) {
  return new Promise((resolve) => {
    const child = fork(
      fileURLToPath(new URL('child.mjs', import.meta.url)),
      [JSON.stringify({ client, measure, port, sizes: SIZES, sdk: SDK })],
      {
        cwd: benchDir,
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    let result;
    const timer = setTimeout(() => {
      result ??= { ok: false, error: `timed out after ${CHILD_TIMEOUT_MS} ms` };
      child.kill('SIGKILL');
      ask('release', 'released');
    }, CHILD_TIMEOUT_MS);
    child.on('message', async (msg) => {
      if (msg?.type === 'inflight') {
        await ask('release', 'released');
        return;
      }
      result = msg;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!result)
        result = {
          ok: false,
          error: `exited ${code} without a result: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        };
      resolve(result);
    });
  });
}

// ---- the measures ----------------------------------------------------------------------------------

const results = {}; // measure -> client -> [result per round]
const failures = []; // { measure, client, round, error }
const serverStats = {};
const runnable = { agent: (c) => !c.startsWith('floor-') };

for (const measure of MEASURES.filter((m) => m !== 'cold')) {
  const clients = CLIENTS.filter((c) => (runnable[measure] ?? (() => true))(c));
  results[measure] = Object.fromEntries(clients.map((c) => [c, []]));
  const t0 = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts one client later, so no client always runs right after the same one (a heavy
    // client before it, or the server's state after it, would bias every round the same way).
    // Base clients (BENCH_BASE_SDK) run next to their `ours` counterpart: see runOrder.
    const order = runOrder(clients, round);
    for (const client of order) {
      const r = await runChild(client, measure);
      r.round = round;
      if (r.ok) results[measure][client].push(r);
      else if (r.notAvailable) unavailable.set(client, r.error);
      else failures.push({ measure, client, round: round + 1, error: r.error });
    }
    log(`${measure}: round ${round + 1}/${ROUNDS} done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  serverStats[measure] = (await ask('stats', 'stats')).stats;
}
server.disconnect();

let cold;
if (MEASURES.includes('cold')) {
  log('cold start: packing open-agent-sdk and installing into temp folders');
  // Peers are always imported; with PEER_SIZES=0 they are imported from bench/node_modules (no size).
  const { root, targets } = installTargets(coldTargets({ peers: true }), log, PEER_SIZES, snapshotDir);
  cold = await coldImports(targets, COLD_RUNS);
  cleanup(root);
  log(`cold start: ${COLD_RUNS} interleaved runs done`);
}

// ---- summary ---------------------------------------------------------------------------------------

function summarize(list, fields) {
  const out = { n: list.length };
  for (const f of fields) {
    const values = list.map((r) => r[f]);
    out[f] = median(values);
    out[`${f}Range`] = range(values);
  }
  return out;
}
const summary = {};
const fieldsOf = {
  throughput: ['ms', 'cpuUs', 'bytes'],
  latency: ['first', 'complete', 'completeP90'],
  agent: ['ms', 'p90'],
  concurrency: [
    'wallMs',
    'inFlightMs',
    'peakRssMb',
    'rssBeforeMb',
    'heapExtKbPerStream',
    'rssKbPerStream',
    'deltas',
  ],
};
for (const [measure, byClient] of Object.entries(results)) {
  summary[measure] = {};
  for (const [client, list] of Object.entries(byClient))
    if (list.length) summary[measure][client] = summarize(list, fieldsOf[measure]);
}

const report = renderReport({
  quick: QUICK,
  rounds: ROUNDS,
  sizes: SIZES,
  clients: CLIENTS,
  unavailable,
  summary,
  cold,
  coldRuns: COLD_RUNS,
  failures,
  serverStats,
  selfCheck,
  results,
  machine,
  versions: versionsInfo(),
  elapsedS: (Date.now() - started) / 1000,
  loadStart,
  loadEnd: (await import('node:os')).loadavg(),
});
console.log(report.stdout);
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/latest.md', import.meta.url), report.file);
// Every round's result, for a closer look at a ratio (which rounds, how far apart).
writeFileSync(new URL('results/latest.json', import.meta.url), JSON.stringify({ summary, results }, null, 1));
log(`written to bench/results/latest.md (every round: latest.json)`);
removeSnapshot();
process.exit(failures.length ? 1 : 0);
