// The package's JS surface: a drop-in for the official SDK's ApiClient and JourneyApi.
// Every call goes to the wasm core (validation, request, retries, error mapping); this file only
// holds client settings, pagination and module loading.
import initAsync, {
  initSync,
  callOperation,
  resolveEnvironment,
  checkClientOptions,
  installErrorClasses,
  requestClientCredentialsToken,
} from './journey_api_wasm.js';
import { errorClasses, ValidationError, DecodeError } from './errors.js';

export * from './errors.js';

/** Region hosts by region name, as in the official SDK. */
export const PureCloudRegionHosts = Object.freeze({
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
});

// ---- module loading: synchronous in Node (entry files), lazy on first use in browsers ----
let loaded = false;
let loading = null;
let loader = null;

/** @internal Entry files: how to instantiate the wasm asynchronously. */
export function __setLoader(load) {
  loader = load;
}

/** @internal The browser entry: instantiate asynchronously from a URL or a response. */
export const __initAsync = initAsync;

/** @internal Entry files: instantiate now from the module bytes. */
export function __instantiateSync(bytes) {
  initSync({ module: bytes });
  installErrorClasses(errorClasses);
  loaded = true;
}

/** Resolves when the wasm module is ready. Optional: every call waits for it by itself. */
export function ready() {
  if (loaded) return Promise.resolve();
  if (!loading) {
    loading = Promise.resolve()
      .then(() => {
        if (!loader) throw new Error('journey-api-wasm: no way to load the wasm module in this environment');
        return loader();
      })
      .then(() => {
        installErrorClasses(errorClasses);
        loaded = true;
      });
    // A failed load (offline, wrong path) can be retried by the next call.
    loading.catch(() => { loading = null; });
  }
  return loading;
}

function whenReady(run) {
  return loaded ? run() : ready().then(run);
}

// ---- ApiClient ----
let defaultClient;
// The fetch every new client uses: the Node entries install their node:http transport;
// undefined means the global fetch, looked up at each call.
let defaultFetch;

/** @internal Entry files: the transport new clients use. */
export function __setDefaultFetch(fetch) {
  defaultFetch = fetch;
}

/** Connection settings shared by API objects: environment, token, retries and timeouts. */
export class ApiClient {
  /** The shared default client, used by `new JourneyApi()`. */
  static get instance() {
    return (defaultClient ??= new ApiClient());
  }

  constructor(options) {
    // Read by the wasm core on each call.
    this._state = { environment: 'mypurecloud.com', accessToken: undefined, options: undefined, fetch: defaultFetch, returnExtendedResponses: false };
    if (options !== undefined) this.configure(options);
  }

  /** Region host, `api.` host, https URL, PureCloudRegionHosts value, or a full base URL. */
  setEnvironment(environment) {
    if (loaded) resolveEnvironment(environment);
    this._state.environment = environment;
  }

  /** The bearer token sent with every call. */
  setAccessToken(token) {
    if (token !== undefined && token !== null && typeof token !== 'string') {
      throw Object.assign(new ValidationError('accessToken: expected a string'), { field: 'accessToken' });
    }
    this._state.accessToken = token ?? undefined;
  }

  /** As in the official SDK: resolve to { status, statusText, headers, body, correlationId, error: null }. */
  setReturnExtendedResponses(returnExtended) {
    this._state.returnExtendedResponses = returnExtended === true;
  }

  /** The fetch-compatible function requests go through; null restores the default. */
  setFetch(fetch) {
    if (fetch !== undefined && fetch !== null && typeof fetch !== 'function') {
      throw Object.assign(new ValidationError('fetch: expected a function like globalThis.fetch'), { field: 'fetch' });
    }
    this._state.fetch = fetch ?? defaultFetch;
  }

  /** Client-wide retry and timeout settings: { maxRetries, timeout, maxRetryAfterMs }. */
  configure(options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw Object.assign(new ValidationError('options: expected an object such as { maxRetries: 3, timeout: 16000 }'), { field: 'options' });
    }
    const merged = { ...this._state.options, ...options };
    if (loaded) checkClientOptions(merged);
    this._state.options = merged;
    return this;
  }

  /** OAuth client-credentials grant (Node only, as in the official SDK); sets the token. */
  async loginClientCredentialsGrant(clientId, clientSecret) {
    if (typeof window !== 'undefined' && typeof window.document !== 'undefined') {
      throw new Error('The client credentials grant is not supported in a browser.');
    }
    const token = await whenReady(() => requestClientCredentialsToken(this._state, clientId, clientSecret));
    if (!token || typeof token.access_token !== 'string') {
      throw Object.assign(
        new DecodeError('loginClientCredentialsGrant: the token response has no access_token'),
        { operation: 'loginClientCredentialsGrant', status: 200 },
      );
    }
    this.setAccessToken(token.access_token);
    const expiry = Date.now() + (Number(token.expires_in) || 0) * 1000;
    return { accessToken: token.access_token, tokenExpiryTime: expiry, tokenExpiryTimeString: new Date(expiry).toUTCString() };
  }
}

// ---- JourneyApi ----
// Operation numbers index the core's operation table (src/operations.rs), in the same order.
const OP = {
  getJourneySegments: 0,
  getJourneySegment: 1,
  postJourneySegments: 2,
  patchJourneySegment: 3,
  deleteJourneySegment: 4,
  getJourneyActiontargets: 5,
  getJourneyActiontarget: 6,
  patchJourneyActiontarget: 7,
  postAnalyticsJourneysAggregatesQuery: 8,
};

function call(api, op, arg, opts) {
  const state = api.apiClient?._state;
  return whenReady(() => callOperation(op, state, arg, opts));
}

/** The Journey API: the official SDK's JourneyApi methods, plus async iterators over listings. */
export class JourneyApi {
  constructor(apiClient) {
    this.apiClient = apiClient || ApiClient.instance;
  }

  getJourneySegments(opts) { return call(this, OP.getJourneySegments, undefined, opts); }
  getJourneySegment(segmentId, opts) { return call(this, OP.getJourneySegment, segmentId, opts); }
  postJourneySegments(opts) { return call(this, OP.postJourneySegments, undefined, opts); }
  patchJourneySegment(segmentId, opts) { return call(this, OP.patchJourneySegment, segmentId, opts); }
  deleteJourneySegment(segmentId, opts) { return call(this, OP.deleteJourneySegment, segmentId, opts); }
  getJourneyActiontargets(opts) { return call(this, OP.getJourneyActiontargets, undefined, opts); }
  getJourneyActiontarget(actionTargetId, opts) { return call(this, OP.getJourneyActiontarget, actionTargetId, opts); }
  patchJourneyActiontarget(actionTargetId, opts) { return call(this, OP.patchJourneyActiontarget, actionTargetId, opts); }
  postAnalyticsJourneysAggregatesQuery(body, opts) { return call(this, OP.postAnalyticsJourneysAggregatesQuery, body, opts); }

  /** Every segment, page by page, fetched lazily as the loop asks for more. */
  segments(opts) { return paginate(this, 'getJourneySegments', opts); }

  /** Every action target, page by page. */
  actionTargets(opts) { return paginate(this, 'getJourneyActiontargets', opts); }
}

async function* paginate(api, method, opts) {
  if (opts !== undefined && (opts === null || typeof opts !== 'object' || Array.isArray(opts))) {
    throw Object.assign(new ValidationError('opts: expected an options object'), { field: 'opts' });
  }
  const base = { ...opts };
  // With extended responses on, a page's listing is its body.
  const page = async (o) => {
    const r = await api[method](o);
    return api.apiClient?._state?.returnExtendedResponses ? r?.body : r;
  };
  // A list of ids is one request: the API does not page it.
  if (base.segmentIds !== undefined) {
    yield* entitiesOf(await page(base));
    return;
  }
  for (let pageNumber = base.pageNumber ?? 1; ; pageNumber++) {
    const listing = await page({ ...base, pageNumber });
    const entities = entitiesOf(listing);
    yield* entities;
    if (entities.length === 0) return;
    const last = typeof listing.pageCount === 'number' ? pageNumber >= listing.pageCount : !listing.nextUri;
    if (last) return;
  }
}

function entitiesOf(listing) {
  return Array.isArray(listing?.entities) ? listing.entities : [];
}
