// A tour of journey-api-wasm against a Journey API (the local emulator by default):
// log in, list segments, create one, patch it (resolving a 409 by re-reading), run an
// aggregates query grouped by segment over the last 7 days, and clean up.
//
//   JOURNEY_ENV=http://127.0.0.1:8787 CLIENT_ID=demo-client CLIENT_SECRET=demo-secret node examples/demo.mjs
import { ApiClient, JourneyApi, ConflictError, ValidationError } from 'journey-api-wasm';

const environment = process.env.JOURNEY_ENV ?? 'http://127.0.0.1:8787';
const client = new ApiClient({ maxRetries: 3, timeout: 10_000 });
client.setEnvironment(environment);
await client.loginClientCredentialsGrant(process.env.CLIENT_ID ?? 'demo-client', process.env.CLIENT_SECRET ?? 'demo-secret');
const journey = new JourneyApi(client);

function table(title, rows, columns) {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log('  (none)');
  const cells = rows.map((r) => columns.map(([, get]) => String(get(r) ?? '')));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => `  ${values.map((v, i) => v.padEnd(widths[i])).join('  ')}`.trimEnd();
  console.log(line(columns.map(([h]) => h)));
  console.log(line(widths.map((w) => '─'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

// 1. List: the first page, newest first.
const page = await journey.getJourneySegments({ pageSize: 8, sortBy: '-modifiedDate' });
table(`Segments (${page.entities.length} of ${page.total}, newest first)`, page.entities, [
  ['Name', (s) => s.displayName],
  ['Active', (s) => (s.isActive ? 'yes' : 'no')],
  ['Scope', (s) => s.scope],
  ['Version', (s) => s.version],
  ['Color', (s) => s.color],
]);

// 2. Validation happens before anything is sent.
try {
  await journey.postJourneySegments({ body: { displayName: 'Bad color', color: 'teal' } });
} catch (e) {
  if (!(e instanceof ValidationError)) throw e;
  console.log(`\nRefused before sending: ${e.message}`);
}

// 3. Create.
const created = await journey.postJourneySegments({
  body: {
    displayName: `Pricing-page returners ${new Date().toISOString().slice(0, 19)}`,
    description: 'Visited /pricing at least twice on mobile',
    color: '#2a9d8f',
    isActive: true,
    context: { patterns: [{ criteria: [{ key: 'device.category', values: ['mobile'], operator: 'equal', shouldIgnoreCase: true, entityType: 'visit' }] }] },
    journey: { patterns: [{ criteria: [{ key: 'page.url', values: ['/pricing'], operator: 'containsAny', shouldIgnoreCase: true }], count: 2, streamType: 'Web', sessionType: 'web' }] },
  },
});
console.log(`\nCreated "${created.displayName}" (id ${created.id}, version ${created.version})`);

// 4. Patch with optimistic locking. Someone else edits first, so our version is stale:
//    the 409 is handled by re-reading and applying the change to the current version.
await journey.patchJourneySegment(created.id, { body: { version: created.version, description: 'Edited by a colleague' } });
async function patchWithRetry(id, change, version) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await journey.patchJourneySegment(id, { body: { ...change, version } });
    } catch (e) {
      if (!(e instanceof ConflictError) || attempt === 3) throw e;
      console.log(`Conflict on version ${version} (${e.message}); re-reading and retrying`);
      version = (await journey.getJourneySegment(id)).version;
    }
  }
}
const patched = await patchWithRetry(created.id, { isActive: false, color: '#e76f51' }, created.version);
console.log(`Patched: active=${patched.isActive}, color=${patched.color}, version ${patched.version}`);

// 5. Aggregates: segment assignments per segment, last 7 days.
const end = new Date();
const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');
const aggregates = await journey.postAnalyticsJourneysAggregatesQuery({
  interval: `${iso(start)}/${iso(end)}`,
  groupBy: ['journeySegmentId'],
  metrics: ['nJourneySegmentsAssigned'],
});
const names = new Map();
for await (const s of journey.segments({ pageSize: 100 })) names.set(s.id, s.displayName);
const rows = (aggregates.results ?? [])
  .filter((r) => r.group?.journeySegmentId)
  .map((r) => ({
    name: names.get(r.group.journeySegmentId) ?? r.group.journeySegmentId,
    count: r.data?.[0]?.metrics?.find((m) => m.metric === 'nJourneySegmentsAssigned')?.stats?.count ?? 0,
  }))
  .sort((a, b) => b.count - a.count)
  .slice(0, 10);
const max = Math.max(1, ...rows.map((r) => r.count));
table('Segment assignments, last 7 days (top 10)', rows, [
  ['Segment', (r) => r.name],
  ['Assigned', (r) => r.count],
  ['', (r) => '█'.repeat(Math.round((r.count / max) * 30))],
]);

// 6. Clean up.
await journey.deleteJourneySegment(created.id);
const { total } = await journey.getJourneySegments({ pageSize: 1 });
console.log(`\nDeleted "${created.displayName}". ${total} segments remain.`);
