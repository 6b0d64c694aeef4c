// Local Journey API stand-in for the benchmarks.
//
// node:http on 127.0.0.1, port 0 (or --port N). Fixed, deterministic, realistic
// responses generated once at start-up:
//   GET  /api/v2/journey/segments                     SegmentListing, 100 JourneySegments (~100 KB)
//   GET  /api/v2/journey/segments/{id}                one JourneySegment (404 ErrorBody for unknown ids)
//   POST /api/v2/journey/segments                     201 JourneySegment
//   POST /api/v2/analytics/journeys/aggregates/query  JourneyAggregateQueryResponse, 20 groups
// Any `Authorization: Bearer <anything>` is accepted; no token gives 401 ErrorBody.
// CORS: Access-Control-Allow-Origin *, preflight (OPTIONS) answered with 204.
// Every API request is counted; GET /__bench/stats returns the counters (not counted itself),
// POST /__bench/reset zeroes them, POST /__bench/result hands a JSON body to onResult(). Optional static file roots serve the browser bench.
//
// Usage as a module: const s = await startServer({ statics: { '/pkg/': dir } }); s.url; s.stats(); await s.close();
// Usage as a command: node bench/server.mjs [--port 8787]   (prints the URL)

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------- fixtures
// mulberry32: small deterministic PRNG so the fixtures are byte-identical on every run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeFixtures(seed = 20260815) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (arr) => arr[int(arr.length)];
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
  const date = (base) => new Date(base + int(400 * 86400) * 1000).toISOString();
  const OPS = ['containsAll', 'containsAny', 'notContainsAll', 'notContainsAny', 'equal', 'notEqual',
    'greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual', 'startsWith', 'endsWith'];
  const CONTEXT_KEYS = {
    'device.category': ['desktop', 'mobile', 'tablet', 'other'],
    'device.type': ['Computer', 'Smartphone', 'Tablet'],
    'geolocation.countryName': ['United States', 'Ireland', 'Germany', 'Japan', 'Australia', 'Brazil', 'Canada'],
    'geolocation.postalCode': ['10001', '94105', 'D02 X285', '80331', '100-0001', '2000'],
    'referrer.medium': ['search', 'social', 'email', 'direct', 'paid'],
    'mktCampaign.source': ['google', 'newsletter', 'facebook', 'linkedin', 'bing'],
    'browser.family': ['Chrome', 'Firefox', 'Safari', 'Edge'],
  };
  const JOURNEY_KEYS = {
    'page.url': ['https://www.example.com/pricing', 'https://www.example.com/checkout', '/cart', '/support/contact',
      'https://shop.example.com/products/', '/account/settings', '/blog/'],
    'page.title': ['Pricing', 'Checkout', 'Your cart', 'Contact support', 'Product details', 'Order status'],
    'page.hostname': ['www.example.com', 'shop.example.com', 'support.example.com'],
    'attributes.cartValue.value': ['100', '250', '500', '1000'],
    'attributes.productCategory.value': ['electronics', 'garden', 'books', 'sports', 'home'],
    'search.query': ['refund', 'cancel subscription', 'delivery time', 'warranty'],
  };
  const ADJ = ['High-value', 'Returning', 'New', 'Engaged', 'At-risk', 'Mobile', 'International', 'Loyal', 'Window', 'Bargain'];
  const NOUN = ['shoppers', 'visitors', 'customers', 'browsers', 'prospects', 'subscribers', 'buyers', 'readers'];
  const PLACE = ['on pricing page', 'in checkout', 'from campaign', 'with full cart', 'after support search', 'in EMEA', 'in APAC'];
  const criterion = (keys, withEntity) => {
    const key = pick(Object.keys(keys));
    const vals = keys[key];
    const values = Array.from({ length: 1 + int(3) }, () => pick(vals));
    const c = { key, values: [...new Set(values)], shouldIgnoreCase: rnd() < 0.7, operator: pick(OPS) };
    if (withEntity) c.entityType = 'visit';
    return c;
  };
  const created0 = Date.UTC(2023, 0, 1);
  const segment = () => {
    const id = uuid();
    const createdDate = date(created0);
    const modifiedDate = new Date(Date.parse(createdDate) + int(300 * 86400) * 1000).toISOString();
    const streamType = pick(['Web', 'Web', 'Web', 'App', 'Custom', 'Conversation']);
    const s = {
      id,
      isActive: rnd() < 0.8,
      displayName: `${pick(ADJ)} ${pick(NOUN)} ${pick(PLACE)} #${1 + int(999)}`,
      version: 1 + int(40),
      description: `Segment for ${pick(NOUN)} who ${pick(['viewed', 'abandoned', 'revisited', 'searched'])} ` +
        `${pick(['pricing', 'the cart', 'support pages', 'product pages'])} ${1 + int(5)} or more times within a session.`,
      color: `#${hex(6)}`,
      scope: rnd() < 0.6 ? 'Session' : 'Customer',
      shouldDisplayToAgent: rnd() < 0.5,
      context: {
        patterns: Array.from({ length: 1 }, () => ({
          criteria: Array.from({ length: 1 + int(2) }, () => criterion(CONTEXT_KEYS, true)),
        })),
      },
      journey: {
        patterns: Array.from({ length: 1 + int(2) }, () => {
          const p = {
            criteria: Array.from({ length: 1 + int(2) }, () => criterion(JOURNEY_KEYS, false)),
            count: 1 + int(5),
            streamType,
            sessionType: streamType === 'App' ? 'app' : streamType === 'Web' ? 'web' : 'custom',
          };
          if (streamType !== 'Web') p.eventName = pick(['app_opened', 'add_to_cart', 'form_submitted', 'chat_requested']);
          return p;
        }),
      },
    };
    if (rnd() < 0.25) {
      s.externalSegment = { id: `aep-${hex(10)}`, name: `AEP audience ${1 + int(500)}`, source: rnd() < 0.7 ? 'AdobeExperiencePlatform' : 'Custom' };
    }
    if (rnd() < 0.6) s.assignmentExpirationDays = 1 + int(90);
    s.selfUri = `/api/v2/journey/segments/${id}`;
    s.createdDate = createdDate;
    s.modifiedDate = modifiedDate;
    return s;
  };
  const segments = Array.from({ length: 100 }, segment);
  const base = '/api/v2/journey/segments?pageSize=100';
  const listing = {
    entities: segments,
    pageSize: 100,
    pageNumber: 1,
    total: 1234,
    firstUri: `${base}&pageNumber=1`,
    nextUri: `${base}&pageNumber=2`,
    lastUri: `${base}&pageNumber=13`,
    selfUri: `${base}&pageNumber=1`,
    pageCount: 13,
  };

  // Aggregates: 20 groups (segment x device category), 7 daily intervals, 3 metrics each.
  const METRICS = ['nJourneySessions', 'nJourneySegmentsAssigned', 'oJourneyOutcomeValue'];
  const aggregatesQuery = {
    interval: '2026-08-01T00:00:00.000Z/2026-08-08T00:00:00.000Z',
    granularity: 'P1D',
    timeZone: 'UTC',
    groupBy: ['journeySegmentId', 'journeyDeviceCategory'],
    metrics: METRICS,
    filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'journeySessionType', operator: 'matches', value: 'web' }] },
  };
  const results = [];
  for (let g = 0; g < 20; g++) {
    const data = [];
    for (let d = 0; d < 7; d++) {
      const start = new Date(Date.UTC(2026, 7, 1 + d)).toISOString();
      const end = new Date(Date.UTC(2026, 7, 2 + d)).toISOString();
      const count = 50 + int(5000);
      data.push({
        interval: `${start}/${end}`,
        metrics: [
          { metric: 'nJourneySessions', stats: { count } },
          { metric: 'nJourneySegmentsAssigned', stats: { count: int(count) } },
          { metric: 'oJourneyOutcomeValue', stats: { max: 500 + int(5000), min: int(50), count: int(200), sum: Math.round(rnd() * 1e7) / 100 } },
        ],
      });
    }
    results.push({
      // 10 segments x 2 device categories = 20 distinct groups
      group: { journeySegmentId: segments[g % 10].id, journeyDeviceCategory: g < 10 ? 'desktop' : 'mobile' },
      data,
    });
  }
  const aggregates = { results };

  return { segments, listing, aggregatesQuery, aggregates };
}

// ---------------------------------------------------------------- server
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css',
  '.map': 'application/json', '.ts': 'text/plain; charset=utf-8',
};
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, purecloud-sdk, ininsessionid, x-requested-with',
  'access-control-expose-headers': 'inin-correlation-id, retry-after',
  'access-control-max-age': '600',
};

export async function startServer({ port = 0, host = '127.0.0.1', statics = {}, fixtures = makeFixtures(), onResult = null } = {}) {
  const json = (obj) => Buffer.from(JSON.stringify(obj));
  const listingBuf = json(fixtures.listing);
  const segBufs = new Map(fixtures.segments.map((s) => [s.id, json(s)]));
  const aggBuf = json(fixtures.aggregates);
  const createdBuf = json(fixtures.segments[0]);
  const err = (status, code, message) => json({ message, code, status, messageWithParams: message, messageParams: {}, contextId: '00000000-0000-4000-8000-000000000000', details: [], errors: [] });
  const unauthorized = err(401, 'bad.credentials', 'No authentication bearer token specified in authorization header.');
  const notFound = err(404, 'not.found', 'The requested resource was not found.');
  const counts = { requests: 0, preflight: 0, static: 0, byRoute: {} };
  let corr = 0;
  const staticRoots = Object.entries(statics).sort((a, b) => b[0].length - a[0].length);

  const send = (res, status, buf, type = 'application/json') => {
    res.writeHead(status, {
      ...CORS,
      'content-type': type,
      'content-length': buf.length,
      'inin-correlation-id': `bench-${(++corr).toString(16)}`,
    });
    res.end(buf);
  };
  const count = (route) => {
    counts.requests++;
    counts.byRoute[route] = (counts.byRoute[route] || 0) + 1;
  };
  const drain = (req, cb) => {
    // read (and discard) the request body before answering, as a real server would
    req.on('data', () => {});
    req.on('end', cb);
  };

  const server = http.createServer((req, res) => {
    const q = req.url.indexOf('?');
    const p = q === -1 ? req.url : req.url.slice(0, q);
    if (req.method === 'OPTIONS') {
      counts.preflight++;
      res.writeHead(204, CORS);
      return res.end();
    }
    if (p === '/__bench/stats') return send(res, 200, json(counts));
    if (p === '/__bench/reset' && req.method === 'POST') {
      counts.requests = 0; counts.preflight = 0; counts.static = 0; counts.byRoute = {};
      return drain(req, () => send(res, 200, json(counts)));
    }
    if (p === '/__bench/result' && req.method === 'POST') {
      // a browser page that runs without a DevTools client reports its figures here
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        let body = null;
        try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch {}
        send(res, 204, Buffer.alloc(0));
        if (onResult) onResult(body);
      });
      return;
    }
    if (p.startsWith('/api/')) {
      const auth = req.headers.authorization;
      if (!auth || !/^bearer\s+\S/i.test(auth)) {
        count('unauthorized');
        return drain(req, () => send(res, 401, unauthorized));
      }
      if (p === '/api/v2/journey/segments') {
        if (req.method === 'GET') { count('listSegments'); return send(res, 200, listingBuf); }
        if (req.method === 'POST') { count('createSegment'); return drain(req, () => send(res, 201, createdBuf)); }
      }
      if (p.startsWith('/api/v2/journey/segments/') && req.method === 'GET') {
        count('getSegment');
        const buf = segBufs.get(decodeURIComponent(p.slice('/api/v2/journey/segments/'.length)));
        return send(res, buf ? 200 : 404, buf || notFound);
      }
      if (p === '/api/v2/analytics/journeys/aggregates/query' && req.method === 'POST') {
        count('aggregatesQuery');
        return drain(req, () => send(res, 200, aggBuf));
      }
      count('notFound');
      return drain(req, () => send(res, 404, notFound));
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      for (const [prefix, dir] of staticRoots) {
        if (!p.startsWith(prefix)) continue;
        const rel = decodeURIComponent(p.slice(prefix.length)) || 'index.html';
        const file = path.resolve(dir, rel);
        if (!file.startsWith(path.resolve(dir) + path.sep)) break;
        let buf;
        try { buf = fs.readFileSync(file); } catch { break; }
        counts.static++;
        return send(res, 200, buf, MIME[path.extname(file)] || 'application/octet-stream');
      }
    }
    return send(res, 404, notFound);
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); });
  const addr = server.address();
  const url = `http://${host}:${addr.port}`;
  return {
    url,
    port: addr.port,
    fixtures,
    sizes: { listing: listingBuf.length, segment: segBufs.get(fixtures.segments[0].id).length, aggregates: aggBuf.length },
    stats: () => JSON.parse(JSON.stringify(counts)),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const s = await startServer({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  console.log(`journey bench server on ${s.url}  (listing ${s.sizes.listing} B, segment ${s.sizes.segment} B, aggregates ${s.sizes.aggregates} B)`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
