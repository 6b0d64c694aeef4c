#!/usr/bin/env node
// Generates pkg-template/index.d.ts (the TypeScript declarations of the npm
// package `journey-api-wasm`) from the Journey OpenAPI document.
//
//   node scripts/gen-types.mjs [spec.json]          write pkg-template/index.d.ts
//   node scripts/gen-types.mjs [spec.json] --check  exit 1 if the committed file is stale
//
// The spec path defaults to ../shared/spec/journey-openapi.json relative to the
// repository root. Models, enum aliases, option properties, region hosts and
// method docs come from the spec; the shape of the JS API (classes, errors,
// options) comes from the template at the bottom of this file.
//
// Plain Node ESM, no dependencies. Output is deterministic: no timestamps, no
// absolute paths, LF line endings, spec order preserved.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_REL = 'pkg-template/index.d.ts';
const OUT = resolve(ROOT, OUT_REL);
const DEFAULT_SPEC = resolve(ROOT, '../shared/spec/journey-openapi.json');

// ---------------------------------------------------------------------------
// Naming tables

/**
 * Preferred names of the enum type aliases, keyed by any "Schema.property"
 * that carries the enum. Enums carrying identical value lists share an alias.
 * An enum not listed here is named <Schema><Property> after its first use.
 */
const ENUM_NAMES = {
  'Criteria.operator': 'CriteriaOperator',
  'EntityTypeCriteria.entityType': 'CriteriaEntityType',
  'JourneyPattern.streamType': 'JourneyStreamType',
  'ExternalSegment.source': 'ExternalSegmentSource',
  'JourneyAggregationQuery.metrics': 'JourneyMetric',
  'JourneyAggregationQuery.groupBy': 'JourneyDimension',
  'JourneyAggregateQueryFilter.type': 'JourneyAggregateQueryFilterType',
  'JourneyAggregateQueryPredicate.type': 'JourneyAggregateQueryPredicateType',
  'JourneyAggregateQueryPredicate.operator': 'JourneyAggregateQueryPredicateOperator',
  'JourneyAggregationView.function': 'JourneyAggregationViewFunction',
  'JourneyAggregationQuery.alternateTimeDimension': 'JourneyAlternateTimeDimension',
  'ActionTarget.supportedMediaTypes': 'ActionTargetMediaType',
  'ActionTarget.state': 'ActionTargetState',
  'JourneySegment.scope': 'JourneySegmentScope',
  'Limit.namespace': 'LimitNamespace',
};

/** Operations of the JS façade, in the order the template expects them. */
const OPERATIONS = [
  'getJourneySegments',
  'getJourneySegment',
  'postJourneySegments',
  'patchJourneySegment',
  'deleteJourneySegment',
  'getJourneyActiontargets',
  'getJourneyActiontarget',
  'patchJourneyActiontarget',
  'postAnalyticsJourneysAggregatesQuery',
];

// ---------------------------------------------------------------------------
// Helpers

const fail = (msg) => {
  throw new Error(`gen-types: ${msg}`);
};

const pascal = (s) => s.charAt(0).toUpperCase() + s.slice(1);

const refName = (ref) => {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) fail(`unsupported $ref ${ref}`);
  return m[1];
};

const propKey = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

const lit = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Text made safe for a JSDoc block. */
const docText = (s) =>
  String(s)
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/(^|\s)@(?=\w)/g, '$1\\@')
    .trim();

/** Renders a JSDoc block from paragraphs/lines (empty string = blank line). */
function jsdoc(lines, indent = '') {
  const out = [];
  // collapse duplicate and edge blank lines
  const ls = [];
  for (const l of lines.flatMap((l) => (l == null ? [] : String(l).split('\n')))) {
    if (l === '' && (ls.length === 0 || ls[ls.length - 1] === '')) continue;
    ls.push(l);
  }
  while (ls.length && ls[ls.length - 1] === '') ls.pop();
  if (ls.length === 0) return [];
  if (ls.length === 1 && ls[0].length < 90) return [`${indent}/** ${ls[0]} */`];
  out.push(`${indent}/**`);
  for (const l of ls) out.push(l === '' ? `${indent} *` : `${indent} * ${l}`);
  out.push(`${indent} */`);
  return out;
}

function unionLines(values, indent) {
  const one = values.map(lit).join(' | ');
  if (values.length <= 4 && one.length < 80) return [one];
  return values.map((v) => `${indent}| ${lit(v)}`);
}

// ---------------------------------------------------------------------------
// Spec analysis

function analyse(spec) {
  const schemas = spec.components?.schemas ?? fail('no components.schemas');
  const names = Object.keys(schemas);

  // operations by operationId
  const ops = new Map();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
      if (!op.operationId) fail(`${method.toUpperCase()} ${path} has no operationId`);
      ops.set(op.operationId, { ...op, method: method.toUpperCase(), path, pathParams: item.parameters ?? [] });
    }
  }
  const missing = OPERATIONS.filter((id) => !ops.has(id));
  if (missing.length) fail(`operations missing from the spec: ${missing.join(', ')}`);
  const extra = [...ops.keys()].filter((id) => !OPERATIONS.includes(id));
  if (extra.length) fail(`operations in the spec but not in the template (add them): ${extra.join(', ')}`);

  const resolveResponse = (r) => {
    if (r?.$ref) {
      const m = /^#\/components\/responses\/([^/]+)$/.exec(r.$ref) ?? fail(`unsupported response $ref ${r.$ref}`);
      return spec.components.responses?.[m[1]] ?? fail(`unknown response ${r.$ref}`);
    }
    return r;
  };
  const jsonSchemaOf = (content) => content?.['application/json']?.schema;

  // reachability: request bodies vs responses
  const reach = (roots) => {
    const seen = new Set();
    const visit = (s) => {
      if (!s || typeof s !== 'object') return;
      if (s.$ref) {
        const n = refName(s.$ref);
        if (!schemas[n]) fail(`unknown schema ${n}`);
        if (seen.has(n)) return;
        seen.add(n);
        visit(schemas[n]);
        return;
      }
      for (const p of Object.values(s.properties ?? {})) visit(p);
      visit(s.items);
      if (typeof s.additionalProperties === 'object') visit(s.additionalProperties);
      for (const k of ['allOf', 'anyOf', 'oneOf']) for (const x of s[k] ?? []) visit(x);
    };
    roots.forEach(visit);
    return seen;
  };
  const reqRoots = [];
  const resRoots = [];
  for (const op of ops.values()) {
    const b = jsonSchemaOf(op.requestBody?.content);
    if (b) reqRoots.push(b);
    for (const r of Object.values(op.responses ?? {})) {
      const s = jsonSchemaOf(resolveResponse(r)?.content);
      if (s) resRoots.push(s);
    }
  }
  for (const r of Object.values(spec.components.responses ?? {})) {
    const s = jsonSchemaOf(r.content);
    if (s) resRoots.push(s);
  }
  const req = reach(reqRoots);
  const res = reach(resRoots);
  const side = (n) => (req.has(n) && res.has(n) ? 'both' : req.has(n) ? 'request' : 'response');

  // enum groups (identical ordered value lists share one alias)
  const groups = new Map(); // key -> { values, uses: [{schema, prop, array}], name }
  for (const n of names) {
    for (const [p, v] of Object.entries(schemas[n].properties ?? {})) {
      const e = v.enum ?? v.items?.enum;
      if (!e) continue;
      const key = JSON.stringify(e);
      if (!groups.has(key)) groups.set(key, { values: e, uses: [] });
      groups.get(key).uses.push({ schema: n, prop: p, array: !v.enum });
    }
  }
  const usedNames = new Set(names);
  for (const g of groups.values()) {
    const preferred = g.uses.map((u) => ENUM_NAMES[`${u.schema}.${u.prop}`]).find(Boolean);
    const name = preferred ?? `${g.uses[0].schema}${pascal(g.uses[0].prop)}`;
    if (usedNames.has(name)) fail(`enum alias name ${name} collides with another type`);
    usedNames.add(name);
    g.name = name;
  }
  const enumAlias = (schema, prop) => {
    for (const g of groups.values()) if (g.uses.some((u) => u.schema === schema && u.prop === prop)) return g;
    return undefined;
  };

  return { schemas, names, ops, side, groups, enumAlias, reqRoots, resRoots };
}

// ---------------------------------------------------------------------------
// Models

const OPEN = ' | (string & {})';

function formatNote(s) {
  switch (s.format) {
    case 'date-time':
      return 'Format: `date-time`: an ISO-8601 string such as `2026-08-15T12:34:56.789Z` (not converted to `Date`).';
    case 'date':
      return 'Format: `date`: an ISO-8601 date string such as `2026-08-15`.';
    case 'int64':
      return 'Format: `int64` (a JSON number; exact up to `Number.MAX_SAFE_INTEGER`).';
    case undefined:
      return undefined;
    default:
      return `Format: \`${s.format}\`.`;
  }
}

function emitModels(a) {
  const out = [];
  for (const n of a.names) {
    const sc = a.schemas[n];
    if (sc.type && sc.type !== 'object') fail(`schema ${n}: only object schemas are supported`);
    const side = a.side(n);
    const open = side !== 'request';
    const sideNote =
      side === 'request'
        ? 'Request model (sent to the API).' + (hasEnum(sc) ? ' Enum-typed fields are closed unions: other values do not type-check.' : '')
        : side === 'both'
          ? 'Used in both requests and responses.' + (hasEnum(sc) ? ' Enum-typed fields are open unions.' : '')
          : 'Response model (returned by the API).' +
            (hasEnum(sc) ? ' Enum-typed fields are open unions: values the API adds later still type-check as `string`.' : '');
    out.push(
      ...jsdoc([
        sc.description ? docText(sc.description) : undefined,
        '',
        sideNote,
        sc.deprecated ? '' : undefined,
        sc.deprecated ? '@deprecated' : undefined,
      ]),
    );
    out.push(`export interface ${n} {`);
    const required = new Set(sc.required ?? []);
    for (const [p, ps] of Object.entries(sc.properties ?? {})) {
      const target = ps.allOf?.length === 1 && ps.allOf[0].$ref ? a.schemas[refName(ps.allOf[0].$ref)] : undefined;
      const g = a.enumAlias(n, p);
      const lines = [];
      if (ps.description) lines.push(docText(ps.description));
      const fmt = formatNote(ps.items ?? ps);
      if (fmt) lines.push('', fmt);
      if (g && open) lines.push('', `Known values: {@link ${g.name}}. Other values are passed through unchanged.`);
      if (ps.default !== undefined) lines.push('', `@defaultValue ${JSON.stringify(ps.default)}`);
      if (ps.readOnly) lines.push('', 'Read-only: set by the server.' + (side !== 'response' ? ' Do not send it.' : ''));
      if (ps.deprecated || target?.deprecated) lines.push('', '@deprecated');
      out.push(...jsdoc(lines, '  '));
      const t = typeOf(a, n, p, ps, open);
      out.push(`  ${ps.readOnly ? 'readonly ' : ''}${propKey(p)}${required.has(p) ? '' : '?'}: ${t};`);
    }
    for (const r of required) if (!(r in (sc.properties ?? {}))) fail(`schema ${n}: required ${r} is not a property`);
    out.push('}', '');
  }
  return out;
}

function hasEnum(sc) {
  return Object.values(sc.properties ?? {}).some((p) => p.enum || p.items?.enum);
}

function typeOf(a, schema, prop, s, open) {
  const nullable = s.nullable ? ' | null' : '';
  const enumType = () => {
    const g = a.enumAlias(schema, prop) ?? fail(`no enum alias for ${schema}.${prop}`);
    return open ? `${g.name}${OPEN}` : g.name;
  };
  if (s.$ref) return refName(s.$ref) + nullable;
  if (s.allOf) {
    const parts = s.allOf.map((x) => (x.$ref ? refName(x.$ref) : fail(`${schema}.${prop}: inline allOf member`)));
    return parts.join(' & ') + nullable;
  }
  if (s.oneOf || s.anyOf) {
    const parts = (s.oneOf ?? s.anyOf).map((x) => typeOf(a, schema, prop, x, open));
    return parts.join(' | ') + nullable;
  }
  if (s.enum) return enumType() + nullable;
  switch (s.type) {
    case 'string':
      return 'string' + nullable;
    case 'integer':
    case 'number':
      return 'number' + nullable;
    case 'boolean':
      return 'boolean' + nullable;
    case 'array': {
      const it = s.items ?? fail(`${schema}.${prop}: array without items`);
      let t = it.enum ? enumType() : typeOf(a, schema, prop, it, open);
      if (/[|&]/.test(t)) t = `(${t})`;
      return `${t}[]` + nullable;
    }
    case 'object':
    case undefined: {
      if (s.properties) fail(`${schema}.${prop}: inline object schemas are not supported`);
      const ap = s.additionalProperties;
      if (ap && typeof ap === 'object') return `{ [key: string]: ${typeOf(a, schema, prop, ap, open)} }` + nullable;
      if (ap === true || s.type === 'object') return '{ [key: string]: unknown }' + nullable;
      return 'unknown';
    }
    default:
      return fail(`${schema}.${prop}: unsupported type ${s.type}`);
  }
}

function emitEnums(a) {
  const out = [];
  for (const g of a.groups.values()) {
    const uses = g.uses.map((u) => `{@link ${u.schema}.${u.prop}}${u.array ? ' (items)' : ''}`);
    const sides = [...new Set(g.uses.map((u) => a.side(u.schema)))];
    const note =
      sides.length === 1 && sides[0] === 'request'
        ? 'Closed union; only these values are accepted in requests.'
        : sides.includes('request') || sides.includes('both')
          ? 'Closed union of the documented values. Request fields accept only these; response fields widen it with `(string & {})` so values the API adds later still type-check.'
          : 'Documented values. Response fields widen it with `(string & {})` so values the API adds later still type-check.';
    out.push(...jsdoc([`${g.values.length} value${g.values.length === 1 ? '' : 's'}. Used by ${uses.join(', ')}.`, '', note]));
    const body = unionLines(g.values, '  ');
    if (body.length === 1) out.push(`export type ${g.name} = ${body[0]};`);
    else out.push(`export type ${g.name} =`, ...body.slice(0, -1), `${body[body.length - 1]};`);
    out.push('');
  }
  return out;
}

// ---------------------------------------------------------------------------
// API (template + spec-derived docs)

function regionHosts(spec) {
  const v = spec.servers?.[0]?.variables?.environment ?? fail('servers[0].variables.environment missing');
  const pairs = [...String(v.description ?? '').matchAll(/([a-z][a-z0-9_]*)=([a-z0-9.-]+\.[a-z]+)/g)].map((m) => [m[1], m[2]]);
  const hosts = pairs.map((p) => p[1]);
  const en = v.enum ?? [];
  if (pairs.length === 0 || hosts.length !== en.length || en.some((h, i) => h !== hosts[i]))
    fail('servers[0].variables.environment: the region names in the description do not match the enum');
  return { pairs, def: v.default };
}

function successResponse(op) {
  const codes = Object.keys(op.responses ?? {}).filter((c) => /^2\d\d$/.test(c)).sort();
  return codes.map((c) => ({ code: c, ...op.responses[c] }));
}

function opDoc(a, id, { extraParams = [], returns, iterator = false } = {}) {
  const op = a.ops.get(id);
  const lines = [];
  if (iterator) {
    lines.push(...returns.intro);
  } else {
    lines.push(docText(op.summary ?? id));
    if (op.description && !op.deprecated) lines.push('', docText(op.description));
  }
  lines.push('', `\`${op.method} ${op.path}\`${iterator ? ' (one request per page)' : ''}`);
  const perms = op['x-inin-requires-permissions'];
  if (perms?.permissions?.length) {
    const q = perms.type === 'ALL' ? 'all of' : 'any of';
    lines.push('', `Required permissions (${q}): ${perms.permissions.map((p) => `\`${p}\``).join(', ')}.`);
  }
  lines.push('');
  const params = [...op.pathParams, ...(op.parameters ?? [])];
  for (const p of params.filter((p) => p.in === 'path')) lines.push(`@param ${p.name} ${docText(p.description ?? '')}`);
  lines.push(...extraParams);
  if (iterator) lines.push(returns.line);
  else {
    const ok = successResponse(op);
    const desc = ok
      .map((r) => `HTTP ${r.code}${r.description && r.description !== 'successful operation' ? ` (${docText(r.description)})` : ''}`)
      .join(' or ');
    lines.push(`@returns ${returns} on ${desc}.`);
  }
  lines.push(
    '@throws {@link ValidationError} before any request when an argument does not match the spec.',
    '@throws {@link ApiError} (or a subclass such as {@link NotFoundError}) for a non-2xx response, after retries.',
    '@throws {@link TimeoutError}, {@link AbortError}, {@link ConnectionError} or {@link DecodeError}.',
  );
  if (op.deprecated) lines.push(`@deprecated ${docText(op.description || op.summary || '')}`);
  return lines;
}

function optionProps(a, id) {
  const op = a.ops.get(id);
  const out = [];
  for (const p of op.parameters ?? []) {
    if (p.in !== 'query') continue;
    const s = p.schema ?? {};
    let t;
    if (s.type === 'array') t = `${typeOf(a, id, p.name, s.items, false)}[]`;
    else t = typeOf(a, id, p.name, s, false);
    const lines = [docText(p.description ?? '')];
    if (s.default !== undefined) lines.push('', `@defaultValue ${JSON.stringify(s.default)}`);
    if (p.deprecated) lines.push('', '@deprecated');
    out.push(...jsdoc(lines), `${propKey(p.name)}${p.required ? '' : '?'}: ${t};`);
  }
  return out;
}

function bodyProp(a, id, { required = true } = {}) {
  const op = a.ops.get(id);
  const s = op.requestBody?.content?.['application/json']?.schema ?? fail(`${id}: no JSON request body`);
  const lines = [`Request body (${refName(s.$ref)}).`];
  if (op.requestBody.description) lines.push(docText(op.requestBody.description));
  return [...jsdoc([lines.join(' ')]), `body${required ? '' : '?'}: ${refName(s.$ref)};`];
}

function buildApi(spec, a) {
  const { pairs, def } = regionHosts(spec);
  const defName = pairs.find((p) => p[1] === def)?.[0];
  const op = (id) => a.ops.get(id);
  const ret = (id) => {
    const ok = successResponse(op(id));
    const s = ok.map((r) => r.content?.['application/json']?.schema).find(Boolean);
    return s ? `the {@link ${refName(s.$ref)}}` : 'nothing';
  };
  const P = {
    REGIONS: pairs.map(([k, h]) => `readonly ${k}: ${lit(h)};`),
    DEFAULT_REGION: [`The default region is \`${defName}\` (\`${def}\`).`],
    OPTS_getJourneySegments: optionProps(a, 'getJourneySegments'),
    OPTS_getJourneyActiontargets: optionProps(a, 'getJourneyActiontargets'),
    BODY_postJourneySegments: bodyProp(a, 'postJourneySegments'),
    BODY_patchJourneySegment: bodyProp(a, 'patchJourneySegment'),
    BODY_patchJourneyActiontarget: bodyProp(a, 'patchJourneyActiontarget'),
  };
  const optsParam = (name, optional = true) =>
    `@param opts ${name}${optional ? ' (optional)' : ''}: ${name === 'RequestOptions' ? 'per-call signal, timeout, retries and headers' : 'query parameters plus per-call settings'}.`;
  const D = {
    getJourneySegments: opDoc(a, 'getJourneySegments', { extraParams: [optsParam('GetJourneySegmentsOptions')], returns: ret('getJourneySegments') }),
    getJourneySegment: opDoc(a, 'getJourneySegment', { extraParams: [optsParam('RequestOptions')], returns: ret('getJourneySegment') }),
    postJourneySegments: opDoc(a, 'postJourneySegments', {
      extraParams: ['@param opts `body` (the segment to create) plus per-call settings.'],
      returns: ret('postJourneySegments'),
    }),
    patchJourneySegment: opDoc(a, 'patchJourneySegment', {
      extraParams: [
        '@param opts `body` (the fields to change) plus per-call settings. Send the current `version`; a',
        'stale one is rejected (409 {@link ConflictError}, or 400 "does not match the current version"): re-read and retry.',
      ],
      returns: ret('patchJourneySegment'),
    }),
    deleteJourneySegment: opDoc(a, 'deleteJourneySegment', { extraParams: [optsParam('RequestOptions')], returns: ret('deleteJourneySegment') }),
    getJourneyActiontargets: opDoc(a, 'getJourneyActiontargets', {
      extraParams: [optsParam('GetJourneyActiontargetsOptions')],
      returns: ret('getJourneyActiontargets'),
    }),
    getJourneyActiontarget: opDoc(a, 'getJourneyActiontarget', { extraParams: [optsParam('RequestOptions')], returns: ret('getJourneyActiontarget') }),
    patchJourneyActiontarget: opDoc(a, 'patchJourneyActiontarget', {
      extraParams: ['@param opts `body` (the fields to change) plus per-call settings.'],
      returns: ret('patchJourneyActiontarget'),
    }),
    postAnalyticsJourneysAggregatesQuery: opDoc(a, 'postAnalyticsJourneysAggregatesQuery', {
      extraParams: [
        `@param body ${docText(op('postAnalyticsJourneysAggregatesQuery').requestBody?.description || 'The query')}: \`interval\` and \`metrics\` are required.`,
        optsParam('RequestOptions'),
      ],
      returns: ret('postAnalyticsJourneysAggregatesQuery'),
    }),
    segments: opDoc(a, 'getJourneySegments', {
      iterator: true,
      extraParams: ['@param opts Same as {@link JourneyApi.getJourneySegments} except `pageNumber`; `pageSize` sets the page size.'],
      returns: {
        intro: [
          'Every segment, page by page, lazily: the next page is requested only when the previous one is',
          'used up, and iteration stops after the last page. Breaking out of a `for await` loop stops paging.',
        ],
        line: '@returns An async iterator of {@link JourneySegment}.',
      },
    }),
    actionTargets: opDoc(a, 'getJourneyActiontargets', {
      iterator: true,
      extraParams: ['@param opts Same as {@link JourneyApi.getJourneyActiontargets} except `pageNumber`.'],
      returns: {
        intro: ['Every action target, page by page, lazily (see {@link JourneyApi.segments}).'],
        line: '@returns An async iterator of {@link ActionTarget}.',
      },
    }),
  };
  for (const [k, v] of Object.entries(D)) P[`DOC_${k}`] = jsdoc(v);

  return TEMPLATE.replace(/^([ \t]*(?:\* )?)%%(\w+)%%$/gm, (_, indent, key) => {
    const lines = P[key] ?? fail(`template placeholder %%${key}%% has no value`);
    return lines.map((l) => (l ? indent + l : l)).join('\n');
  });
}

// ---------------------------------------------------------------------------
// Template: the hand-written JS API. %%NAME%% lines are replaced (indentation kept).

const TEMPLATE = `// ---------------------------------------------------------------------------
// Client

/**
 * Genesys Cloud region hosts. The API base URL is \`https://api.<host>\` and the
 * login (OAuth) base URL is \`https://login.<host>\`.
 * %%DEFAULT_REGION%%
 */
export declare const PureCloudRegionHosts: {
  %%REGIONS%%
};

/** Client-wide settings. Every field is optional. */
export interface ClientOptions {
  /** Retries after the first attempt for retryable failures. Default 3. */
  maxRetries?: number;
  /** Per-attempt timeout in ms. Default 16000. 0 disables. */
  timeout?: number;
  /** Longest Retry-After the client will wait, in ms; a longer one is not waited for and the error is thrown with retryAfterMs. Default 60000. */
  maxRetryAfterMs?: number;
}

/** Per-call settings accepted by every method. */
export interface RequestOptions {
  /** Cancels the call, including retries and back-off waits; the promise rejects with {@link AbortError}. */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms for this call; overrides {@link ClientOptions.timeout}. 0 disables. */
  timeout?: number;
  /** Retries after the first attempt for this call; overrides {@link ClientOptions.maxRetries}. */
  maxRetries?: number;
  /** Extra HTTP request headers for this call. */
  customHeaders?: Record<string, string>;
}

/** Options of {@link JourneyApi.getJourneySegments}: query parameters plus per-call settings. */
export interface GetJourneySegmentsOptions extends RequestOptions {
  %%OPTS_getJourneySegments%%
}

/**
 * Options of {@link JourneyApi.getJourneyActiontargets}: query parameters plus per-call settings.
 * @deprecated The action-target operations are deprecated.
 */
export interface GetJourneyActiontargetsOptions extends RequestOptions {
  %%OPTS_getJourneyActiontargets%%
}

/** Options of {@link JourneyApi.postJourneySegments}. */
export interface PostJourneySegmentsOptions extends RequestOptions {
  %%BODY_postJourneySegments%%
}

/** Options of {@link JourneyApi.patchJourneySegment}. */
export interface PatchJourneySegmentOptions extends RequestOptions {
  %%BODY_patchJourneySegment%%
}

/**
 * Options of {@link JourneyApi.patchJourneyActiontarget}.
 * @deprecated The action-target operations are deprecated.
 */
export interface PatchJourneyActiontargetOptions extends RequestOptions {
  %%BODY_patchJourneyActiontarget%%
}

/** Result of a login. */
export interface AuthData {
  /** The OAuth access token now used by the client. */
  accessToken: string;
  /** Expiry of the token, in ms since the Unix epoch. */
  tokenExpiryTime: number;
  /** Expiry of the token as a human-readable date string. */
  tokenExpiryTimeString: string;
}

/** What a method resolves to after \`setReturnExtendedResponses(true)\`. */
export interface ExtendedResponse<T> {
  status: number;
  statusText: string;
  /** Every response header, lower-case names. */
  headers: Record<string, string>;
  /** What the method resolves to by default (\`undefined\` for a delete). */
  body: T;
  /** \`ININ-Correlation-Id\`, or null if the response had none. */
  correlationId: string | null;
  error: null;
}

/**
 * A \`fetch\`-compatible function. It is called with the full URL and an init object with \`method\`,
 * \`headers\` (a plain object), \`redirect: "manual"\`, and \`body\` and \`signal\` when there are any;
 * it resolves to a \`Response\` or any object with the same \`status\`, \`headers.get()\` and \`text()\` (the body is parsed with \`JSON.parse\` of \`text()\`).
 * (Typed structurally, so the declarations need no DOM types.) A function that sets
 * \`handlesTimeout = true\` is given the per-attempt timeout as \`init.timeout\` (ms) instead of a
 * signal of the client's own, and must reject with an error named \`TimeoutError\` when it elapses.
 */
export type FetchLike = ((url: string, init: {
  method: string;
  headers: Record<string, string>;
  redirect: "manual";
  body?: string;
  signal?: AbortSignal;
  timeout?: number;
}) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>) & { handlesTimeout?: boolean };

/**
 * Connection settings, credentials and retry policy shared by the API objects created with it.
 */
export declare class ApiClient {
  /** The default client, used by \`new JourneyApi()\` without an argument. */
  static readonly instance: ApiClient;
  constructor(options?: ClientOptions);
  /**
   * Selects the region or server.
   * @param environment Region host ("mypurecloud.ie"), "api.mypurecloud.ie", "https://api.mypurecloud.ie", a PureCloudRegionHosts value, or a full base URL such as "http://127.0.0.1:8787".
   */
  setEnvironment(environment: string): void;
  /** Uses an OAuth access token obtained elsewhere; it is sent as \`Authorization: Bearer <token>\`. */
  setAccessToken(token: string): void;
  /** Change client-wide retry and timeout settings. */
  configure(options: ClientOptions): this;
  /**
   * The function requests go through, with the contract of \`fetch(url, init)\`. Defaults: \`globalThis.fetch\`
   * in browsers; in Node the package's own node:http transport (less CPU per call than Node's fetch).
   * Pass \`globalThis.fetch\`, a proxy-aware or instrumented fetch, or a test double; \`null\` restores the default.
   */
  setFetch(fetch: FetchLike | null): void;
  /**
   * As in the official SDK: when \`true\`, every method resolves to an {@link ExtendedResponse} around the
   * body instead of the body alone (cast the result: the method types describe the default). Failures
   * are rejected with the same error classes either way.
   */
  setReturnExtendedResponses(returnExtended: boolean): void;
  /**
   * OAuth client-credentials grant (Node only, like the official SDK). Sets the access token.
   *
   * \`POST https://login.<host>/oauth/token\` with HTTP Basic \`clientId:clientSecret\` and \`grant_type=client_credentials\`.
   */
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<AuthData>;
}

/**
 * The Journey operations. Every method validates its arguments before sending, retries retryable
 * failures up to \`maxRetries\` times (see {@link ClientOptions}), and rejects with a {@link JourneyApiError} subclass.
 */
export declare class JourneyApi {
  /** @param apiClient Defaults to {@link ApiClient.instance}. */
  constructor(apiClient?: ApiClient);
  %%DOC_getJourneySegments%%
  getJourneySegments(opts?: GetJourneySegmentsOptions): Promise<SegmentListing>;
  %%DOC_getJourneySegment%%
  getJourneySegment(segmentId: string, opts?: RequestOptions): Promise<JourneySegment>;
  %%DOC_postJourneySegments%%
  postJourneySegments(opts: PostJourneySegmentsOptions): Promise<JourneySegment>;
  %%DOC_patchJourneySegment%%
  patchJourneySegment(segmentId: string, opts: PatchJourneySegmentOptions): Promise<JourneySegment>;
  %%DOC_deleteJourneySegment%%
  deleteJourneySegment(segmentId: string, opts?: RequestOptions): Promise<void>;
  %%DOC_getJourneyActiontargets%%
  getJourneyActiontargets(opts?: GetJourneyActiontargetsOptions): Promise<ActionTargetListing>;
  %%DOC_getJourneyActiontarget%%
  getJourneyActiontarget(actionTargetId: string, opts?: RequestOptions): Promise<ActionTarget>;
  %%DOC_patchJourneyActiontarget%%
  patchJourneyActiontarget(actionTargetId: string, opts: PatchJourneyActiontargetOptions): Promise<ActionTarget>;
  %%DOC_postAnalyticsJourneysAggregatesQuery%%
  postAnalyticsJourneysAggregatesQuery(body: JourneyAggregationQuery, opts?: RequestOptions): Promise<JourneyAggregateQueryResponse>;
  %%DOC_segments%%
  segments(opts?: Omit<GetJourneySegmentsOptions, 'pageNumber'>): AsyncIterableIterator<JourneySegment>;
  %%DOC_actionTargets%%
  actionTargets(opts?: Omit<GetJourneyActiontargetsOptions, 'pageNumber'>): AsyncIterableIterator<ActionTarget>;
}

/** Resolves when the wasm module is instantiated (Node: already done at import; browsers: started on first use). Optional. */
export declare function ready(): Promise<void>;

// ---------------------------------------------------------------------------
// Errors

/**
 * Category of an HTTP error status: 400 \`bad_request\`, 401 \`unauthorized\`, 403 \`forbidden\`, 404 \`not_found\`,
 * 409 \`conflict\`, 429 \`rate_limited\`, >= 500 \`server_error\`, any other 4xx \`client_error\`, 3xx \`redirect\`.
 */
export type ApiErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'server_error' | 'client_error' | 'redirect';

/** Base class of every error this package throws. Use \`instanceof\` on the subclasses. */
export declare class JourneyApiError extends Error {
  readonly name: string;
}

/** An argument failed client-side validation against the spec; nothing was sent. */
export declare class ValidationError extends JourneyApiError {
  readonly name: 'ValidationError';
  /** Path of the offending value, e.g. "body.journey.patterns[0].streamType" or "opts.pageSize". */
  readonly field: string;
}

/** The API answered with a non-2xx status (after any retries). */
export declare class ApiError extends JourneyApiError {
  /** HTTP status code. */
  readonly status: number;
  /** Category of {@link ApiError.status}. */
  readonly kind: ApiErrorKind;
  /** \`ErrorBody.code\`, when the body had one. */
  readonly code?: string;
  /** The \`ININ-Correlation-Id\` response header. Quote it when contacting Genesys support. */
  readonly correlationId?: string;
  /** Parsed ErrorBody, or the raw text when the body was not JSON, or undefined when empty. */
  readonly body?: ErrorBody | string;
  /** The \`Retry-After\` response header, converted to ms. */
  readonly retryAfterMs?: number;
  /** The operation (method name) that failed, e.g. "getJourneySegment". */
  readonly operation: string;
}

/** HTTP 400. */
export declare class BadRequestError extends ApiError {}
/** HTTP 401: missing, invalid or expired access token. */
export declare class AuthenticationError extends ApiError {}
/** HTTP 403: the token lacks a required permission. */
export declare class PermissionDeniedError extends ApiError {}
/** HTTP 404. */
export declare class NotFoundError extends ApiError {}
/** HTTP 409, e.g. a stale segment \`version\` in a PATCH. */
export declare class ConflictError extends ApiError {}
/** HTTP 429, still failing after retries or with a Retry-After longer than \`maxRetryAfterMs\` (see {@link ApiError.retryAfterMs}). */
export declare class RateLimitError extends ApiError {}
/** HTTP 500 and above. */
export declare class InternalServerError extends ApiError {}

/** The request could not be sent or no response was received (DNS, TCP, TLS, CORS, ...). */
export declare class ConnectionError extends JourneyApiError {
  readonly operation: string;
}

/** An attempt took longer than the configured timeout. */
export declare class TimeoutError extends JourneyApiError {
  readonly operation: string;
  /** The per-attempt timeout that elapsed, in ms. */
  readonly timeoutMs: number;
}

/** The call was cancelled through \`RequestOptions.signal\`. */
export declare class AbortError extends JourneyApiError {
  readonly operation: string;
}

/** A 2xx response body could not be decoded as the expected model. */
export declare class DecodeError extends JourneyApiError {
  readonly operation: string;
  /** HTTP status of the undecodable response. */
  readonly status: number;
}
`;

// ---------------------------------------------------------------------------

function header(spec, a) {
  const counts = `${a.ops.size} operations, ${a.names.length} schemas`;
  return [
    '// GENERATED FILE: DO NOT EDIT.',
    `// Generated by scripts/gen-types.mjs from journey-openapi.json (${docText(spec.info?.title ?? '')}, ${docText(spec.info?.version ?? '')}; ${counts}).`,
    '// Regenerate with `node scripts/gen-types.mjs`; CI runs `node scripts/gen-types.mjs --check`.',
    '',
    '/**',
    ' * TypeScript declarations for `journey-api-wasm`, a Genesys Cloud Journey API client.',
    ' *',
    ' * Models:',
    ' * - Fields the spec marks required are non-optional; all others are optional.',
    ' * - Enums are closed string-literal unions in request models, and open unions',
    " *   (`'A' | 'B' | (string & {})`) in response models, so values the API adds later still",
    ' *   type-check. The named enum aliases (e.g. {@link JourneyMetric}) are the closed unions.',
    ' * - Dates are ISO-8601 strings; int32/int64/double are `number`.',
    ' * - Response objects are plain JSON objects. Fields the API returns that the spec does not',
    ' *   list are preserved at runtime but are not declared here (no index signatures).',
    ' */',
    '',
    '// Lets `RequestOptions.signal` type-check without the DOM lib or @types/node (merges with',
    '// their AbortSignal when present).',
    'declare global {',
    '  interface AbortSignal {}',
    '}',
    '',
  ];
}

export function generate(spec) {
  const a = analyse(spec);
  const parts = [
    ...header(spec, a),
    buildApi(spec, a),
    '// ---------------------------------------------------------------------------',
    '// Enums',
    '',
    ...emitEnums(a),
    '// ---------------------------------------------------------------------------',
    '// Models',
    '',
    ...emitModels(a),
  ];
  return parts.join('\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

function main(argv) {
  const args = argv.filter((x) => !x.startsWith('--'));
  const flags = new Set(argv.filter((x) => x.startsWith('--')));
  for (const f of flags) if (f !== '--check') fail(`unknown option ${f}`);
  const specPath = args[0] ? resolve(process.cwd(), args[0]) : DEFAULT_SPEC;
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const text = generate(spec);
  if (flags.has('--check')) {
    const cur = existsSync(OUT) ? readFileSync(OUT, 'utf8').replace(/\r\n/g, '\n') : null;
    if (cur !== text) {
      console.error(`${OUT_REL} is ${cur === null ? 'missing' : 'out of date'}; run: node scripts/gen-types.mjs`);
      return 1;
    }
    console.log(`${OUT_REL} is up to date.`);
    return 0;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT_REL}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exitCode = 2;
  }
}
