// The packed npm package, installed into a fresh project and imported by its name, against the
// local emulator: every endpoint, every error class, retries, timeouts, aborts, pagination, and
// the module still working after each failure.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { installPackedPackage, importPackage, requirePackage, startEmulator } from './harness.mjs';

const TOKEN = 'test-token';
// package-fetch.test.mjs runs this suite again with Node's own fetch as every client's transport.
const GLOBAL_FETCH = process.env.JOURNEY_TEST_TRANSPORT === 'fetch';
let dir, pkg, emu, api, client;

/** A client on the transport under test. */
function newClient(mod = pkg) {
  const c = new mod.ApiClient();
  if (GLOBAL_FETCH) c.setFetch(globalThis.fetch);
  return c;
}

before(async () => {
  dir = installPackedPackage();
  pkg = await importPackage(dir);
  emu = await startEmulator([TOKEN]);
  client = newClient();
  client.setEnvironment(emu.url);
  client.setAccessToken(TOKEN);
  api = new pkg.JourneyApi(client);
});

after(async () => {
  await emu?.stop();
});

/** A call that must work: proves the module is alive after whatever the test did. */
async function stillWorks() {
  const listing = await api.getJourneySegments({ pageSize: 1 });
  assert.equal(listing.entities.length, 1);
}

async function rejects(promise, cls) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e?.name}: ${e?.message}`);
    assert.ok(e instanceof pkg.JourneyApiError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, cls.name);
    return e;
  }
  assert.fail(`expected ${cls.name}, but the call succeeded`);
}

const NEW_SEGMENT = {
  displayName: 'Returning mobile visitors',
  description: 'Created by the package tests',
  color: '#3366ff',
  isActive: true,
  shouldDisplayToAgent: false,
  context: { patterns: [{ criteria: [{ key: 'device.category', values: ['mobile'], operator: 'equal', shouldIgnoreCase: true, entityType: 'visit' }] }] },
  journey: { patterns: [{ criteria: [{ key: 'page.url', values: ['/pricing'], operator: 'containsAny', shouldIgnoreCase: true }], count: 2, streamType: 'Web', sessionType: 'web' }] },
};

describe('loading', () => {
  test('ESM import needs no init call and exposes the official names', () => {
    for (const name of ['ApiClient', 'JourneyApi', 'ApiError', 'ValidationError', 'PureCloudRegionHosts', 'ready']) {
      assert.ok(name in pkg, name);
    }
    assert.equal(Object.keys(pkg.PureCloudRegionHosts).length, 18);
    assert.equal(pkg.PureCloudRegionHosts.eu_west_1, 'mypurecloud.ie');
  });

  test('require() works too', async () => {
    const cjs = requirePackage(dir);
    const c = newClient(cjs);
    c.setEnvironment(emu.url);
    c.setAccessToken(TOKEN);
    const listing = await new cjs.JourneyApi(c).getJourneySegments({ pageSize: 2 });
    assert.equal(listing.entities.length, 2);
  });

  test('import and require() share one instance: same classes, same default client', () => {
    const cjs = requirePackage(dir);
    assert.equal(cjs.ApiClient, pkg.ApiClient);
    assert.equal(cjs.ValidationError, pkg.ValidationError);
    assert.equal(cjs.ApiClient.instance, pkg.ApiClient.instance);
  });

  test(`requests go through ${GLOBAL_FETCH ? "Node's fetch, as set with setFetch" : 'the built-in node:http transport, not the global fetch'}`, async () => {
    const original = globalThis.fetch;
    let seen = 0;
    globalThis.fetch = (...a) => { seen++; return original(...a); };
    try {
      const c = newClient(); // with GLOBAL_FETCH, it takes the counting wrapper
      c.setEnvironment(emu.url);
      c.setAccessToken(TOKEN);
      await new pkg.JourneyApi(c).getJourneySegments({ pageSize: 1 });
    } finally {
      globalThis.fetch = original;
    }
    assert.equal(seen, GLOBAL_FETCH ? 1 : 0);
  });

  test('setFetch takes a function, or null for the default', async () => {
    const c = new pkg.ApiClient();
    assert.throws(() => c.setFetch('fetch'), (e) => e instanceof pkg.ValidationError && e.field === 'fetch');
    let seen = 0;
    c.setFetch((url, init) => { seen++; return globalThis.fetch(url, init); });
    c.setEnvironment(emu.url);
    c.setAccessToken(TOKEN);
    await new pkg.JourneyApi(c).getJourneySegments({ pageSize: 1 });
    assert.equal(seen, 1);
    c.setFetch(null);
    await new pkg.JourneyApi(c).getJourneySegments({ pageSize: 1 });
    assert.equal(seen, 1);
  });

  test('ApiClient.instance is the shared default', async () => {
    assert.equal(pkg.ApiClient.instance, pkg.ApiClient.instance);
    assert.equal(new pkg.JourneyApi().apiClient, pkg.ApiClient.instance);
  });

  test('setEnvironment accepts the official forms and refuses nonsense at once', () => {
    const c = new pkg.ApiClient();
    for (const env of [pkg.PureCloudRegionHosts.eu_west_1, 'api.mypurecloud.ie', 'https://api.mypurecloud.ie', 'http://127.0.0.1:9']) {
      c.setEnvironment(env);
    }
    const e = assert.throws(() => c.setEnvironment('ftp://nope'), pkg.ValidationError);
    assert.throws(() => c.configure({ timeout: -1 }), (err) => err instanceof pkg.ValidationError && err.field === 'options.timeout');
    assert.throws(() => c.configure(5), (err) => err instanceof pkg.ValidationError && err.field === 'options');
    assert.throws(() => new pkg.ApiClient(null), pkg.ValidationError);
    void e;
  });
});

describe('segments', () => {
  test('list, with paging fields filled by the server', async () => {
    const listing = await api.getJourneySegments({ pageSize: 5, pageNumber: 2, sortBy: 'displayName' });
    assert.equal(listing.pageSize, 5);
    assert.equal(listing.pageNumber, 2);
    assert.equal(listing.entities.length, 5);
    assert.ok(listing.total > 10);
    assert.equal(listing.pageCount, Math.ceil(listing.total / 5));
    const names = listing.entities.map((s) => s.displayName);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  });

  test('list by ids, and by fuzzy query', async () => {
    const first = await api.getJourneySegments({ pageSize: 3 });
    const ids = first.entities.map((s) => s.id);
    const byIds = await api.getJourneySegments({ segmentIds: ids });
    assert.deepEqual(byIds.entities.map((s) => s.id).sort(), [...ids].sort());
    const word = first.entities[0].displayName.split(' ')[0];
    const found = await api.getJourneySegments({ queryFields: ['displayName'], queryValue: word.toLowerCase() });
    assert.ok(found.entities.some((s) => s.id === ids[0]));
  });

  test('create, get, patch with version, stale patch conflicts, delete', async () => {
    const created = await api.postJourneySegments({ body: NEW_SEGMENT });
    assert.equal(created.displayName, NEW_SEGMENT.displayName);
    assert.equal(created.version, 1);
    assert.ok(created.id && created.selfUri && created.createdDate);

    const got = await api.getJourneySegment(created.id);
    assert.deepEqual(got, created);

    const patched = await api.patchJourneySegment(created.id, { body: { version: created.version, description: 'patched' } });
    assert.equal(patched.description, 'patched');
    assert.equal(patched.version, 2);

    const conflict = await rejects(api.patchJourneySegment(created.id, { body: { version: 1, description: 'stale' } }), pkg.ConflictError);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.kind, 'conflict');
    assert.ok(conflict.correlationId, 'correlation id from the response header');

    assert.equal(await api.deleteJourneySegment(created.id), undefined);
    const gone = await rejects(api.getJourneySegment(created.id), pkg.NotFoundError);
    assert.equal(gone.status, 404);
    assert.match(gone.message, /^404 /);
    assert.equal(gone.operation, 'getJourneySegment');
    assert.equal(typeof gone.body, 'object');
  });

  test('the server validates too: an unknown sort field is a BadRequestError', async () => {
    const e = await rejects(api.getJourneySegments({ sortBy: 'noSuchField' }), pkg.BadRequestError);
    assert.equal(e.status, 400);
    assert.ok(e.code);
  });

  test('segments() iterates every page lazily', async () => {
    const { total } = await api.getJourneySegments({ pageSize: 1 });
    const seen = new Set();
    for await (const s of api.segments({ pageSize: 7 })) seen.add(s.id);
    assert.equal(seen.size, total);
    let n = 0;
    for await (const s of api.segments({ pageSize: 2 })) {
      assert.ok(s.id);
      if (++n === 3) break;
    }
    const active = [];
    for await (const s of api.segments({ isActive: true, pageSize: 10 })) active.push(s);
    assert.ok(active.length > 0 && active.every((s) => s.isActive === true));
  });
});

describe('action targets (deprecated in the spec, still served)', () => {
  test('list, get, patch, and iterate', async () => {
    const listing = await api.getJourneyActiontargets({ pageSize: 3 });
    assert.ok(listing.entities.length > 0);
    const target = await api.getJourneyActiontarget(listing.entities[0].id);
    assert.equal(target.id, listing.entities[0].id);
    const patched = await api.patchJourneyActiontarget(target.id, { body: { name: `${target.name} (tested)`, serviceLevel: { percentage: 0.8, durationMs: 20000 } } });
    assert.equal(patched.name, `${target.name} (tested)`);
    const all = [];
    for await (const t of api.actionTargets({ pageSize: 2 })) all.push(t.id);
    assert.equal(all.length, listing.total);
  });
});

describe('aggregates', () => {
  test('a query grouped by segment over the last 7 days', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 7 * 864e5);
    const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');
    const result = await api.postAnalyticsJourneysAggregatesQuery({
      interval: `${iso(start)}/${iso(end)}`,
      groupBy: ['journeySegmentId'],
      metrics: ['nJourneySessions', 'nJourneySegmentsAssigned'],
    });
    assert.ok(Array.isArray(result.results) && result.results.length > 0);
    const grouped = result.results.filter((r) => r.group);
    assert.ok(grouped.length > 0);
    for (const r of grouped) assert.ok(r.group.journeySegmentId);
  });

  test('a bad query is refused before sending', async () => {
    const e = await rejects(api.postAnalyticsJourneysAggregatesQuery({ interval: 'last week', metrics: ['nJourneySessions'] }), pkg.ValidationError);
    assert.equal(e.field, 'body.interval');
  });
});

describe('errors and resilience', () => {
  test('validation names the field and sends nothing', async () => {
    const e = await rejects(api.postJourneySegments({ body: { ...NEW_SEGMENT, color: 'blue' } }), pkg.ValidationError);
    assert.equal(e.field, 'body.color');
    const f = await rejects(api.getJourneySegments({ segmentIds: ['a'], pageSize: 5 }), pkg.ValidationError);
    assert.equal(f.field, 'opts.segmentIds');
    await stillWorks();
  });

  test('an unknown token is an AuthenticationError, and the token is never in it', async () => {
    const c = newClient();
    c.setEnvironment(emu.url);
    c.setAccessToken('leaked-secret-value');
    const e = await rejects(new pkg.JourneyApi(c).getJourneySegments(), pkg.AuthenticationError);
    assert.equal(e.status, 401);
    const text = `${e.message} ${e.stack} ${JSON.stringify(e)} ${JSON.stringify(e.body)}`;
    assert.ok(!text.includes('leaked-secret-value'));
  });

  test('429 with Retry-After is waited for and retried', async () => {
    await emu.fault({ kind: 'rate_limit', count: 1, retryAfterSeconds: 1, pathPrefix: '/api/v2/journey/segments' });
    const started = Date.now();
    const listing = await api.getJourneySegments({ pageSize: 1 });
    assert.equal(listing.entities.length, 1);
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
  });

  test('429 past the retries is a RateLimitError with retryAfterMs', async () => {
    await emu.fault({ kind: 'rate_limit', count: 1, retryAfterSeconds: 2 });
    const e = await rejects(api.getJourneySegments({ maxRetries: 0 }), pkg.RateLimitError);
    assert.equal(e.retryAfterMs, 2000);
    assert.equal(e.status, 429);
  });

  test('503 on a read is retried; on a create it is not', async () => {
    await emu.fault({ kind: 'unavailable', count: 1 });
    await stillWorks();
    await emu.fault({ kind: 'unavailable', count: 1 });
    const e = await rejects(api.postJourneySegments({ body: { displayName: 'never created' } }), pkg.InternalServerError);
    assert.equal(e.status, 503);
    await emu.clearFaults();
  });

  test('HTML 502, empty 500 and malformed 200 each give a clear error', async () => {
    await emu.fault({ kind: 'bad_gateway_html', count: 1 });
    const html = await rejects(api.getJourneySegments({ maxRetries: 0 }), pkg.InternalServerError);
    assert.equal(html.message, '502 Bad Gateway (non-JSON body)');
    assert.equal(typeof html.body, 'string');
    await emu.fault({ kind: 'empty_500', count: 1 });
    const empty = await rejects(api.getJourneySegments(), pkg.InternalServerError);
    assert.equal(empty.message, '500 Internal Server Error (empty body)');
    await emu.fault({ kind: 'malformed_200', count: 1 });
    const bad = await rejects(api.getJourneySegments(), pkg.DecodeError);
    assert.equal(bad.operation, 'getJourneySegments');
    await stillWorks();
  });

  test('a dropped connection is a ConnectionError, and is retried on reads', async () => {
    await emu.fault({ kind: 'drop_connection', count: 1 });
    await rejects(api.getJourneySegments({ maxRetries: 0 }), pkg.ConnectionError);
    await emu.fault({ kind: 'drop_connection', count: 1 });
    await stillWorks();
    const c = newClient();
    c.setEnvironment('http://127.0.0.1:9');
    await rejects(new pkg.JourneyApi(c).getJourneySegments({ maxRetries: 0 }), pkg.ConnectionError);
  });

  test('a slow server hits the per-attempt timeout', async () => {
    await emu.fault({ kind: 'latency', count: 1, latencyMs: 2000 });
    const e = await rejects(api.getJourneySegments({ timeout: 200, maxRetries: 0 }), pkg.TimeoutError);
    assert.equal(e.timeoutMs, 200);
    await emu.clearFaults();
    await stillWorks();
  });

  test('an AbortSignal stops the call', async () => {
    await emu.fault({ kind: 'latency', count: 1, latencyMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await rejects(api.getJourneySegments({ signal: controller.signal }), pkg.AbortError);
    assert.ok(Date.now() - started < 1500);
    await rejects(api.getJourneySegments({ signal: AbortSignal.abort() }), pkg.AbortError);
    await emu.clearFaults();
    await stillWorks();
  });

  test('wrong-typed and hostile arguments never break the module', async () => {
    const cyclic = { displayName: 'x' };
    cyclic.self = cyclic;
    const attempts = [
      () => api.getJourneySegments(42),
      () => api.getJourneySegments({ pageSize: '10' }),
      () => api.getJourneySegment(null),
      () => api.getJourneySegment({ toString: () => 'x' }),
      () => api.postJourneySegments({ body: 'not an object' }),
      () => api.postJourneySegments({ body: cyclic }),
      () => api.postJourneySegments({ body: { displayName: 1n } }),
      () => api.postJourneySegments(),
      () => api.patchJourneySegment('id', { body: [] }),
      () => api.postAnalyticsJourneysAggregatesQuery(null),
      () => api.getJourneySegments({ customHeaders: { 'bad header': 'x' } }),
      () => api.getJourneySegments({ pageSize: 1e300 }),
    ];
    for (const attempt of attempts) {
      await rejects(attempt(), pkg.ValidationError);
      await stillWorks();
    }
  });
});

describe('extended responses (setReturnExtendedResponses, as in the official SDK)', () => {
  test('status, headers and correlation id around the body; iterators and errors unchanged', async () => {
    const c = newClient();
    c.setEnvironment(emu.url);
    c.setAccessToken(TOKEN);
    c.setReturnExtendedResponses(true);
    const extendedApi = new pkg.JourneyApi(c);
    const r = await extendedApi.getJourneySegments({ pageSize: 2 });
    assert.equal(r.status, 200);
    assert.equal(r.error, null);
    assert.equal(typeof r.statusText, 'string');
    assert.equal(r.body.entities.length, 2);
    assert.ok(r.correlationId);
    assert.equal(r.headers['inin-correlation-id'], r.correlationId);
    assert.match(r.headers['content-type'], /application\/json/);
    const created = await extendedApi.postJourneySegments({ body: { ...NEW_SEGMENT, displayName: `Extended ${Date.now()}` } });
    assert.equal(created.status, 201);
    const deleted = await extendedApi.deleteJourneySegment(created.body.id);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    let seen = 0;
    for await (const segment of extendedApi.segments({ pageSize: 7 })) {
      assert.ok(segment.id);
      if (++seen === 15) break;
    }
    assert.equal(seen, 15);
    await rejects(extendedApi.getJourneySegment('no-such-segment'), pkg.NotFoundError);
    c.setReturnExtendedResponses(false);
    assert.equal((await extendedApi.getJourneySegments({ pageSize: 1 })).entities.length, 1);
  });
});

describe('OAuth client credentials', () => {
  test('a granted token is used for the next calls; wrong credentials are refused', async () => {
    const c = newClient();
    c.setEnvironment(emu.url);
    const auth = await c.loginClientCredentialsGrant('demo-client', 'demo-secret');
    assert.ok(auth.accessToken);
    assert.ok(auth.tokenExpiryTime > Date.now());
    const listing = await new pkg.JourneyApi(c).getJourneySegments({ pageSize: 1 });
    assert.equal(listing.entities.length, 1);
    const other = newClient();
    other.setEnvironment(emu.url);
    const e = await rejects(other.loginClientCredentialsGrant('demo-client', 'wrong'), pkg.AuthenticationError);
    assert.equal(e.status, 401);
    assert.ok(!JSON.stringify(e).includes('wrong'));
  });
});
