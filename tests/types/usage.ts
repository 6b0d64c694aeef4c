// Compile-only test of the journey-api-wasm declarations (never executed).
// Run: node tests/types/check.mjs   (see check.mjs for PKG_DIR)
//
// Every `// @ts-expect-error` line below must be a type error; if the
// declarations stop rejecting it, tsc reports "Unused '@ts-expect-error' directive".

import {
  AbortError,
  ApiClient,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DecodeError,
  InternalServerError,
  JourneyApi,
  JourneyApiError,
  NotFoundError,
  PermissionDeniedError,
  PureCloudRegionHosts,
  RateLimitError,
  TimeoutError,
  ValidationError,
  ready,
} from 'journey-api-wasm';
import type {
  ActionTarget,
  ActionTargetListing,
  ApiErrorKind,
  AuthData,
  ClientOptions,
  CriteriaOperator,
  ErrorBody,
  GetJourneySegmentsOptions,
  JourneyAggregateQueryResponse,
  JourneyAggregationQuery,
  JourneyDimension,
  JourneyMetric,
  JourneySegment,
  JourneySegmentRequest,
  JourneyStreamType,
  PatchSegment,
  RequestOptions,
  SegmentListing,
} from 'journey-api-wasm';

// ---- compile-time assertion helpers ----------------------------------------
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}
function expectType<T>(_value: T): void {}

// ---- enums: exact member counts and closedness -------------------------------
type UnionSize<U, Acc extends unknown[] = []> = [U] extends [never]
  ? Acc['length']
  : UnionSize<Exclude<U, LastOf<U>>, [...Acc, 1]>;
type LastOf<U> = (U extends unknown ? (x: () => U) => void : never) extends (x: infer F) => void
  ? F extends () => infer L
    ? L
    : never
  : never;
assertType<Equals<UnionSize<JourneyMetric>, 22>>(true);
assertType<Equals<UnionSize<JourneyDimension>, 40>>(true);
assertType<Equals<UnionSize<CriteriaOperator>, 12>>(true);
assertType<Equals<JourneyStreamType, 'Web' | 'Custom' | 'Conversation' | 'App'>>(true);
assertType<Equals<ApiErrorKind, 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'server_error' | 'client_error' | 'redirect'>>(true);
// request side is closed, response side is open
assertType<Equals<JourneySegmentRequest['journey'], import('journey-api-wasm').RequestJourney | undefined>>(true);
assertType<Equals<string extends JourneyMetric ? true : false, false>>(true);
assertType<Equals<string extends JourneySegment['scope'] ? true : false, true>>(true);
// readOnly fields are readonly
assertType<Equals<Readonly<Pick<JourneySegment, 'selfUri'>>, Pick<JourneySegment, 'selfUri'>>>(true);

// ---- regions ------------------------------------------------------------------
const ie: 'mypurecloud.ie' = PureCloudRegionHosts.eu_west_1;
expectType<'edee1.eusc-pure.cloud'>(PureCloudRegionHosts.eusc_de_east_1);
expectType<18>(0 as unknown as UnionSize<keyof typeof PureCloudRegionHosts>);
// @ts-expect-error the region map is read-only
PureCloudRegionHosts.us_east_1 = 'mypurecloud.ie';

// ---- client setup ---------------------------------------------------------------
const options: ClientOptions = { maxRetries: 5, timeout: 10_000, maxRetryAfterMs: 30_000 };
const client = new ApiClient(options);
client.setEnvironment(ie);
client.setEnvironment('https://api.mypurecloud.ie');
client.setEnvironment('http://127.0.0.1:8787');
client.setAccessToken('token');
const chained: ApiClient = client.configure({ timeout: 0 }).configure({ maxRetries: 0 });
client.setFetch(globalThis.fetch);
client.setFetch(async (url, init) => ({
  status: 200,
  headers: { get: (name: string) => (name === 'x' ? init.method : null) },
  json: async () => ({ url }),
  text: async () => '',
}));
client.setFetch(null);
// @ts-expect-error a transport must resolve to something with a status
client.setFetch(async () => ({ ok: true }));
const defaultClient: ApiClient = ApiClient.instance;
const api = new JourneyApi(client);
const defaultApi = new JourneyApi();
void chained;
void defaultClient;
void defaultApi;

async function login(): Promise<string> {
  await ready();
  const auth: AuthData = await client.loginClientCredentialsGrant('id', 'secret');
  const expiresAt: number = auth.tokenExpiryTime;
  const expiresText: string = auth.tokenExpiryTimeString;
  void expiresAt;
  void expiresText;
  return auth.accessToken;
}

// ---- listing --------------------------------------------------------------------------
async function listing(): Promise<void> {
  const controller = new AbortController();
  const perCall: RequestOptions = {
    signal: controller.signal,
    timeout: 2000,
    maxRetries: 1,
    customHeaders: { 'X-Trace': 'abc' },
  };
  const q: GetJourneySegmentsOptions = {
    ...perCall,
    sortBy: 'displayName,-createdDate',
    pageSize: 50,
    pageNumber: 2,
    isActive: true,
    queryFields: ['displayName'],
    queryValue: 'vip',
  };
  const page: SegmentListing = await api.getJourneySegments(q);
  const total: number | undefined = page.total;
  const names: string[] = (page.entities ?? []).map((s) => s.displayName);
  const next: string | undefined = page.nextUri;
  void total;
  void names;
  void next;
  await api.getJourneySegments();
  await api.getJourneySegments({ segmentIds: ['a', 'b'] });

  // every segment, lazily
  for await (const seg of api.segments({ pageSize: 100, isActive: true, signal: controller.signal })) {
    expectType<JourneySegment>(seg);
    const created: string = seg.createdDate; // date-time stays a string
    const version: number = seg.version;
    void created;
    void version;
    if (seg.journey.patterns.length > 5) break;
  }
  const it: AsyncIterableIterator<JourneySegment> = api.segments();
  const first: IteratorResult<JourneySegment> = await it.next();
  void first;
  // @ts-expect-error pageNumber is managed by the iterator
  api.segments({ pageNumber: 3 });
}

// ---- create, read, patch, delete ---------------------------------------------------------
async function crud(): Promise<JourneySegment> {
  const body: JourneySegmentRequest = {
    displayName: 'High-value visitors',
    description: 'Visitors from the pricing page on mobile',
    color: '#0A7BC2',
    isActive: true,
    shouldDisplayToAgent: false,
    assignmentExpirationDays: 30,
    context: {
      patterns: [
        {
          criteria: [
            { key: 'device.category', values: ['mobile'], operator: 'equal', shouldIgnoreCase: true, entityType: 'visit' },
          ],
        },
      ],
    },
    journey: {
      patterns: [
        {
          criteria: [{ key: 'page.url', values: ['/pricing'], operator: 'containsAny' }],
          count: 2,
          streamType: 'Web',
          sessionType: 'web',
          eventName: 'page_viewed',
        },
      ],
    },
    externalSegment: { id: 'ext-1', name: 'AEP segment', source: 'AdobeExperiencePlatform' },
  };
  const created: JourneySegment = await api.postJourneySegments({ body, timeout: 5000 });
  const minimal = await api.postJourneySegments({ body: { displayName: 'Only a name' } });
  void minimal;

  const again: JourneySegment = await api.getJourneySegment(created.id, { maxRetries: 0 });

  const patch: PatchSegment = {
    version: again.version,
    displayName: 'Renamed',
    journey: { patterns: [{ streamType: 'App', count: 1, criteria: [{ key: 'app.name', values: ['x'] }] }] },
    externalSegment: { name: 'new name' },
  };
  const updated: JourneySegment = await api.patchJourneySegment(created.id, { body: patch });

  const deleted: void = await api.deleteJourneySegment(updated.id);
  void deleted;
  return updated;
}

// ---- response enums are open ------------------------------------------------------------------
function readUnknownEnum(seg: JourneySegment, target: ActionTarget): string[] {
  const scope: string = seg.scope; // e.g. a value added to the API after this release
  if (seg.scope === 'Household') {
    // unknown values compare fine
  }
  if (seg.scope === 'Session') {
    // and known ones still autocomplete
  }
  const op: string = seg.context.patterns[0]?.criteria[0]?.operator ?? '';
  const media: string[] = target.supportedMediaTypes ?? [];
  const state: string | undefined = target.state;
  const pattern = seg.journey.patterns[0];
  const stream: string = pattern ? pattern.streamType : 'none';
  return [scope, op, stream, state ?? '', ...media];
}

// ---- deprecated action targets ------------------------------------------------------------------
async function actionTargets(): Promise<void> {
  const list: ActionTargetListing = await api.getJourneyActiontargets({ pageSize: 10, pageNumber: 1 });
  const t: ActionTarget | undefined = list.entities?.[0];
  if (!t?.id) return;
  const one: ActionTarget = await api.getJourneyActiontarget(t.id);
  const patched: ActionTarget = await api.patchJourneyActiontarget(one.id ?? '', {
    body: { name: 'renamed', serviceLevel: { percentage: 0.8, durationMs: 20_000 }, shortAbandonThreshold: 5 },
  });
  // @ts-expect-error readOnly fields cannot be assigned
  patched.id = 'x';
  for await (const at of api.actionTargets({ pageSize: 25 })) {
    expectType<ActionTarget>(at);
  }
}

// ---- aggregates ------------------------------------------------------------------------------------
async function aggregates(): Promise<void> {
  const query: JourneyAggregationQuery = {
    interval: '2026-08-01T00:00:00Z/2026-08-08T00:00:00Z',
    granularity: 'P1D',
    timeZone: 'Europe/London',
    groupBy: ['journeySegmentId', 'journeyDeviceCategory'],
    metrics: ['nJourneySessions', 'nWebActionsOffered', 'oJourneyOutcomeValue'],
    filter: {
      type: 'and',
      predicates: [{ dimension: 'journeyDeviceType', value: 'mobile' }],
      clauses: [
        {
          type: 'or',
          predicates: [
            { type: 'dimension', dimension: 'journeySegmentId', operator: 'matches', value: 'seg-1' },
            { dimension: 'journeyOutcomeId', operator: 'exists' },
            { type: 'metric', range: { gte: 1, lt: 10 } },
          ],
        },
      ],
    },
    views: [{ target: 'nJourneySessions', name: 'sessionsBucket', function: 'rangeBound', range: { gte: 0, lt: 100 } }],
    flattenMultivaluedDimensions: true,
    alternateTimeDimension: 'eventTime',
  };
  const res: JourneyAggregateQueryResponse = await api.postAnalyticsJourneysAggregatesQuery(query, { timeout: 30_000 });
  for (const row of res.results ?? []) {
    const segmentId: string | undefined = row.group?.['journeySegmentId'];
    for (const d of row.data ?? []) {
      const interval: string | undefined = d.interval;
      for (const m of d.metrics ?? []) {
        const name: string | undefined = m.metric;
        const count: number | undefined = m.stats?.count;
        const p99: number | undefined = m.stats?.p99;
        void [segmentId, interval, name, count, p99];
      }
    }
  }
  await api.postAnalyticsJourneysAggregatesQuery({ interval: '2026-08-01T00:00:00Z/2026-08-02T00:00:00Z', metrics: [] });
}

// ---- errors ----------------------------------------------------------------------------------------
async function errors(): Promise<string> {
  try {
    await api.getJourneySegment('missing');
  } catch (e) {
    if (e instanceof ValidationError) {
      const field: string = e.field;
      const name: 'ValidationError' = e.name;
      return `${name}: ${field}`;
    }
    if (e instanceof NotFoundError) {
      const status: number = e.status;
      const kind: ApiErrorKind = e.kind;
      return `${status} ${kind} ${e.correlationId ?? ''}`;
    }
    if (e instanceof RateLimitError) {
      const wait: number | undefined = e.retryAfterMs;
      return `retry in ${wait ?? 0}`;
    }
    if (e instanceof ApiError) {
      const correlationId: string | undefined = e.correlationId;
      const code: string | undefined = e.code;
      const op: string = e.operation;
      const body: ErrorBody | string | undefined = e.body;
      if (typeof body === 'object') {
        const msg: string | undefined = body.message;
        const limitNs: string | undefined = body.limit?.namespace;
        const details = body.details?.map((d) => d.fieldName);
        void [msg, limitNs, details];
      }
      return `${op} ${e.status} ${code ?? ''} ${correlationId ?? ''} ${e.message}`;
    }
    if (e instanceof TimeoutError) return `${e.operation} timed out after ${e.timeoutMs}`;
    if (e instanceof AbortError || e instanceof ConnectionError) return e.operation;
    if (e instanceof DecodeError) return `${e.operation} ${e.status}`;
    if (e instanceof JourneyApiError) return e.name;
    throw e;
  }
  return 'ok';
}

// subclass relationships
const errs: ApiError[] = [
  new BadRequestError(),
  new AuthenticationError(),
  new PermissionDeniedError(),
  new NotFoundError(),
  new ConflictError(),
  new RateLimitError(),
  new InternalServerError(),
];
const base: JourneyApiError[] = [new ValidationError(), new TimeoutError(), new AbortError(), new ConnectionError(), new DecodeError(), ...errs];
const asError: Error = base[0] ?? new Error();
void asError;

// ---- misuse is rejected ---------------------------------------------------------------------------
function misuse(): void {
  const bad: JourneySegmentRequest = {
    displayName: 'x',
    journey: {
      patterns: [
        {
          criteria: [],
          count: 1,
          // @ts-expect-error 'Mobile' is not a JourneyStreamType (request enums are closed)
          streamType: 'Mobile',
          sessionType: 'web',
        },
      ],
    },
  };
  void bad;

  // @ts-expect-error displayName is required
  const noName: JourneySegmentRequest = { color: '#000000' };
  void noName;

  // @ts-expect-error body.displayName is required in postJourneySegments
  void api.postJourneySegments({ body: { isActive: true } });

  // @ts-expect-error postJourneySegments needs { body }
  void api.postJourneySegments();

  void api.postAnalyticsJourneysAggregatesQuery({
    interval: '2026-08-01T00:00:00Z/2026-08-02T00:00:00Z',
    // @ts-expect-error unknown metric
    metrics: ['nBogus'],
  });

  void api.postAnalyticsJourneysAggregatesQuery({
    interval: '2026-08-01T00:00:00Z/2026-08-02T00:00:00Z',
    metrics: ['nJourneySessions'],
    // @ts-expect-error unknown groupBy dimension
    groupBy: ['journeyCustomerId'],
  });

  // @ts-expect-error metrics is required
  void api.postAnalyticsJourneysAggregatesQuery({ interval: '2026-08-01T00:00:00Z/2026-08-02T00:00:00Z' });

  // @ts-expect-error segmentId must be a string
  void api.getJourneySegment(42);

  // @ts-expect-error segmentId must be a string
  void api.deleteJourneySegment(123);

  // @ts-expect-error pageSize is a number
  void api.getJourneySegments({ pageSize: '25' });

  // @ts-expect-error unknown option
  void api.getJourneySegments({ page: 2 });

  // @ts-expect-error scope cannot be sent since 232.0.0
  void api.patchJourneySegment('id', { body: { scope: 'Session' } });

  // @ts-expect-error version is a number
  void api.patchJourneySegment('id', { body: { version: '3' } });

  const op: CriteriaOperator = 'equal';
  // @ts-expect-error 'like' is not a CriteriaOperator
  const badOp: CriteriaOperator = 'like';
  void [op, badOp];

  // @ts-expect-error responses are promises, not values
  const notAwaited: JourneySegment = api.getJourneySegment('id');
  void notAwaited;
}

export { login, listing, crud, readUnknownEnum, actionTargets, aggregates, errors, misuse };
