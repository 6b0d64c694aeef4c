// Contract check: every Journey API operation goes through Prism's validating proxy in front of the
// emulator; any request or response violation of shared/spec/journey-openapi.json fails the run.
//
// Two proxies run side by side:
//   strict:   prism proxy --errors                        (request AND response validated)
//   lenient:  prism proxy --errors --validate-request=false (for deliberately invalid requests, so they
//             reach the emulator; its error responses are still validated)
// A violation shows up as an `sl-violations` header, or (with --errors) as Prism's own
// application/problem+json answer; both count as failures.
//
// Env: EMULATOR_BIN (default <repo>/target/debug/journey-emulator), JOURNEY_SPEC (default
// <repo>/../shared/spec/journey-openapi.json). Prints "N passed, M failed" last; exit 1 on any failure.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const spec = process.env.JOURNEY_SPEC || resolve(repo, '../shared/spec/journey-openapi.json');
const bin = process.env.EMULATOR_BIN ? resolve(process.env.EMULATOR_BIN) : resolve(repo, 'target/debug/journey-emulator');
const prismBin = resolve(here, 'node_modules/.bin/prism');
const TOKEN = 'contract-token';
const children = [];
const logs = { strict: [], lenient: [], emulator: [] };

function die(msg) {
  console.error(`contract: ${msg}`);
  cleanup();
  console.log('0 passed, 1 failed');
  process.exit(1);
}
function cleanup() {
  for (const c of children) {
    try { c.kill('SIGTERM'); } catch { /* already gone */ }
  }
}
process.on('exit', cleanup);

for (const [what, p] of [['spec', spec], ['emulator binary', bin], ['prism (run npm ci in tests/contract)', prismBin]]) {
  if (!existsSync(p)) die(`${what} not found at ${p}`);
}

const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

function start(name, cmd, args, readyRe, timeoutMs = 90_000) {
  return new Promise((resolveP, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let done = false;
    const timer = setTimeout(() => { if (!done) reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${logs[name].join('')}`)); }, timeoutMs);
    const onData = (buf) => {
      const text = stripAnsi(buf.toString());
      logs[name].push(text);
      const m = !done && logs[name].join('').match(readyRe);
      if (m) { done = true; clearTimeout(timer); resolveP(m); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { if (!done) { clearTimeout(timer); reject(new Error(`${name} exited with ${code}:\n${logs[name].join('')}`)); } });
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    s.on('error', rej);
  });
}

let passed = 0;
let failed = 0;
const failures = [];

async function main() {
  const emu = await start('emulator', bin, ['--memory', '--port', '0', '--token', TOKEN], /journey-emulator listening on (http:\/\/\S+:\d+)/, 30_000);
  const emuUrl = emu[1];
  const [strictPort, lenientPort] = [await freePort(), await freePort()];
  const prismArgs = (port) => ['proxy', '--errors', '-h', '127.0.0.1', '-p', String(port), spec, emuUrl];
  await Promise.all([
    start('strict', prismBin, prismArgs(strictPort), /Prism is listening/),
    start('lenient', prismBin, [...prismArgs(lenientPort), '--validate-request=false'], /Prism is listening/),
  ]);
  const base = { strict: `http://127.0.0.1:${strictPort}`, lenient: `http://127.0.0.1:${lenientPort}`, direct: emuUrl };

  async function req(via, method, path, { body, headers = {}, auth = true, raw } = {}) {
    const h = { ...headers };
    if (auth) h.authorization = `Bearer ${TOKEN}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
    const res = await fetch(base[via] + path, { method, headers: h, body: payload, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  }

  async function check(name, via, method, path, expect, opts = {}) {
    let problems = [];
    let res;
    try {
      res = await req(via, method, path, opts);
      const v = res.headers.get('sl-violations');
      if (v) problems.push(`violations: ${v}`);
      if ((res.headers.get('content-type') || '').includes('application/problem+json')) problems.push(`prism answered itself: ${res.text.slice(0, 600)}`);
      if (res.status !== expect) problems.push(`status ${res.status}, expected ${expect}: ${res.text.slice(0, 300)}`);
      if (!res.headers.get('inin-correlation-id')) problems.push('no ININ-Correlation-Id header');
      if (opts.verify) { const p = opts.verify(res); if (p) problems.push(p); }
    } catch (e) {
      problems.push(`request failed: ${e.message}`);
    }
    if (problems.length) { failed++; failures.push(`${name}: ${problems.join('; ')}`); console.log(`FAIL ${name}\n  ${problems.join('\n  ')}`); }
    else { passed++; console.log(`ok   ${name}`); }
    return res;
  }

  async function fault(f) {
    const r = await fetch(`${emuUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
    if (r.status !== 201) throw new Error(`cannot add fault: ${r.status}`);
  }

  const S = '/api/v2/journey/segments';
  const T = '/api/v2/journey/actiontargets';
  const A = '/api/v2/analytics/journeys/aggregates/query';
  const end = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000);
  const start7 = new Date(end.getTime() - 7 * 86400_000);
  const interval = `${start7.toISOString()}/${end.toISOString()}`;

  // ---- segments: listings
  const list = await check('list segments', 'strict', 'GET', S, 200, { verify: (r) => (r.json?.total === 40 ? null : `total ${r.json?.total}`) });
  await check('list segments page 2, sorted desc', 'strict', 'GET', `${S}?pageSize=5&pageNumber=2&sortBy=-displayName`, 200,
    { verify: (r) => (r.json?.previousUri && r.json?.nextUri ? null : 'missing previousUri/nextUri') });
  await check('list segments last page', 'strict', 'GET', `${S}?pageSize=25&pageNumber=2`, 200,
    { verify: (r) => (r.json && !('nextUri' in r.json) ? null : 'nextUri on last page') });
  await check('list segments beyond last page', 'strict', 'GET', `${S}?pageNumber=9`, 200);
  await check('list segments multi sort', 'strict', 'GET', `${S}?sortBy=isActive,-createdDate`, 200);
  await check('list active segments', 'strict', 'GET', `${S}?isActive=true`, 200);
  await check('fuzzy query', 'strict', 'GET', `${S}?queryFields=displayName&queryFields=description&queryValue=cart`, 200);
  const ids = (list?.json?.entities || []).slice(0, 3).map((e) => e.id);
  await check('segmentIds repeated', 'strict', 'GET', `${S}?segmentIds=${ids[0]}&segmentIds=${ids[1]}`, 200,
    { verify: (r) => (r.json?.total === 2 ? null : `total ${r.json?.total}`) });
  await check('segmentIds comma-joined', 'strict', 'GET', `${S}?segmentIds=${ids.join(',')}`, 200);
  await check('400 segmentIds with paging', 'strict', 'GET', `${S}?segmentIds=${ids[0]}&pageSize=2`, 400);
  await check('400 segmentIds over 100', 'strict', 'GET', `${S}?segmentIds=${Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')}`, 400);
  await check('400 pageSize 0', 'strict', 'GET', `${S}?pageSize=0`, 400);
  await check('400 unknown sortBy', 'strict', 'GET', `${S}?sortBy=nope`, 400);
  await check('400 queryValue without queryFields', 'strict', 'GET', `${S}?queryValue=x`, 400);

  // ---- segments: CRUD
  const created = await check('create segment', 'strict', 'POST', S, 201, {
    body: {
      displayName: 'Contract segment', description: 'made by the contract check', color: '#3366FF', isActive: true,
      shouldDisplayToAgent: true, assignmentExpirationDays: 3,
      context: { patterns: [{ criteria: [{ key: 'device.category', values: ['mobile'], entityType: 'visit', operator: 'equal', shouldIgnoreCase: true }] }] },
      journey: { patterns: [{ criteria: [{ key: 'page.url', values: ['/pricing'], operator: 'containsAny' }], count: 2, streamType: 'Web', sessionType: 'web' }] },
    },
  });
  await check('create segment with externalSegment', 'strict', 'POST', S, 201,
    { body: { displayName: 'Contract external', externalSegment: { id: 'aep-1', name: 'AEP audience', source: 'AdobeExperiencePlatform' } } });
  const id = created?.json?.id || 'missing';
  await check('get segment', 'strict', 'GET', `${S}/${id}`, 200);
  await check('patch segment', 'strict', 'PATCH', `${S}/${id}`, 200,
    { body: { version: 1, description: 'patched', color: '#000000' }, verify: (r) => (r.json?.version === 2 ? null : `version ${r.json?.version}`) });
  await check('409 stale version', 'strict', 'PATCH', `${S}/${id}`, 409, { body: { version: 1, displayName: 'stale' } });
  await check('400 bad color on patch', 'strict', 'PATCH', `${S}/${id}`, 400, { body: { color: 'red' } });
  await check('404 patch unknown segment', 'strict', 'PATCH', `${S}/does-not-exist`, 404, { body: { description: 'x' } });
  await check('delete segment', 'strict', 'DELETE', `${S}/${id}`, 204, { verify: (r) => (r.text === '' ? null : 'body on 204') });
  await check('404 get deleted segment', 'strict', 'GET', `${S}/${id}`, 404);
  await check('404 delete deleted segment', 'strict', 'DELETE', `${S}/${id}`, 404);

  // ---- action targets
  const targets = await check('list action targets', 'strict', 'GET', `${T}?pageSize=3&pageNumber=1`, 200);
  const tid = targets?.json?.entities?.[0]?.id || 'missing';
  await check('get action target', 'strict', 'GET', `${T}/${tid}`, 200);
  await check('patch action target', 'strict', 'PATCH', `${T}/${tid}`, 200, { body: { name: 'Contract target', serviceLevel: { percentage: 0.9, durationMs: 20000 }, shortAbandonThreshold: 10 } });
  await check('404 action target', 'strict', 'GET', `${T}/nope`, 404);
  await check('400 action target percentage', 'strict', 'PATCH', `${T}/${tid}`, 400, { body: { serviceLevel: { percentage: 3 } } });

  // ---- aggregates
  await check('aggregates grouped, daily, filtered, with views', 'strict', 'POST', A, 200, {
    body: {
      interval, granularity: 'P1D', timeZone: 'UTC', groupBy: ['journeyDeviceCategory'],
      filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'journeySessionType', operator: 'matches', value: 'web' }],
        clauses: [{ type: 'or', predicates: [{ dimension: 'journeyIpGeolocationCountry', value: 'US' }, { dimension: 'journeyIpGeolocationCountry', value: 'GB' }] }] },
      metrics: ['nJourneySessions', 'nDistinctJourneySessions', 'oJourneyOutcomeValue', 'nWebActionsOffered'],
      views: [{ target: 'oJourneyOutcomeValue', name: 'bigOutcomes', function: 'rangeBound', range: { gte: 100, lt: 1000 } }],
    },
    verify: (r) => (r.json?.results?.length ? null : 'no results'),
  });
  await check('aggregates all metrics', 'strict', 'POST', A, 200, {
    body: { interval, metrics: ['nDistinctJourneyActions', 'nDistinctJourneySessions', 'nJourneyActionsBlocked', 'nJourneyOutcomesAchieved', 'nJourneyOutcomesAttributed', 'nJourneySegmentsAssigned', 'nJourneySessions', 'nWebActionsAbandoned', 'nWebActionsAccepted', 'nWebActionsEngaged', 'nWebActionsErrored', 'nWebActionsFrequencyCapReached', 'nWebActionsIgnored', 'nWebActionsOffered', 'nWebActionsOfferedOutsideSchedule', 'nWebActionsQualified', 'nWebActionsQualifiedOutsideSchedule', 'nWebActionsRejected', 'nWebActionsStarted', 'nWebActionsTimedout', 'oJourneyOutcomeTouchpointValue', 'oJourneyOutcomeValue'] },
  });
  await check('aggregates segment groups, exists', 'strict', 'POST', A, 200,
    { body: { interval, groupBy: ['journeySegmentId'], metrics: ['nJourneySegmentsAssigned'], filter: { type: 'and', predicates: [{ dimension: 'journeySegmentId', operator: 'exists' }] } } });
  await check('aggregates empty interval', 'strict', 'POST', A, 200, { body: { interval: '2001-01-01T00:00:00.000Z/2001-01-02T00:00:00.000Z', metrics: ['nJourneySessions'] } });
  await check('400 unsupported dimension', 'strict', 'POST', A, 400, { body: { interval, metrics: ['nJourneySessions'], groupBy: ['touchpointAgentId'] } });
  await check('400 bad interval', 'strict', 'POST', A, 400, { body: { interval: 'last week', metrics: ['nJourneySessions'] } });

  // ---- faults (spec-declared 429 and 503)
  await fault({ kind: 'rate_limit', retryAfterSeconds: 2, pathPrefix: S });
  await check('429 rate limit', 'strict', 'GET', S, 429, { verify: (r) => (r.headers.get('retry-after') === '2' ? null : 'no Retry-After') });
  await fault({ kind: 'unavailable', pathPrefix: T });
  await check('503 unavailable', 'strict', 'GET', T, 503);

  // ---- canaries: responses that break the spec must be caught, or this harness proves nothing
  for (const kind of ['malformed_200', 'bad_gateway_html']) {
    await fault({ kind, pathPrefix: T });
    const r = await req('strict', 'GET', T).catch((e) => ({ error: e }));
    const flagged = Boolean(r.error || r.headers.get('sl-violations') || (r.headers.get('content-type') || '').includes('problem+json'));
    if (flagged) { passed++; console.log(`ok   canary ${kind} is flagged by Prism`); }
    else { failed++; failures.push(`canary ${kind}`); console.log(`FAIL canary ${kind}: Prism did not flag it (status ${r.status})`); }
  }

  // ---- invalid requests: only the lenient proxy forwards them; the emulator's answers are validated
  // Prism answers a request without credentials itself (even with --validate-request=false), so the
  // emulator's own 401 is checked directly against the ErrorBody shape.
  await check('401 no token (direct, ErrorBody keys checked here)', 'direct', 'GET', S, 401, {
    auth: false,
    verify: (r) => (['message', 'code', 'status', 'contextId'].every((k) => r.json && k in r.json) && r.json.code === 'authentication.required' ? null : `not an ErrorBody: ${r.text}`),
  });
  await check('401 unknown token', 'lenient', 'GET', T, 401, { auth: false, headers: { authorization: 'Bearer nope' } });
  await check('400 missing displayName', 'lenient', 'POST', S, 400, { body: { description: 'no name' } });
  await check('400 nested required field', 'lenient', 'POST', S, 400,
    { body: { displayName: 'x', journey: { patterns: [{ criteria: [], count: 1, streamType: 'Web' }] } }, verify: (r) => (r.json?.message?.includes('sessionType') ? null : 'message does not name sessionType') });
  await check('400 bad enum', 'lenient', 'POST', S, 400,
    { body: { displayName: 'x', context: { patterns: [{ criteria: [{ key: 'k', values: ['v'], entityType: 'session' }] }] } } });
  await check('400 bad metric', 'lenient', 'POST', A, 400, { body: { interval, metrics: ['nBogus'] } });
  await check('400 missing interval', 'lenient', 'POST', A, 400, { body: { metrics: ['nJourneySessions'] } });
  // (malformed JSON is covered by the Rust tests: Prism's proxy stalls on a body it cannot parse)
  await check('415 wrong content type', 'lenient', 'POST', S, 415, { raw: 'displayName=x', headers: { 'content-type': 'text/plain' } });

  const logViolations = [...logs.strict, ...logs.lenient].join('').split('\n').filter((l) => /Violation:/.test(l));
  if (failures.length) {
    console.log('\nPrism violation log lines:');
    for (const l of logViolations) console.log(`  ${l.trim()}`);
  }
}

main()
  .catch((e) => { failed++; console.error(`contract: ${e.stack || e}`); })
  .finally(() => {
    cleanup();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
