// Budgets of issue 4 and their evaluation against a run's results.
import { fmt } from './setup.mjs';

export const LIMITS = {
  packageGzipBytes: 61440, // 60 KB = 60 × 1024 bytes: .wasm + JS glue/façade, gzip -9
  bundleVsOfficial: 0.5, // minimal browser app bundle (JS + .wasm, gzip) ≤ 1/2 of the official SDK's
  vsFetch: 0.95, // listing throughput ≥ 0.95 × plain fetch (sequential and concurrency 16)
  vsOfficial: 1.3, // listing throughput ≥ 1.3 × official SDK
  importInitMs: 15, // import + instantiate in Node
  rssVsFetchKiB: 10 * 1024, // peak RSS over the listing calls within 10 MiB of plain fetch
  // "flat": the least-squares line through the RSS samples (gc() first) of the measured calls, after the same 20 %
  // warm-up as every workload, rises ≤ 2 MiB. Single samples swing by several MiB either way, so comparing just two
  // of them proves little; the first and last thousand calls' means are reported beside it.
  flatGrowthBytes: 2 * 2 ** 20,
};

export function evaluateBudgets(r) {
  const b = [];
  const add = (name, met, measured, limit) => b.push({ name, met, measured, limit });
  if (r.size) {
    const g = r.size.ours.packageGzip;
    add('package (.wasm + JS glue/façade) gzip', g <= LIMITS.packageGzipBytes, `${fmt(g)} B`, `≤ ${fmt(LIMITS.packageGzipBytes)} B (60 KB)`);
    const o = r.size.apps.ours.totalGzip, s = r.size.apps.official.totalGzip;
    add('minimal browser app bundle vs official SDK (gzip, JS + .wasm)', o <= s * LIMITS.bundleVsOfficial,
      `${fmt(o)} B vs ${fmt(s)} B = ${fmt(o / s, 3)}x`, `≤ 0.5x`);
  }
  for (const [w, label] of [['listSequential', 'sequential'], ['listConcurrent16', 'concurrency 16']]) {
    const x = r.workloads?.[w]?.ratios;
    if (!x) continue;
    add(`listing throughput ${label} vs plain fetch`, x.oursVsFetch.median >= LIMITS.vsFetch,
      `${fmt(x.oursVsFetch.median, 2)}x (runs ${fmt(x.oursVsFetch.min, 2)}–${fmt(x.oursVsFetch.max, 2)})`, `≥ ${LIMITS.vsFetch}x`);
    add(`listing throughput ${label} vs official SDK`, x.oursVsOfficial.median >= LIMITS.vsOfficial,
      `${fmt(x.oursVsOfficial.median, 2)}x (runs ${fmt(x.oursVsOfficial.min, 2)}–${fmt(x.oursVsOfficial.max, 2)})`, `≥ ${LIMITS.vsOfficial}x`);
  }
  if (r.imports?.ours) {
    const x = r.imports.ours.importInitMs;
    add('import + instantiate (Node)', x.median < LIMITS.importInitMs,
      `${fmt(x.median, 2)} ms median (${fmt(x.min, 2)}–${fmt(x.max, 2)})`, `< ${LIMITS.importInitMs} ms`);
  }
  const md = r.memory?.defaults, mf = r.memory?.fixedYoung;
  const sg = (b) => `${b >= 0 ? '+' : ''}${fmt(b / 2 ** 20, 1)} MiB`;
  if (md?.ours && md?.fetch) {
    const o = md.ours, f = md.fetch, h = md.http;
    const d = o.maxRSSKiB - f.maxRSSKiB;
    add(`peak RSS over ${fmt(o.calls)} listing calls vs plain fetch`, d <= LIMITS.rssVsFetchKiB,
      `${fmt(o.maxRSSKiB / 1024, 1)} MiB vs ${fmt(f.maxRSSKiB / 1024, 1)} MiB (${d >= 0 ? '+' : ''}${fmt(d / 1024, 1)} MiB)`, '≤ +10 MiB');
    add(`RSS flat over ${fmt(o.calls)} listing calls (after ${fmt(o.warmupCalls)} warm-up calls)`, r.quick ? null : o.trendGrowth <= LIMITS.flatGrowthBytes,
      `trend ${sg(o.trendGrowth)}; first → last ${fmt(o.window)} calls ${sg(o.firstVsLastWindow)} ` +
      `(plain fetch: trend ${sg(f.trendGrowth)}; node:http: ${h ? sg(h.trendGrowth) : '?'})`, 'trend ≤ +2 MiB');
  }
  if (mf?.ours && mf?.fetch) {
    // the same question asked of journey-api-wasm's own memory, with V8's young-generation steps taken out:
    // RSS drift beyond plain fetch's, JS heap, wasm memory
    const o = mf.ours, f = mf.fetch;
    const wm = o.samples.filter((x) => x.wasmMemory != null && x.calls >= 0);
    const wasmGrowth = wm.length ? wm[wm.length - 1].wasmMemory - wm[0].wasmMemory : null;
    const heapGrowth = o.heapGrowth - f.heapGrowth;
    const ok = o.trendGrowth - f.trendGrowth <= LIMITS.flatGrowthBytes && (wasmGrowth === null || wasmGrowth === 0) && heapGrowth <= LIMITS.flatGrowthBytes;
    add(`no growth attributable to journey-api-wasm over ${fmt(o.calls)} listing calls (young generation fixed at ${r.memory.semiSpaceMiB} MiB)`, r.quick ? null : ok,
      `RSS trend ${sg(o.trendGrowth)} (plain fetch ${sg(f.trendGrowth)}); heapUsed ${sg(o.heapGrowth)} (fetch ${sg(f.heapGrowth)}); ` +
      `wasm linear memory ${wasmGrowth === null ? 'not seen' : sg(wasmGrowth)} (${wm.length ? fmt(wm[0].wasmMemory / 2 ** 20, 1) : '?'} MiB)`,
      'RSS and heapUsed each ≤ +2 MiB beyond plain fetch, wasm memory +0');
  }
  return b;
}

export function budgetsTable(budgets) {
  const rows = ['| budget | measured | limit | met? |', '|---|---|---|---|'];
  for (const x of budgets) rows.push(`| ${x.name} | ${x.measured} | ${x.limit} | ${x.met === null ? 'not judged (quick mode: too few calls, RSS still climbing to its plateau for every client)' : x.met ? 'yes' : '**NO**'} |`);
  return rows.join('\n');
}
