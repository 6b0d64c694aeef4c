#!/usr/bin/env node
// The whole benchmark in one command:  node bench/run.mjs [--quick] [--runs N] [--node-only] [--no-build]
//  1. installs the bench's pinned dependencies (npm ci --prefix bench) if missing, packs pkg/ and installs
//     the tarball (building pkg/ with the root `npm run build` first if it does not exist);
//  2. starts the local Journey API stand-in (server.mjs);
//  3. runs every client in its own child process (worker.mjs): import+init time, one process after
//     another; the request workloads, the clients' processes taking turns block by block; RSS over
//     many listing calls (ours, plain fetch, node:http);
//  4. runs size.mjs and browser.mjs (unless --node-only);
//  5. writes bench/results/latest.json and latest.md and prints the Markdown.
import { execFile, execFileSync, spawn } from 'node:child_process';
import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startServer } from './server.mjs';
import { BENCH, RESULTS, installOurs, machineInfo, median, spread, fmt, log } from './lib/setup.mjs';
import { budgetsTable, evaluateBudgets } from './lib/report.mjs';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const RUNS = opt('--runs', 5);
const CLIENTS = ['ours', 'ours-fetch', 'official', 'fetch', 'http'];
const LABEL = { ours: 'journey-api-wasm', official: 'official SDK', fetch: 'plain fetch', http: 'node:http', none: 'bare node (no import)', 'ours-cjs': 'journey-api-wasm via require() (CJS entry)', 'ours-fetch': 'journey-api-wasm on Node\'s fetch (setFetch)' };

const N = QUICK
  ? { list: 60, listConc: 160, get: 100, agg: 60, invalid: 300 }
  : { list: 600, listConc: 1200, get: 1500, agg: 600, invalid: 5000 };
const IMPORT_RUNS = QUICK ? 5 : 10;
const MEM = QUICK ? { memCalls: 2000, memEvery: 100, memWindow: 200 } : { memCalls: 10000, memEvery: 250, memWindow: 1000 };
const t0 = Date.now();
const LOAD0 = os.loadavg();

// On Linux with at least 2 cores, the stand-in server (this process) is pinned to CPU 0 and each
// client process to CPU 1 (taskset), so server and client never compete for one core; the
// clients' figures then vary much less between runs. --no-pin turns this off.
const PIN = !args.includes('--no-pin') && process.platform === 'linux' && os.cpus().length >= 2 && (() => {
  try { execFileSync('taskset', ['-a', '-pc', '0', String(process.pid)], { stdio: 'ignore' }); return true; } catch { return false; }
})();

/** The command and arguments that run `node argv`, on CPU 1 when pinned. */
function nodeCommand(argv, pin = PIN) {
  // an unpinned child of a pinned parent gets every CPU back
  const cpus = pin ? '1' : PIN ? `0-${os.cpus().length - 1}` : null;
  return cpus ? ['taskset', ['-c', cpus, process.execPath, ...argv]] : [process.execPath, argv];
}

function child(argv, env, timeoutMs = 300_000, pin = PIN) {
  return new Promise((resolve, reject) => {
    const [cmd, cmdArgs] = nodeCommand(argv, pin);
    execFile(cmd, cmdArgs, { cwd: BENCH, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${argv.join(' ')} failed: ${err.message}\n${stderr}`));
      if (stderr.trim()) process.stderr.write(stderr);
      try { resolve(JSON.parse(stdout.trim().split('\n').pop())); } catch { resolve(stdout); }
    });
  });
}

// ---------------------------------------------------------------- set-up
const ours = installOurs({ build: args.includes('--no-build') ? 'never' : 'if-missing' });
log(`installed ${ours.packageJson.name}@${ours.packageJson.version} from ${path.relative(BENCH, ours.tgz)}`);
const server = await startServer();
const cfgBase = {
  baseUrl: server.url, n: N, warmupFraction: 0.2,
  segmentId: server.fixtures.segments[0].id, aggregatesQuery: server.fixtures.aggregatesQuery, ...MEM,
};
const env = { BENCH_CFG: JSON.stringify(cfgBase) };
log(`server ${server.url}: listing ${server.sizes.listing} B, segment ${server.sizes.segment} B, aggregates ${server.sizes.aggregates} B`);

// ---------------------------------------------------------------- 1. import + init
const importRes = {};
for (let r = 0; r < IMPORT_RUNS; r++) {
  for (const c of ['none', 'ours', 'ours-cjs', 'official', 'fetch', 'http']) {
    (importRes[c] ??= []).push(await child(['worker.mjs', 'import', c], env));
  }
}
log('import timing done');

// ---------------------------------------------------------------- 2. workloads, interleaved
// Each round starts one process per client; each workload is then run in BLOCKS blocks, the
// clients taking turns block by block (one process busy at a time), so that every client is
// measured across the same minutes. Run one after another, clients minutes apart drifted by more
// than the differences being measured (other load on the shared machine).
const BLOCKS = QUICK ? 3 : 10;
const WORKLOAD_CALLS = { listSequential: N.list, listConcurrent16: N.listConc, getSegment: N.get, aggregatesQuery: N.agg };

/** A client process in serve mode: ask(cmd) resolves to its reply line; finish() to its results. */
async function serving(client) {
  const [cmd, cmdArgs] = nodeCommand(['worker.mjs', 'serve', client]);
  const proc = spawn(cmd, cmdArgs, { cwd: BENCH, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((ok) => proc.on('exit', ok));
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`worker serve ${client} exited with ${await exited}`);
    return JSON.parse(r.value);
  };
  await next(); // {"ready":true}: checked, warmed up
  return {
    ask: (c) => { proc.stdin.write(`${JSON.stringify(c)}\n`); return next(); },
    finish: async () => { proc.stdin.write('{"done":true}\n'); const r = await next(); await exited; return r; },
  };
}

const runs = {};
for (let r = 0; r < RUNS; r++) {
  const order = CLIENTS.map((_, i) => CLIENTS[(i + r) % CLIENTS.length]); // rotate the order each round
  const procs = {};
  for (const c of order) procs[c] = await serving(c);
  for (const [w, calls] of Object.entries(WORKLOAD_CALLS)) {
    for (let b = 0; b < BLOCKS; b++) {
      const n = Math.round(calls / BLOCKS);
      for (let i = 0; i < order.length; i++) await procs[order[(i + b) % order.length]].ask({ workload: w, n });
    }
  }
  for (const c of order) (runs[c] ??= []).push(await procs[c].finish());
  log(`workload round ${r + 1}/${RUNS} done`);
}

// ---------------------------------------------------------------- 3. memory over many listing calls
// Twice. With Node's defaults, V8 doubles its young generation (new space) in steps, each time the bytes
// surviving its scavenges since the last step add up to the current size: RSS then rises by several MiB at
// a point that depends on how much a client allocates per call (plain fetch by ~500 calls, journey-api-wasm
// and a bare node:http client around 1,000–1,500), which says nothing about leaks. The second pass starts
// every client with the young generation already at the largest size the first pass reached
// (--min-semi-space-size), so any growth left in its samples is the client's own.
const MEM_CLIENTS = ['ours', 'fetch', 'http'];
const memRuns = async (flags) => {
  const out = {};
  for (const c of MEM_CLIENTS) out[c] = await child(['--expose-gc', ...flags, 'worker.mjs', 'memory', c], env, 600_000);
  return out;
};
const memDefaults = await memRuns([]);
const youngMiB = Math.max(...MEM_CLIENTS.map((c) => memDefaults[c].samples.at(-1).newSpace ?? 0)) / 2 / 2 ** 20; // two semi-spaces
const semiSpaceMiB = Math.max(1, Math.round(youngMiB));
const memFixed = await memRuns([`--min-semi-space-size=${semiSpaceMiB}`]);
log('memory runs done');
await server.close();

// ---------------------------------------------------------------- 4. size + browser
let size = null, browser = null;
if (!args.includes('--node-only')) {
  // a failure here is reported in the results instead of losing the Node figures
  try { size = await child(['size.mjs', '--json', '--no-install'], {}, 300_000, false); } catch (e) { log(e.message); size = null; }
  try { browser = await child(['browser.mjs', '--json', '--no-install', ...(QUICK ? ['--quick'] : [])], {}, 600_000, false); } catch (e) { log(e.message); browser = { failed: e.message.split('\n').slice(0, 3).join(' '), markdown: `## Browser (headless Chromium)\n\nFAILED: \`${e.message.split('\n')[0]}\`` }; }
}

// ---------------------------------------------------------------- aggregate
const WORKLOADS = ['listSequential', 'listConcurrent16', 'getSegment', 'aggregatesQuery'];
const workloads = {};
for (const w of WORKLOADS) {
  workloads[w] = {};
  for (const c of CLIENTS) {
    const xs = runs[c].map((r) => r.workloads[w]);
    workloads[w][c] = {
      rps: spread(xs.map((x) => x.rps)),
      p50: spread(xs.map((x) => x.p50)),
      p99: spread(xs.map((x) => x.p99)),
      cpuUs: spread(xs.map((x) => x.cpuUsPerCall)),
      calls: xs[0].n,
    };
  }
  // ratios per round (the clients of one round ran back to back, so machine drift cancels)
  const ratio = (a, b) => spread(runs[a].map((r, i) => r.workloads[w].rps / runs[b][i].workloads[w].rps));
  workloads[w].ratios = { oursVsFetch: ratio('ours', 'fetch'), oursVsOfficial: ratio('ours', 'official'), oursVsHttp: ratio('ours', 'http') };
  // CPU per call of the other client ÷ ours (> 1: ours is cheaper), from the medians
  const cpu = (o) => workloads[w][o].cpuUs.median / workloads[w].ours.cpuUs.median;
  workloads[w].cpuRatios = { fetch: cpu('fetch'), official: cpu('official'), http: cpu('http') };
}
const peakRss = Object.fromEntries(CLIENTS.map((c) => [c, spread(runs[c].map((r) => r.maxRSSKiB))]));
const inv = runs.ours.map((r) => r.workloads.createInvalid);
const invalid = {
  calls: inv[0].n,
  rps: spread(inv.map((x) => x.rps)),
  p50: spread(inv.map((x) => x.p50)),
  serverRequests: inv.reduce((a, x) => a + x.serverRequests, 0),
  rejected: inv.reduce((a, x) => a + x.rejected, 0),
  notValidationError: inv.reduce((a, x) => a + x.notValidationError, 0),
  sampleError: inv.find((x) => x.sampleError)?.sampleError ?? null,
};
const imports = Object.fromEntries(Object.entries(importRes).map(([c, xs]) => [c, {
  importInitMs: spread(xs.map((x) => x.importInitMs)),
  importCpuMs: spread(xs.map((x) => x.importCpuMs)),
  sinceProcessStartMs: spread(xs.map((x) => x.sinceProcessStartMs)),
  bootMs: spread(xs.map((x) => x.bootMs)),
  maxRSSKiB: spread(xs.map((x) => x.maxRSSKiB)),
}]));
/** RSS, heap and wasm memory of one memory run, with the growth figures the budgets judge. */
function memorySummary(m) {
  // the measured calls: after the warm-up (whose samples have negative call numbers)
  const s = m.samples, w = s.filter((x) => x.calls >= 0);
  const start = w[0], last = w[w.length - 1];
  // least-squares trend of RSS over the measured samples: single samples swing by several MiB (allocator,
  // undici/V8 buffers), the fitted line says whether RSS keeps climbing
  const mx = w.reduce((a, x) => a + x.calls, 0) / w.length, my = w.reduce((a, x) => a + x.rss, 0) / w.length;
  const slope = w.reduce((a, x) => a + (x.calls - mx) * (x.rss - my), 0) / w.reduce((a, x) => a + (x.calls - mx) ** 2, 0);
  const rssW = w.map((x) => x.rss);
  // the issue's own words: the first thousand calls against the last thousand (mean of the samples in each)
  const mean = (xs) => xs.reduce((a, x) => a + x.rss, 0) / xs.length;
  const firstK = w.filter((x) => x.calls > 0 && x.calls <= MEM.memWindow), lastK = w.filter((x) => x.calls > last.calls - MEM.memWindow);
  return {
    calls: m.calls, warmupCalls: m.warmupCalls, window: MEM.memWindow, maxRSSKiB: m.maxRSSKiB,
    rssAtStart: start.rss, rssAtEnd: last.rss, rssMin: Math.min(...rssW), rssMax: Math.max(...rssW),
    trendGrowth: slope * (last.calls - start.calls),
    firstVsLastWindow: mean(lastK) - mean(firstK),
    heapAtStart: start.heapUsed, heapAtEnd: last.heapUsed, heapGrowth: last.heapUsed - start.heapUsed,
    heapTotalAtStart: start.heapTotal, heapTotalAtEnd: last.heapTotal,
    newSpaceAtStart: start.newSpace, newSpaceAtEnd: last.newSpace,
    samples: s,
  };
}
const summarize = (runs) => Object.fromEntries(Object.entries(runs).map(([c, m]) => [c, memorySummary(m)]));
const memory = { defaults: summarize(memDefaults), fixedYoung: summarize(memFixed), semiSpaceMiB };

const result = {
  date: new Date().toISOString(),
  quick: QUICK,
  runs: RUNS,
  importRuns: IMPORT_RUNS,
  machine: machineInfo(),
  pinned: PIN,
  package: { name: ours.packageJson.name, version: ours.packageJson.version },
  officialSdk: JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules/purecloud-platform-client-v2/package.json'), 'utf8')).version,
  responses: server.sizes,
  callsPerRun: N,
  workloads, peakRss, invalid, imports, memory,
  size, browser,
  loadAverage: { start: LOAD0, end: os.loadavg() },
  durationSec: 0,
};
result.budgets = evaluateBudgets(result);
result.durationSec = Math.round((Date.now() - t0) / 1000);

// ---------------------------------------------------------------- report
const MiB = (kib) => fmt(kib / 1024, 1);
const ms = (x) => fmt(x, x < 10 ? 2 : 1);
const md = [];
md.push(`# journey-api-wasm benchmark results${QUICK ? ' (quick mode)' : ''}`, '');
md.push(`${result.date} · ${result.machine.cores} cores (${result.machine.cpuModel}) · Node ${result.machine.node} · ${result.machine.chromium ?? 'no chromium'} · ` +
  `${result.package.name} ${result.package.version} vs purecloud-platform-client-v2 ${result.officialSdk} · ${RUNS} runs per client, each in its own process · total ${result.durationSec} s · ` +
  `load average (1 min) ${fmt(LOAD0[0], 2)} at start, ${fmt(result.loadAverage.end[0], 2)} at end · ${PIN ? 'server pinned to CPU 0, clients to CPU 1' : 'not pinned to CPUs'}`, '');
md.push(`Responses: listing ${fmt(server.sizes.listing)} B (100 segments), single segment ${fmt(server.sizes.segment)} B, aggregates ${fmt(server.sizes.aggregates)} B (20 groups × 7 days × 3 metrics).`, '');
md.push('## Throughput and latency (Node)', '');
md.push('Median over the runs, (min–max) across runs. Latency p50/p99 are per call, medians over the runs.', '');
md.push('"client CPU/call" = user+system CPU time of the client process (all its threads) per call, median over the runs: what the client itself costs, and much less disturbed than req/s by other load on the machine.', '');
md.push('| workload | calls/run | client | req/s median | req/s min–max | p50 ms | p99 ms | client CPU/call µs |', '|---|---:|---|---:|---:|---:|---:|---:|');
for (const w of WORKLOADS) for (const c of CLIENTS) {
  const x = workloads[w][c];
  md.push(`| ${w} | ${x.calls} | ${LABEL[c]} | ${fmt(x.rps.median)} | ${fmt(x.rps.min)}–${fmt(x.rps.max)} | ${ms(x.p50.median)} | ${ms(x.p99.median)} | ${fmt(x.cpuUs.median)} |`);
}
md.push('', '## Throughput ratios (journey-api-wasm ÷ other, paired per round)', '');
md.push('req/s ratio: median (min–max) of the per-round ratios. CPU ratio: other client\'s CPU per call ÷ journey-api-wasm\'s (above 1 = journey-api-wasm uses less CPU per call).', '');
md.push('| workload | req/s vs plain fetch | req/s vs official SDK | req/s vs node:http | CPU/call: fetch ÷ ours | official ÷ ours | node:http ÷ ours |', '|---|---:|---:|---:|---:|---:|---:|');
const rf = (s) => `${fmt(s.median, 2)}x (${fmt(s.min, 2)}–${fmt(s.max, 2)})`;
for (const w of WORKLOADS) { const r = workloads[w].ratios, q = workloads[w].cpuRatios; md.push(`| ${w} | ${rf(r.oursVsFetch)} | ${rf(r.oursVsOfficial)} | ${rf(r.oursVsHttp)} | ${fmt(q.fetch, 2)} | ${fmt(q.official, 2)} | ${fmt(q.http, 2)} |`); }
md.push('', '## Validation failure (journey-api-wasm only)', '');
md.push(`\`postJourneySegments({ body: { displayName: "x", color: "red" } })\`, ${fmt(invalid.calls)} calls per run × ${RUNS} runs.`, '');
md.push('| calls rejected | rejected with ValidationError | requests seen by the server | calls/s median | p50 µs |', '|---:|---:|---:|---:|---:|');
md.push(`| ${fmt(invalid.rejected)} / ${fmt(invalid.calls * RUNS)} | ${fmt(invalid.rejected - invalid.notValidationError)} | **${invalid.serverRequests}** | ${fmt(invalid.rps.median)} | ${fmt(invalid.p50.median * 1000, 1)} |`);
if (invalid.sampleError) md.push('', `Non-ValidationError rejection seen: \`${invalid.sampleError}\``);
md.push('', '## Import + init (Node, fresh process each run)', '');
md.push(`${IMPORT_RUNS} processes per client. "import+init" = \`await import(pkg)\` (or \`require(pkg)\`) + creating ApiClient/JourneyApi (ours instantiates its wasm synchronously during the import); "since process start" = \`performance.now()\` (origin: process start) when that is done.`, '');
md.push('| client | import+init ms median (min–max) | CPU during import+init ms median | since process start ms median (min–max) | peak RSS MiB |', '|---|---:|---:|---:|---:|');
for (const c of ['none', 'ours', 'ours-cjs', 'official', 'fetch', 'http']) {
  const x = imports[c];
  md.push(`| ${LABEL[c]} | ${ms(x.importInitMs.median)} (${ms(x.importInitMs.min)}–${ms(x.importInitMs.max)}) | ${ms(x.importCpuMs.median)} | ${ms(x.sinceProcessStartMs.median)} (${ms(x.sinceProcessStartMs.min)}–${ms(x.sinceProcessStartMs.max)}) | ${MiB(x.maxRSSKiB.median)} |`);
}
md.push('', '## Peak RSS of the workload processes', '');
md.push('| client | peak RSS MiB median (min–max) |', '|---|---:|');
for (const c of CLIENTS) md.push(`| ${LABEL[c]} | ${MiB(peakRss[c].median)} (${MiB(peakRss[c].min)}–${MiB(peakRss[c].max)}) |`);
const WARM = memory.defaults.ours?.warmupCalls ?? 0;
md.push('', `## Memory over ${fmt(MEM.memCalls)} sequential listing calls (\`--expose-gc\`, gc() twice before each sample)`, '');
md.push(`Each client in a fresh process: ${fmt(WARM)} warm-up calls (the 20 % every workload gets), then ${fmt(MEM.memCalls)} measured calls. Two passes. ` +
  `**Node defaults**: as a user would run it; peak RSS and flatness are judged here. **Young generation fixed**: every client started with ` +
  `\`--min-semi-space-size=${semiSpaceMiB}\`, the largest young generation (${semiSpaceMiB} MiB per semi-space) the first pass reached. With Node's defaults V8 ` +
  `doubles the young generation in steps (each when the bytes surviving its scavenges since the last step add up to its size) and RSS jumps when it does, ` +
  `at a point that depends on how much a client allocates per call; the second pass takes that out, so what is left is the client's own.`, '');
md.push(`MiB; every figure is over the measured calls (sample 0 = the end of the warm-up). "trend" = growth of the least-squares line through the RSS samples; ` +
  `"first → last ${fmt(MEM.memWindow)}" = mean RSS of the samples in the last ${fmt(MEM.memWindow)} calls minus that of the first ${fmt(MEM.memWindow)}; "range" = lowest–highest sample.`, '');
const B = (b) => fmt(b / 2 ** 20, 1);
const sg = (b) => `${b >= 0 ? '+' : ''}${B(b)}`;
for (const [pass, title] of [['defaults', 'Node defaults'], ['fixedYoung', `young generation fixed (\`--min-semi-space-size=${semiSpaceMiB}\`)`]]) {
  const mm = memory[pass];
  md.push('', `### ${title}`, '');
  md.push(`| client | peak RSS | RSS at 0 | RSS after ${fmt(MEM.memCalls)} | trend | first → last ${fmt(MEM.memWindow)} | range | heapUsed 0 → ${fmt(MEM.memCalls)} | young generation 0 → ${fmt(MEM.memCalls)} | heapTotal 0 → ${fmt(MEM.memCalls)} |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [c, m] of Object.entries(mm)) {
    md.push(`| ${LABEL[c]} | ${MiB(m.maxRSSKiB)} | ${B(m.rssAtStart)} | ${B(m.rssAtEnd)} | ${sg(m.trendGrowth)} | ${sg(m.firstVsLastWindow)} | ${B(m.rssMin)}–${B(m.rssMax)} | ` +
      `${B(m.heapAtStart)} → ${B(m.heapAtEnd)} | ${B(m.newSpaceAtStart)} → ${B(m.newSpaceAtEnd)} | ${B(m.heapTotalAtStart)} → ${B(m.heapTotalAtEnd)} |`);
  }
  md.push('', `RSS samples (MiB) every ${fmt(MEM.memEvery)} calls, from ${fmt(-WARM)} (warm-up) to ${fmt(MEM.memCalls)}:`, '');
  for (const [c, m] of Object.entries(mm)) md.push(`- ${LABEL[c]}: ${m.samples.map((x) => B(x.rss)).join(', ')}`);
  md.push('', 'Young generation (MiB, both semi-spaces), same points:', '');
  for (const [c, m] of Object.entries(mm)) md.push(`- ${LABEL[c]}: ${m.samples.map((x) => B(x.newSpace)).join(', ')}`);
  const wm = mm.ours?.samples.filter((x) => x.wasmMemory !== null) ?? [];
  if (wm.length) md.push('', `journey-api-wasm's wasm linear memory (it never shrinks; a leak would show here): ${[...new Set(wm.map((x) => B(x.wasmMemory)))].join(' → ')} MiB ` +
    `(after ${fmt(wm[0].calls)} calls: ${B(wm[0].wasmMemory)}, after ${fmt(wm[wm.length - 1].calls)}: ${B(wm[wm.length - 1].wasmMemory)}).`);
}
if (size) md.push('', size.markdown);
if (browser) md.push('', browser.markdown);
md.push('', '## Budgets', '', budgetsTable(result.budgets));
const markdown = md.join('\n') + '\n';

fs.mkdirSync(RESULTS, { recursive: true });
fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
fs.writeFileSync(path.join(RESULTS, 'latest.md'), markdown);
process.stdout.write(markdown);
log(`wrote bench/results/latest.json and latest.md in ${result.durationSec} s`);
