#!/usr/bin/env node
// The listing workload in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// journey-api-wasm, served as static files and imported as an ES module by the page (import map), vs plain
// fetch + JSON.parse in the same kind of page. Sequential and concurrency 16, requests/s and the ratio.
// Also loads the two minimal-app bundles built by size.mjs (if present) and checks they list the segments.
// node bench/browser.mjs [--quick] [--runs N] [--json] [--no-install]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { startServer } from './server.mjs';
import { BENCH, TMP, OURS, installOurs, ensureBenchDeps, resolveExport, spread, fmt, log } from './lib/setup.mjs';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const RUNS = opt('--runs', 5);
const N = QUICK ? { seq: 60, conc: 160 } : { seq: 400, conc: 800 };
const BLOCKS = QUICK ? 2 : 10; // one-page runs: blocks per client and workload
const ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

const PAGE = (entry) => `<!doctype html>
<html><head><meta charset="utf-8"><title>journey bench</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports: { [OURS]: `/pkg/${entry.replace(/^\.\//, '')}` } })}</script>
<script type="module">
const base = location.origin;
const clients = {
  async ours() {
    const t0 = performance.now();
    const { ApiClient, JourneyApi } = await import(${JSON.stringify(OURS)});
    const c = new ApiClient(); c.setEnvironment(base); c.setAccessToken('t');
    const api = new JourneyApi(c);
    return { importMs: performance.now() - t0, list: () => api.getJourneySegments({ pageSize: 100 }) };
  },
  async fetch() {
    const H = { authorization: 'Bearer t', accept: 'application/json' };
    return { importMs: 0, list: async () => {
      const r = await fetch(base + '/api/v2/journey/segments?pageSize=100', { headers: H });
      const t = await r.text();
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return JSON.parse(t);
    } };
  },
};
async function timed(n, conc, fn) {
  const lat = new Float64Array(n); let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(conc, n) }, async () => {
    while (next < n) { const i = next++; const a = performance.now(); const l = await fn(); lat[i] = performance.now() - a;
      if (l.entities.length !== 100) throw new Error('bad listing'); }
  }));
  return figures(n, performance.now() - t0, lat);
}
function figures(n, wallMs, lat) {
  lat.sort();
  const q = (p) => lat[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  return { n, wallMs, rps: n * 1000 / wallMs, p50: q(0.5), p99: q(0.99), lat };
}
const strip = ({ lat, ...rest }) => rest;
window.runBench = async (name, n) => {
  const c = await clients[name]();
  const t = performance.now(); await c.list(); const firstCallMs = performance.now() - t;
  const warm = Math.max(5, Math.round(n.seq * 0.2));
  await timed(warm, 1, c.list);
  const seq = strip(await timed(n.seq, 1, c.list));
  await timed(warm, 16, c.list);
  const conc = strip(await timed(n.conc, 16, c.list));
  return { importMs: c.importMs, firstCallMs, seq, conc };
};
// Both clients in one page, taking turns block by block (order flipped every block), so that both
// see the same minutes of a noisy machine; each client's blocks are merged into one figure.
window.runInterleaved = async (n, blocks) => {
  const cs = { ours: await clients.ours(), fetch: await clients.fetch() };
  const warm = Math.max(5, Math.round(n.seq * 0.2));
  for (const c of Object.values(cs)) { await timed(warm, 1, c.list); await timed(warm, 16, c.list); }
  const out = { ours: {}, fetch: {} };
  for (const [k, conc] of [['seq', 1], ['conc', 16]]) {
    const parts = { ours: [], fetch: [] };
    for (let b = 0; b < blocks; b++) {
      for (const name of b % 2 ? ['fetch', 'ours'] : ['ours', 'fetch']) parts[name].push(await timed(Math.round(n[k] / blocks), conc, cs[name].list));
    }
    for (const [name, ps] of Object.entries(parts)) {
      const lat = new Float64Array(ps.reduce((a, x) => a + x.n, 0)); let i = 0;
      for (const x of ps) { lat.set(x.lat, i); i += x.n; }
      out[name][k] = strip(figures(lat.length, ps.reduce((a, x) => a + x.wallMs, 0), lat));
    }
  }
  return out;
};
document.title = 'ready';
// without a DevTools client (Chromium started directly): run from the query string, POST the figures back
const qs = new URLSearchParams(location.search);
if (qs.get('client')) {
  let body;
  const n = JSON.parse(qs.get('n'));
  try { body = { ok: true, result: qs.get('client') === 'interleaved' ? await window.runInterleaved(n, Number(qs.get('blocks'))) : await window.runBench(qs.get('client'), n) }; }
  catch (e) { body = { ok: false, error: String(e && e.stack || e) }; }
  await fetch('/__bench/result', { method: 'POST', body: JSON.stringify(body) });
}
</script></head><body></body></html>`;

export async function runBrowser({ install = true } = {}) {
  if (install) installOurs(); else ensureBenchDeps();
  const dir = path.join(BENCH, 'node_modules', OURS);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = resolveExport(pj, '.', ['browser', 'import', 'default']);
  if (!entry) throw new Error(`${OURS}: no browser/import entry in its exports map`);
  const pageDir = path.join(TMP, 'browser');
  fs.mkdirSync(pageDir, { recursive: true });
  fs.writeFileSync(path.join(pageDir, 'index.html'), PAGE(entry));
  const bundles = path.join(TMP, 'bundles');
  for (const name of ['ours', 'official']) {
    if (fs.existsSync(path.join(bundles, name, `${name}.js`))) {
      fs.writeFileSync(path.join(bundles, name, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>loading</title><link rel="icon" href="data:,">` +
        `<script>globalThis.JOURNEY_API_BASE = location.origin;</script><script type="module" src="./${name}.js"></script></head><body></body></html>`);
    }
  }
  let pending = null;
  const server = await startServer({
    statics: { '/pkg/': dir, '/bundles/': bundles, '/': pageDir },
    onResult: (body) => { if (pending) pending(body); },
  });
  const errors = [];
  const summarize = (res) => {
    const sum = (name, k) => ({ rps: spread(res[name].map((x) => x[k].rps)), p50: spread(res[name].map((x) => x[k].p50)), p99: spread(res[name].map((x) => x[k].p99)) });
    const ratio = (k) => spread(res.ours.map((x, i) => x[k].rps / res.fetch[i][k].rps));
    return {
      ours: { seq: sum('ours', 'seq'), conc: sum('ours', 'conc'), ...(res.ours[0].firstCallMs === undefined ? {} : { importMs: spread(res.ours.map((x) => x.importMs)), firstCallMs: spread(res.ours.map((x) => x.firstCallMs)) }) },
      fetch: { seq: sum('fetch', 'seq'), conc: sum('fetch', 'conc'), ...(res.fetch[0].firstCallMs === undefined ? {} : { firstCallMs: spread(res.fetch.map((x) => x.firstCallMs)) }) },
      ratio: { seq: ratio('seq'), conc: ratio('conc') },
    };
  };

  // A. Chromium started directly, no DevTools client attached (Playwright's network instrumentation costs about
  //    half the throughput of a 110 KB fetch loop on this machine); the page runs the workload from its query
  //    string and POSTs its figures to the server.
  const profiles = path.join(TMP, 'chromium-profiles');
  fs.rmSync(profiles, { recursive: true, force: true, maxRetries: 5 });
  fs.mkdirSync(profiles, { recursive: true });
  /** One fresh Chromium process on the page with `query`; resolves to the figures the page posts back. */
  const runDirect = async (query) => {
    const udd = fs.mkdtempSync(path.join(profiles, 'p-'));
    const got = new Promise((resolve) => { pending = resolve; });
    const url = `${server.url}/index.html?${new URLSearchParams({ ...query, n: JSON.stringify(N) })}`;
    const proc = spawn('/usr/bin/chromium', [...ARGS, '--headless=new', `--user-data-dir=${udd}`, '--remote-debugging-port=0', url], { stdio: 'ignore' });
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    let timer;
    const body = await Promise.race([got, exited.then(() => ({ ok: false, error: 'chromium exited' })),
      new Promise((resolve) => { timer = setTimeout(() => resolve({ ok: false, error: 'timeout (120 s)' }), 120_000); })]);
    clearTimeout(timer);
    pending = null;
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (!body || !body.ok) throw new Error(`browser run (${JSON.stringify(query)}, no DevTools client) failed: ${body && body.error}`);
    return body.result;
  };
  const direct = { ours: [], fetch: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const name of r % 2 ? ['fetch', 'ours'] : ['ours', 'fetch']) direct[name].push(await runDirect({ client: name }));
    log(`browser round ${r + 1}/${RUNS} (no DevTools client) done`);
  }
  // A2. The same, both clients in one page taking turns block by block.
  const interleaved = { ours: [], fetch: [] };
  for (let r = 0; r < RUNS; r++) {
    const x = await runDirect({ client: 'interleaved', blocks: String(BLOCKS) });
    interleaved.ours.push(x.ours); interleaved.fetch.push(x.fetch);
  }
  log(`browser: ${RUNS} pages with both clients interleaved done`);
  try { fs.rmSync(profiles, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch {}

  // B. The same page driven by Playwright (CDP attached), plus the minimal-app bundles from size.mjs.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const res = { ours: [], fetch: [] };
  const smoke = {};
  try {
    const version = browser.version();
    const newPage = async (url) => {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(url);
      return { ctx, page };
    };
    for (let r = 0; r < RUNS; r++) {
      for (const name of r % 2 ? ['fetch', 'ours'] : ['ours', 'fetch']) {
        const { ctx, page } = await newPage(`${server.url}/index.html`);
        await page.waitForFunction(() => document.title === 'ready');
        res[name].push(await page.evaluate(([nm, n]) => window.runBench(nm, n), [name, N]));
        await ctx.close();
      }
      log(`browser round ${r + 1}/${RUNS} (Playwright) done`);
    }
    for (const name of ['ours', 'official']) {
      if (!fs.existsSync(path.join(bundles, name, 'index.html'))) continue;
      const t = Date.now();
      const { ctx, page } = await newPage(`${server.url}/bundles/${name}/index.html`);
      try {
        await page.waitForFunction(() => document.title !== 'loading', null, { timeout: 20_000 });
        smoke[name] = { title: await page.title(), items: await page.locator('li').count(), ms: Date.now() - t };
      } catch (e) { smoke[name] = { error: e.message.split('\n')[0] }; }
      await ctx.close();
    }
    const out = {
      chromium: version, runs: RUNS, calls: N,
      direct: summarize(direct),
      interleaved: summarize(interleaved), blocks: BLOCKS,
      playwright: summarize(res),
      bundleSmoke: smoke,
      errors,
      serverStats: server.stats(),
    };
    out.markdown = browserMarkdown(out);
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

export function browserMarkdown(b) {
  const f = (s, d = 0) => `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`;
  const md = ['## Browser (headless Chromium)', ''];
  md.push(`${b.chromium ? `Chromium ${b.chromium}` : 'Chromium'} (flags ${ARGS.map((a) => `\`${a}\``).join(' ')}), page and API on the same origin (127.0.0.1, HTTP/1.1); ` +
    `journey-api-wasm is imported by the page as an ES module (import map → its installed \`${OURS}\` files, browser entry, lazy wasm instantiation). ` +
    `${b.runs} runs per client, alternating; median (min–max). Three ways of driving the page: **direct** = Chromium started with the page URL and no DevTools ` +
    `client attached, one process per client and run, the page POSTs its figures back; **direct, one page** = the same, both clients in one page taking turns ` +
    `in ${b.blocks} blocks per workload (order flipped every block), so that both see the same seconds of the machine (the ratio to quote); ` +
    `**Playwright** = the page driven through playwright-core, whose network instrumentation slows every request of both clients.`, '');
  md.push('| driver | workload | calls/run | client | req/s | p50 ms | p99 ms |', '|---|---|---:|---|---:|---:|---:|');
  for (const [drv, label0] of [['direct', 'direct'], ['interleaved', 'direct, one page'], ['playwright', 'Playwright']]) {
    const d = b[drv];
    if (!d) continue;
    for (const [k, label, n] of [['seq', 'listing, sequential', b.calls.seq], ['conc', 'listing, concurrency 16', b.calls.conc]]) {
      for (const [c, name] of [['ours', 'journey-api-wasm'], ['fetch', 'plain fetch']]) {
        md.push(`| ${label0} | ${label} | ${n} | ${name} | ${f(d[c][k].rps)} | ${fmt(d[c][k].p50.median, 2)} | ${fmt(d[c][k].p99.median, 2)} |`);
      }
      md.push(`| ${label0} | ${label} | | **journey-api-wasm ÷ fetch** | **${f(d.ratio[k], 2)}x** | | |`);
    }
  }
  const d = b.direct;
  md.push('', `First call in a fresh page (direct): journey-api-wasm ${fmt(d.ours.firstCallMs.median, 1)} ms, which includes the lazy wasm instantiation ` +
    `(plus ${fmt(d.ours.importMs.median, 1)} ms for the module import before it); plain fetch ${fmt(d.fetch.firstCallMs.median, 1)} ms.`);
  const sm = Object.entries(b.bundleSmoke).map(([k, v]) => `${k === 'ours' ? 'journey-api-wasm' : 'official SDK'}: ${v.error ? `FAILED (${v.error})` : `"${v.title}", ${v.items} items in ${v.ms} ms`}`);
  if (sm.length) md.push('', `Minimal-app bundles from size.mjs loaded in Chromium: ${sm.join('; ')}.`);
  if (b.errors.length) md.push('', `Page errors: ${[...new Set(b.errors)].slice(0, 5).map((e) => `\`${e}\``).join('; ')}`);
  return md.join('\n');
}

if (path.resolve(process.argv[1] || '') === fileURLToPath(import.meta.url)) {
  const out = await runBrowser({ install: !args.includes('--no-install') });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(out) + '\n');
  else process.stdout.write(out.markdown + '\n');
}
