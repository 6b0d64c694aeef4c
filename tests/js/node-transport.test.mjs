// The package's node:http transport (the default in Node) on what a real server and network do
// that the emulator does not: compressed bodies, byte-order marks and characters split across
// chunks, redirects to another origin, connections that break mid-body, stalled bodies, and
// keep-alive connections that must not keep the process running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedPackage, importPackage } from './harness.mjs';

const SEGMENT = { id: 'seg-1', displayName: 'Café ☕ — 日本', version: 3, unknownField: { kept: true } };
let dir, pkg, server, base, other, otherBase, otherRequests = 0;
/** Per-path behaviour of the test server: (req, res, body) => void. */
const routes = new Map();
const received = [];

function listen(srv) {
  return new Promise((ok) => srv.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${srv.address().port}`)));
}

before(async () => {
  dir = installPackedPackage();
  pkg = await importPackage(dir);
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      const route = routes.get(req.url.split('?')[0].split('/').pop());
      if (route) return route(req, res, body);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no route"}');
    });
  });
  server.keepAliveTimeout = 60_000; // idle keep-alive connections stay open on the server side
  base = await listen(server);
  other = http.createServer((req, res) => { otherRequests++; res.end('{}'); });
  otherBase = await listen(other);
});

after(() => {
  server?.closeAllConnections();
  server?.close();
  other?.close();
});

function api(options) {
  const c = new pkg.ApiClient(options);
  c.setEnvironment(base);
  c.setAccessToken('secret-token');
  return new pkg.JourneyApi(c);
}

const json = (value) => Buffer.from(JSON.stringify(value));

test('gzip, deflate and br bodies are decompressed; the request asks for them', async () => {
  const encoders = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync };
  for (const [encoding, encode] of Object.entries(encoders)) {
    routes.set(`z-${encoding}`, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding }).end(encode(json(SEGMENT)));
    });
    const segment = await api().getJourneySegment(`z-${encoding}`);
    assert.deepEqual(segment, SEGMENT, encoding);
  }
  assert.match(received.at(-1).headers['accept-encoding'], /gzip/);
  routes.set('z-broken', (req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip'));
  await assert.rejects(api().getJourneySegment('z-broken', { maxRetries: 0 }), pkg.ConnectionError);
  // decompressed while it arrives: a gzip body in 7-byte pieces, then one cut short
  const packed = zlib.gzipSync(json(SEGMENT));
  const drip = (bytes) => (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    (function write(i) {
      if (i >= bytes.length) return res.end();
      res.write(bytes.subarray(i, i + 7), () => write(i + 7));
    })(0);
  };
  routes.set('z-drip', drip(packed));
  assert.deepEqual(await api().getJourneySegment('z-drip'), SEGMENT);
  routes.set('z-short', drip(packed.subarray(0, packed.length >> 1)));
  await assert.rejects(api().getJourneySegment('z-short', { maxRetries: 0 }), (e) => e instanceof pkg.ConnectionError && /decompress/.test(e.message));
  // an empty body labelled gzip is empty, not a zlib error: a 204 succeeds, a 200 for JSON is a DecodeError
  routes.set('z-empty', (req, res) => res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-encoding': 'gzip' }).end());
  assert.equal(await api().deleteJourneySegment('z-empty'), undefined);
  await assert.rejects(api().getJourneySegment('z-empty', { maxRetries: 0 }), pkg.DecodeError);
});

test('a byte-order mark is dropped and characters split across chunks are decoded', async () => {
  routes.set('bom', (req, res) => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(SEGMENT)]);
    res.writeHead(200, { 'content-type': 'application/json' });
    // one byte per write: every multi-byte character arrives split
    (function write(i) {
      if (i === bytes.length) return res.end();
      res.write(bytes.subarray(i, i + 1), () => write(i + 1));
    })(0);
  });
  assert.deepEqual(await api().getJourneySegment('bom'), SEGMENT);
});

test('a body is sent byte for byte with its UTF-8 length', async () => {
  routes.set('segments', (req, res, body) => {
    res.writeHead(201, { 'content-type': 'application/json' }).end(body);
  });
  const body = { displayName: 'Café ☕ — 日本', color: '#336699', isActive: true };
  const created = await api().postJourneySegments({ body });
  assert.deepEqual(created, body);
  const sent = received.at(-1);
  assert.equal(sent.body.toString('utf8'), JSON.stringify(body));
  assert.equal(Number(sent.headers['content-length']), Buffer.byteLength(JSON.stringify(body)));
  assert.equal(sent.headers['content-type'], 'application/json');
  assert.equal(sent.headers.authorization, 'Bearer secret-token');
});

test('a redirect to another origin is not followed, so the token stays home', async () => {
  routes.set('moved', (req, res) => res.writeHead(302, { location: `${otherBase}/api/v2/journey/segments/moved` }).end());
  const e = await api().getJourneySegment('moved').then(() => assert.fail('resolved'), (x) => x);
  assert.ok(e instanceof pkg.ApiError, e.message);
  assert.equal(e.status, 302);
  assert.equal(otherRequests, 0);
  assert.ok(!JSON.stringify(e).includes('secret-token') && !e.message.includes('secret-token'));
});

test('a connection that breaks mid-body is a ConnectionError, and a read retries it', async () => {
  let calls = 0;
  routes.set('cut', (req, res) => {
    calls++;
    const full = json(SEGMENT);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': full.length });
    if (calls % 2 === 1) {
      res.write(full.subarray(0, 10), () => res.socket.destroy());
    } else {
      res.end(full);
    }
  });
  await assert.rejects(api().getJourneySegment('cut', { maxRetries: 0 }), pkg.ConnectionError);
  calls = 0;
  assert.deepEqual(await api().getJourneySegment('cut', { maxRetries: 1 }), SEGMENT);
  assert.equal(calls, 2);
});

test('a body that stalls hits the timeout, or the caller aborts it', async () => {
  routes.set('stall', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id":');
    setTimeout(() => res.destroyed || res.end('"late"}'), 3000).unref();
  });
  const started = Date.now();
  const e = await api().getJourneySegment('stall', { timeout: 150, maxRetries: 0 }).then(() => assert.fail('resolved'), (x) => x);
  assert.ok(e instanceof pkg.TimeoutError, `${e.name}: ${e.message}`);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(api().getJourneySegment('stall', { signal: controller.signal }), pkg.AbortError);
  assert.ok(Date.now() - started < 2000);
  routes.set('ok', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json(SEGMENT)));
  assert.deepEqual(await api().getJourneySegment('ok'), SEGMENT);
});

test('the Node transport enforces the timeout itself; with Node\'s fetch the core brings an AbortController', async () => {
  routes.set('ok', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json(SEGMENT)));
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original { constructor() { super(); made++; } };
  try {
    assert.deepEqual(await api().getJourneySegment('ok'), SEGMENT);
    assert.equal(made, 0);
    const c = new pkg.ApiClient();
    c.setEnvironment(base);
    c.setFetch(globalThis.fetch);
    assert.deepEqual(await new pkg.JourneyApi(c).getJourneySegment('ok'), SEGMENT);
    assert.ok(made >= 1);
  } finally {
    globalThis.AbortController = Original;
  }
});

/** Runs `source` as an ES module in the consumer project, in a child process; resolves to { code, text }. */
async function runChild(source, nodeArgs = []) {
  const script = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, source);
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [...nodeArgs, script], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    const kill = setTimeout(() => { child.kill(); fail(new Error('the process did not exit within 10 s')); }, 10_000);
    child.on('exit', (code) => { clearTimeout(kill); ok({ code, text }); });
  });
}

const ONE_CALL = (extra = '') => `import { ApiClient, JourneyApi, ready } from 'journey-api-wasm';
${extra}
const c = new ApiClient(); c.setEnvironment(${JSON.stringify(base)}); c.setAccessToken('t');
const s = await new JourneyApi(c).getJourneySegment('ok');
console.log(s.id);\n`;

test('open keep-alive connections do not keep a Node process alive', async () => {
  routes.set('ok', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json(SEGMENT)));
  const started = Date.now();
  const out = await runChild(ONE_CALL());
  assert.equal(out.code, 0);
  assert.equal(out.text.trim(), 'seg-1');
  assert.ok(Date.now() - started < 5000);
});

test('without process.getBuiltinModule (Node before 20.16) the wasm loads on the first call and requests work', async () => {
  routes.set('ok', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(json(SEGMENT)));
  const hide = `data:text/javascript,${encodeURIComponent('delete process.getBuiltinModule;')}`;
  const out = await runChild(ONE_CALL("if (typeof process.getBuiltinModule !== 'undefined') throw new Error('not hidden');"), ['--import', hide]);
  assert.equal(out.code, 0);
  assert.equal(out.text.trim(), 'seg-1');
  const gz = await runChild(`import { ApiClient, JourneyApi } from 'journey-api-wasm';
const c = new ApiClient(); c.setEnvironment(${JSON.stringify(base)}); c.setAccessToken('t');
console.log((await new JourneyApi(c).getJourneySegment('z-gzip')).id);\n`, ['--import', hide]);
  assert.equal(gz.text.trim(), 'seg-1');
});
