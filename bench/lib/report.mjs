// Budgets of issue 4 and their evaluation against a run's results.
import { fmt } from './setup.mjs';

export const LIMITS = {
  packageGzipBytes: 61440, // 60 KB = 60 × 1024 bytes: .wasm + JS glue/façade, gzip -9
  bundleVsOfficial: 0.5, // minimal browser app bundle (JS + .wasm, gzip) ≤ 1/2 of the official SDK's
  vsFetch: 0.95, // listing throughput ≥ 0.95 × plain fetch (sequential and concurrency 16)
  vsOfficial: 1.3, // listing throughput ≥ 1.3 × official SDK
  importInitMs: 15, // import + instantiate in Node
  rssVsFetchKiB: 10 * 1024, // peak RSS over the listing calls within 10 MiB of plain fetch
  // "flat": the least-squares line through the RSS samples (gc() first) from 1,000 calls to the end rises ≤ 2 MiB,
  // in the pass where V8's young generation starts at its full size (run.mjs says why). Single samples swing by
  // several MiB either way, so comparing just two of them (also reported) proves little.
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
  if (md?.ours && md?.fetch) {
    const d = md.ours.maxRSSKiB - md.fetch.maxRSSKiB;
    add(`peak RSS over ${fmt(md.ours.calls)} listing calls vs plain fetch (Node defaults)`, d <= LIMITS.rssVsFetchKiB,
      `${fmt(md.ours.maxRSSKiB / 1024, 1)} MiB vs ${fmt(md.fetch.maxRSSKiB / 1024, 1)} MiB (${d >= 0 ? '+' : ''}${fmt(d / 1024, 1)} MiB)`, '≤ +10 MiB');
  }
  if (mf?.ours && mf?.fetch) {
    const o = mf.ours, f = mf.fetch, od = md?.ours, h = md?.http;
    const sg = (b) => `${b >= 0 ? '+' : ''}${fmt(b / 2 ** 20, 1)} MiB`;
    add(`RSS flat over ${fmt(o.calls)} listing calls (young generation fixed at ${r.memory.semiSpaceMiB} MiB)`, r.quick ? null : o.trendGrowth <= LIMITS.flatGrowthBytes,
      `trend ${sg(o.trendGrowth)} from ${fmt(o.firstCalls)} to ${fmt(o.calls)} calls; first → last ${fmt(o.firstCalls)} calls ${sg(o.firstVsLastThousand)} ` +
      `(plain fetch: trend ${sg(f.trendGrowth)}). With Node's defaults: trend ${od ? sg(od.trendGrowth) : '?'}, node:http ${h ? sg(h.trendGrowth) : '?'} ` +
      `(young generation ${od ? fmt(od.newSpaceAfterFirst / 2 ** 20, 0) : '?'} → ${od ? fmt(od.newSpaceAfterLast / 2 ** 20, 0) : '?'} MiB)`,
      'trend ≤ +2 MiB');
    // the same question asked of journey-api-wasm's own memory: RSS drift beyond plain fetch's, JS heap, wasm memory
    const wm = o.samples.filter((x) => x.wasmMemory != null && x.calls >= o.firstCalls);
    const wasmGrowth = wm.length ? wm[wm.length - 1].wasmMemory - wm[0].wasmMemory : null;
    const heapGrowth = o.heapGrowth - f.heapGrowth;
    const ok = o.trendGrowth - f.trendGrowth <= LIMITS.flatGrowthBytes && (wasmGrowth === null || wasmGrowth === 0) && heapGrowth <= LIMITS.flatGrowthBytes;
    add(`no growth attributable to journey-api-wasm over ${fmt(o.calls)} listing calls (young generation fixed)`, r.quick ? null : ok,
      `RSS trend ${sg(o.trendGrowth - f.trendGrowth)} beyond plain fetch's; heapUsed ${sg(o.heapGrowth)} (fetch ${sg(f.heapGrowth)}); ` +
      `wasm linear memory ${wasmGrowth === null ? 'not seen' : sg(wasmGrowth)} (${wm.length ? fmt(wm[0].wasmMemory / 2 ** 20, 1) : '?'} MiB)`,
      'each ≤ +2 MiB, wasm memory +0');
  }
  return b;
}

export function budgetsTable(budgets) {
  const rows = ['| budget | measured | limit | met? |', '|---|---|---|---|'];
  for (const x of budgets) rows.push(`| ${x.name} | ${x.measured} | ${x.limit} | ${x.met === null ? 'not judged (quick mode: too few calls, RSS still climbing to its plateau for every client)' : x.met ? 'yes' : '**NO**'} |`);
  return rows.join('\n');
}
