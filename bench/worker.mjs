// One benchmark child process. Started by run.mjs, one client per process:
//   node worker.mjs import   <client>   time from process start to "import + init done"
//   node worker.mjs serve    <client>   the request workloads, in blocks the parent asks for on stdin (config: env BENCH_CFG)
//   node --expose-gc worker.mjs memory <client>   RSS over many listing calls
// <client>: ours (journey-api-wasm; ours-cjs = the same through require(); ours-fetch = on Node's fetch) | official (purecloud-platform-client-v2) | fetch | http | none
// Prints one JSON line on stdout. Only node built-ins are imported before the client under test.
const T_START = performance.now(); // ms since performance.timeOrigin (process start)

const [mode, clientName] = process.argv.slice(2);
const cfg = JSON.parse(process.env.BENCH_CFG || '{}');
const BASE = cfg.baseUrl || 'http://127.0.0.1:1';
const TOKEN = 't';

async function loadClient(name) {
  switch (name) {
    case 'ours':
    case 'ours-fetch':
    case 'ours-cjs': {
      const m = name === 'ours-cjs' ? (await import('node:module')).createRequire(import.meta.url)('journey-api-wasm')
        : await import('journey-api-wasm');
      const client = new m.ApiClient();
      // the package's default transport in Node is node:http; ours-fetch measures it on Node's fetch instead
      if (name === 'ours-fetch') client.setFetch(globalThis.fetch);
      client.setEnvironment(BASE);
      client.setAccessToken(TOKEN);
      const api = new m.JourneyApi(client);
      return {
        list: () => api.getJourneySegments({ pageSize: 100 }),
        get: (id) => api.getJourneySegment(id),
        agg: (body) => api.postAnalyticsJourneysAggregatesQuery(body),
        createInvalid: () => api.postJourneySegments({ body: { displayName: 'x', color: 'red' } }),
        ValidationError: m.ValidationError,
      };
    }
    case 'official': {
      const mod = await import('purecloud-platform-client-v2');
      const platformClient = mod.default || mod;
      const client = platformClient.ApiClient.instance;
      // setEnvironment() always builds `https://api.<env>` (it strips http:// and https://), so a plain-http
      // loopback server is reached through the SDK's public gateway override instead:
      const u = new URL(BASE);
      client.setGateway({ host: u.hostname, port: Number(u.port), protocol: u.protocol.replace(':', '') });
      client.setAccessToken(TOKEN);
      const api = new platformClient.JourneyApi();
      return {
        list: () => api.getJourneySegments({ pageSize: 100 }),
        get: (id) => api.getJourneySegment(id),
        agg: (body) => api.postAnalyticsJourneysAggregatesQuery(body),
      };
    }
    case 'fetch': {
      const H = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
      const HP = { ...H, 'content-type': 'application/json' };
      const get = async (url) => {
        const r = await fetch(url, { headers: H });
        const text = await r.text();
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return JSON.parse(text);
      };
      return {
        list: () => get(`${BASE}/api/v2/journey/segments?pageSize=100`),
        get: (id) => get(`${BASE}/api/v2/journey/segments/${encodeURIComponent(id)}`),
        agg: async (body) => {
          const r = await fetch(`${BASE}/api/v2/analytics/journeys/aggregates/query`, { method: 'POST', headers: HP, body: JSON.stringify(body) });
          const text = await r.text();
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return JSON.parse(text);
        },
      };
    }
    case 'http': {
      const http = await import('node:http');
      const agent = new http.Agent({ keepAlive: true });
      const u = new URL(BASE);
      const call = (method, path, body) => new Promise((resolve, reject) => {
        const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };
        let payload;
        if (body !== undefined) { payload = Buffer.from(JSON.stringify(body)); headers['content-type'] = 'application/json'; headers['content-length'] = payload.length; }
        const req = http.request({ host: u.hostname, port: u.port, method, path, headers, agent }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode < 200 || res.statusCode > 299) return reject(new Error(`HTTP ${res.statusCode}`));
            try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch (e) { reject(e); }
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
      return {
        list: () => call('GET', '/api/v2/journey/segments?pageSize=100'),
        get: (id) => call('GET', `/api/v2/journey/segments/${encodeURIComponent(id)}`),
        agg: (body) => call('POST', '/api/v2/analytics/journeys/aggregates/query', body),
      };
    }
    case 'none':
      return {};
    default:
      throw new Error(`unknown client ${name}`);
  }
}

// ---------------------------------------------------------------- measuring
function sortedStats(lat, wallMs) {
  const s = Float64Array.from(lat).sort();
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { n: s.length, wallMs, rps: (s.length * 1000) / wallMs, p50: q(0.5), p99: q(0.99), min: s[0], max: s[s.length - 1] };
}

/** n calls of fn, `conc` at a time (each worker loops sequentially); per-call latency in ms. */
async function timed(n, conc, fn) {
  const lat = new Float64Array(n);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const a = performance.now();
      await fn(i);
      lat[i] = performance.now() - a;
    }
  };
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // CPU time of this client process (all threads) per call: what the library costs, much less sensitive than
  // wall time to other load on the machine
  return { ...sortedStats(lat, wall), cpuUsPerCall: (c.user + c.system) / n, lat };
}

async function serverStats() {
  const r = await fetch(`${BASE}/__bench/stats`);
  return r.json();
}

function check(cond, msg) { if (!cond) throw new Error(`${clientName}: unexpected response: ${msg}`); }

/** The request workloads: name → [calls per run, concurrency, one call]. */
function workloadPlan(c) {
  const n = cfg.n;
  return {
    listSequential: [n.list, 1, () => c.list()],
    listConcurrent16: [n.listConc, 16, () => c.list()],
    getSegment: [n.get, 1, () => c.get(cfg.segmentId)],
    aggregatesQuery: [n.agg, 1, () => c.agg(cfg.aggregatesQuery)],
  };
}

/** Correctness first: every client must return the same data. Then a warm-up of every workload. */
async function prepare(c) {
  const listing = await c.list();
  check(listing && Array.isArray(listing.entities) && listing.entities.length === 100 && listing.total === 1234, 'listing');
  const one = await c.get(cfg.segmentId);
  check(one && one.id === cfg.segmentId && one.context && one.journey, 'segment');
  const agg = await c.agg(cfg.aggregatesQuery);
  check(agg && Array.isArray(agg.results) && agg.results.length === 20, 'aggregates');
  for (const [count, conc, fn] of Object.values(workloadPlan(c))) {
    await timed(Math.max(1, Math.round(count * cfg.warmupFraction)), conc, fn); // not counted
  }
}

/**
 * Interleaved mode: the parent keeps one process per client alive and sends blocks of calls to
 * them in turn ({"workload":..., "n":...} per stdin line, one reply line each), so every client
 * is measured in the same minutes of the machine's life; {"done":true} ends it with the totals.
 */
async function serve(c) {
  await prepare(c);
  const plan = workloadPlan(c);
  const blocks = {};
  process.stdout.write('{"ready":true}\n');
  const rl = (await import('node:readline')).createInterface({ input: process.stdin });
  for await (const line of rl) {
    const cmd = JSON.parse(line);
    if (cmd.done) break;
    const [, conc, fn] = plan[cmd.workload];
    const r = await timed(cmd.n, conc, fn);
    (blocks[cmd.workload] ??= []).push(r);
    process.stdout.write(`${JSON.stringify({ workload: cmd.workload, rps: r.rps, cpuUsPerCall: r.cpuUsPerCall })}\n`);
  }
  rl.close();
  const out = {};
  for (const [name, rs] of Object.entries(blocks)) {
    const wall = rs.reduce((a, r) => a + r.wallMs, 0);
    const lat = rs.flatMap((r) => Array.from(r.lat));
    out[name] = { ...sortedStats(lat, wall), cpuUsPerCall: rs.reduce((a, r) => a + r.cpuUsPerCall * r.n, 0) / lat.length };
  }
  if (c.createInvalid) out.createInvalid = await invalidCreates(c);
  return out;
}

/** A create whose body fails validation: it must reject before any request is sent. */
async function invalidCreates(c) {
  const n = cfg.n.invalid;
  let rejected = 0, wrongType = 0, sample = null;
  const fn = async () => {
    try { await c.createInvalid(); } catch (e) {
      rejected++;
      if (!(c.ValidationError && e instanceof c.ValidationError)) { wrongType++; sample ??= String(e && (e.message || e)); }
      return;
    }
  };
  await timed(Math.max(1, Math.round(n * cfg.warmupFraction)), 1, fn);
  const before = (await serverStats()).requests;
  rejected = 0; wrongType = 0;
  const r = await timed(n, 1, fn);
  const after = (await serverStats()).requests;
  delete r.lat;
  return { ...r, serverRequests: after - before, rejected, notValidationError: wrongType, sampleError: sample };
}

async function memory(c) {
  const v8 = await import('node:v8');
  const total = cfg.memCalls;
  const every = cfg.memEvery;
  const samples = [];
  const sample = (calls) => {
    globalThis.gc(); globalThis.gc();
    const m = process.memoryUsage();
    // newSpace: V8's young generation (both semi-spaces); it grows in steps, which moves RSS without any leak
    const newSpace = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? null;
    samples.push({ calls, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, newSpace, external: m.external, arrayBuffers: m.arrayBuffers, wasmMemory: globalThis.__benchWasmMemory() });
  };
  // the same warm-up share as every timed workload; its samples carry negative call numbers
  const warm = Math.round(total * cfg.warmupFraction / every) * every;
  sample(-warm);
  for (let i = 1 - warm; i <= total; i++) {
    const l = await c.list();
    if (i === 1 - warm) check(l.entities.length === 100, 'listing');
    if (i % every === 0) sample(i);
  }
  return { calls: total, warmupCalls: warm, samples, maxRSSKiB: process.resourceUsage().maxRSS };
}

try {
  // memory mode: note the wasm instance's linear memory (wasm memory never shrinks, so growth here is a real leak
  // or high-water mark, unlike RSS which swings with the allocator)
  let wasmMemory = null;
  if (mode === 'memory') {
    const Orig = WebAssembly.Instance;
    const isOurs = (i) => i && i.exports && i.exports.memory && Object.keys(i.exports).some((k) => k.startsWith('__wbindgen')); // not undici's llhttp
    WebAssembly.Instance = new Proxy(Orig, { construct(t, a) { const i = Reflect.construct(t, a); if (isOurs(i)) wasmMemory = i.exports.memory; return i; } });
    const origInst = WebAssembly.instantiate;
    WebAssembly.instantiate = async (...a) => { const r = await origInst(...a); const i = r.instance || r; if (isOurs(i)) wasmMemory = i.exports.memory; return r; };
  }
  globalThis.__benchWasmMemory = () => (wasmMemory ? wasmMemory.buffer.byteLength : null);
  const C_BEFORE = process.cpuUsage();
  const T_BEFORE = performance.now();
  const client = await loadClient(clientName);
  const T_READY = performance.now();
  const C_IMPORT = process.cpuUsage(C_BEFORE);
  let result = { client: clientName, mode };
  if (mode === 'import') {
    result = { ...result, bootMs: T_START, importInitMs: T_READY - T_BEFORE, importCpuMs: (C_IMPORT.user + C_IMPORT.system) / 1000, sinceProcessStartMs: T_READY, maxRSSKiB: process.resourceUsage().maxRSS };
  } else if (mode === 'serve') {
    result.workloads = await serve(client);
    result.maxRSSKiB = process.resourceUsage().maxRSS;
  } else if (mode === 'memory') {
    if (typeof globalThis.gc !== 'function') throw new Error('memory mode needs --expose-gc');
    result = { ...result, ...(await memory(client)) };
  } else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
} catch (e) {
  process.stderr.write(`worker ${mode} ${clientName} failed: ${e && e.stack || e}\n`);
  process.exit(1);
}
