// Journey segments: a segment editor + dashboard on top of journey-api-wasm.
// Plain ES module, no framework, no build step. The package is imported by name through the
// import map in index.html. Server data is only ever written with textContent / properties.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** Creates an element. `props` are assigned as properties (text goes through textContent). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k.startsWith('aria-') || k === 'role' || k === 'for' || k === 'list') node.setAttribute(k, String(v));
    else node[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const OPERATORS = ['equal', 'notEqual', 'containsAll', 'containsAny', 'notContainsAll', 'notContainsAny',
  'startsWith', 'endsWith', 'greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual'];
const STREAM_TYPES = ['Web', 'App', 'Custom', 'Conversation'];
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numFmt = new Intl.NumberFormat();

function fmtDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFmt.format(d);
}
const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
function fmtDay(iso) {
  const d = new Date(iso ?? '');
  return Number.isNaN(d.getTime()) ? (iso ? String(iso) : '–') : dayFmt.format(d);
}
function safeColor(c) { return typeof c === 'string' && HEX_COLOR.test(c) ? c : '#9aa3ad'; }

// ---------------------------------------------------------------------------
// Errors

/** Plain description of any thrown value. */
function describeError(err) {
  if (err === null || typeof err !== 'object') return { name: 'Error', message: String(err) };
  return {
    name: err.name || err.constructor?.name || 'Error',
    message: err.message || String(err),
    status: err.status,
    code: err.code,
    correlationId: err.correlationId,
    field: err.field,
    operation: err.operation,
  };
}

/** Renders an error box into `slot` (replacing what was there). */
function showError(slot, err, title) {
  const d = describeError(err);
  const details = h('dl', { class: 'error-details' });
  const add = (label, value) => {
    if (value === undefined || value === null || value === '') return;
    details.append(h('dt', { text: label }), h('dd', { text: value }));
  };
  add('Status', d.status);
  add('Code', d.code);
  add('Correlation ID', d.correlationId);
  add('Field', d.field);
  add('Operation', d.operation);
  const box = h('div', { class: 'error-box', role: 'alert', dataset: { errorName: d.name } },
    h('div', { class: 'error-head' },
      h('strong', { class: 'error-name', text: d.name }),
      title ? h('span', { class: 'error-title', text: title }) : null,
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': 'Dismiss error', text: '✕',
        onclick: () => box.remove() })),
    h('p', { class: 'error-message', text: d.message }),
    details.childElementCount ? details : null);
  slot.replaceChildren(box);
  return box;
}
function clearError(slot) { slot.replaceChildren(); }

window.addEventListener('error', (e) => showError($('#global-error'), e.error ?? e.message, 'Unexpected error'));
window.addEventListener('unhandledrejection', (e) => showError($('#global-error'), e.reason, 'Unexpected error'));

// ---------------------------------------------------------------------------
// Package

let J;
try {
  J = await import('journey-api-wasm');
  await J.ready();
  $('#pkg-state').textContent = 'journey-api-wasm loaded · wasm ready';
  document.documentElement.dataset.pkg = 'ready';
} catch (err) {
  document.documentElement.dataset.pkg = 'failed';
  $('#pkg-state').textContent = 'journey-api-wasm failed to load';
  showError($('#global-error'), err, 'Could not load journey-api-wasm from /pkg/');
  throw err;
}

// ---------------------------------------------------------------------------
// State

const state = {
  api: null,
  environment: '',
  list: { pageNumber: 1, pageSize: 15, sortBy: 'displayName', query: '', fields: ['displayName', 'description'], isActive: undefined },
  listSeq: 0,
  lastListing: null,
  editing: null, // the JourneySegment being edited, or null when creating
  loaded: { dashboard: false, targets: false },
  tab: 'segments',
};

// ---------------------------------------------------------------------------
// Connection

function setStatus(kind, text) {
  const s = $('#status');
  s.dataset.state = kind;
  $('#status-text').textContent = text;
}

function initConnection() {
  const params = new URLSearchParams(location.search);
  const urlToken = params.get('token');
  if (urlToken) {
    sessionStorage.setItem('journey.token', urlToken);
    // Keep the token out of the address bar and history.
    params.delete('token');
    const qs = params.toString();
    history.replaceState(null, '', location.pathname + (qs ? `?${qs}` : '') + location.hash);
  }
  $('#conn-env').value = params.get('env') || sessionStorage.getItem('journey.env') || location.origin;
  $('#conn-token').value = urlToken || sessionStorage.getItem('journey.token') || '';
  $('#conn-form').addEventListener('submit', (e) => { e.preventDefault(); connect(); });
  if ($('#conn-token').value) connect();
}

async function connect() {
  const env = $('#conn-env').value.trim();
  const token = $('#conn-token').value.trim();
  clearError($('#global-error'));
  if (!env || !token) { setStatus('error', 'Enter an environment and an access token.'); return; }
  const btn = $('#conn-btn');
  btn.disabled = true;
  setStatus('busy', `Connecting to ${env}…`);
  try {
    const client = new J.ApiClient();
    client.setEnvironment(env);
    client.setAccessToken(token);
    const api = new J.JourneyApi(client);
    sessionStorage.setItem('journey.env', env);
    sessionStorage.setItem('journey.token', token);
    state.api = api;
    state.environment = env;
    state.loaded = { dashboard: false, targets: false };
    state.list.pageNumber = 1;
    const listing = await loadList();
    if (listing) {
      setStatus('ok', `Connected to ${env} · ${numFmt.format(listing.total ?? 0)} segments`);
      if (state.tab !== 'segments') activateTab(state.tab);
    } else {
      const d = describeError(state.lastListError);
      const why = d.status === 401 ? 'the access token was rejected' : d.status === 403 ? 'the token lacks journey:segment:view' : `${d.name}: ${d.message}`;
      setStatus('error', `Could not connect to ${env}: ${why} (details below).`);
    }
  } catch (err) {
    state.api = null;
    setStatus('error', `Connection failed: ${describeError(err).message}`);
    showError($('#global-error'), err, 'Connection failed');
  } finally {
    btn.disabled = false;
  }
}

function requireApi(slot) {
  if (state.api) return true;
  slot.replaceChildren(h('p', { class: 'hint', text: 'Connect first (environment + access token above).' }));
  return false;
}

// ---------------------------------------------------------------------------
// Tabs

function activateTab(name) {
  state.tab = name;
  for (const tab of $$('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute('aria-controls')}`).hidden = !on;
  }
  if (name === 'dashboard' && !state.loaded.dashboard && state.api) loadDashboard();
  if (name === 'targets' && !state.loaded.targets && state.api) loadTargets();
  if (name === 'dashboard' && !state.api) requireApi($('#dash-error'));
  if (name === 'targets' && !state.api) requireApi($('#targets-error'));
}

function initTabs() {
  const tabs = $$('[role="tab"]');
  for (const tab of tabs) {
    tab.addEventListener('click', () => activateTab(tab.id.replace('tab-', '')));
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      let next = null;
      if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      if (e.key === 'Home') next = tabs[0];
      if (e.key === 'End') next = tabs[tabs.length - 1];
      if (next) { e.preventDefault(); next.focus(); next.click(); }
    });
  }
}

// ---------------------------------------------------------------------------
// Segment list

async function loadList() {
  if (!requireApi($('#list-error'))) return null;
  const seq = ++state.listSeq;
  const { pageNumber, pageSize, sortBy, query, fields, isActive } = state.list;
  const opts = { pageNumber, pageSize, sortBy };
  if (isActive !== undefined) opts.isActive = isActive;
  if (query) { opts.queryFields = fields; opts.queryValue = query; }
  $('#segments-table').setAttribute('aria-busy', 'true');
  try {
    const listing = await state.api.getJourneySegments(opts);
    if (seq !== state.listSeq) return listing; // a newer request superseded this one
    clearError($('#list-error'));
    state.lastListing = listing;
    renderList(listing);
    return listing;
  } catch (err) {
    if (seq === state.listSeq) { state.lastListError = err; showError($('#list-error'), err, 'Could not list segments'); }
    return null;
  } finally {
    if (seq === state.listSeq) $('#segments-table').removeAttribute('aria-busy');
  }
}

function renderList(listing) {
  const body = $('#segments-body');
  const rows = (listing.entities ?? []).map((s) => {
    const open = h('button', { type: 'button', class: 'link', text: s.displayName || '(unnamed)',
      onclick: () => openSegment(s.id) });
    const tr = h('tr', { dataset: { id: s.id } },
      h('td', {}, h('div', { class: 'name-cell' },
        h('span', { class: 'swatch', title: s.color ?? '', 'aria-hidden': 'true', style: `background:${safeColor(s.color)}` }),
        h('span', { class: 'name-text' }, open,
          s.description ? h('span', { class: 'sub', text: s.description }) : null))),
      h('td', {}, h('span', { class: `pill ${s.isActive ? 'pill-on' : 'pill-off'}`, text: s.isActive ? 'Active' : 'Inactive' })),
      h('td', { text: s.scope ?? '–' }),
      h('td', { class: 'num', text: s.version ?? '–' }),
      h('td', { class: 'date', title: fmtDate(s.modifiedDate) }, h('time', { dateTime: s.modifiedDate ?? '', text: fmtDay(s.modifiedDate) })));
    if (state.editing && state.editing.id === s.id) tr.classList.add('selected');
    return tr;
  });
  body.replaceChildren(...rows);
  $('#segments-empty').hidden = rows.length > 0;
  const total = listing.total ?? rows.length;
  const pageCount = Math.max(1, listing.pageCount ?? Math.ceil(total / state.list.pageSize));
  const page = listing.pageNumber ?? state.list.pageNumber;
  $('#list-summary').textContent = `Page ${page} of ${pageCount} · ${numFmt.format(total)} segment${total === 1 ? '' : 's'}`;
  $('#list-summary').dataset.total = String(total);
  $('#prev-page').disabled = page <= 1;
  $('#next-page').disabled = page >= pageCount;
  for (const th of $$('#segments-table th[data-sort]')) {
    const f = th.dataset.sort;
    const sort = state.list.sortBy;
    th.setAttribute('aria-sort', sort === f ? 'ascending' : sort === `-${f}` ? 'descending' : 'none');
  }
}

function initList() {
  let timer = 0;
  $('#search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.list.query = $('#search').value.trim(); state.list.pageNumber = 1; loadList(); }, 250);
  });
  $('#filters').addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(timer); state.list.query = $('#search').value.trim(); state.list.pageNumber = 1; loadList(); });
  $('#search-fields').addEventListener('change', (e) => {
    state.list.fields = e.target.value.split(','); state.list.pageNumber = 1; if (state.list.query) loadList();
  });
  $('#active-filter').addEventListener('change', (e) => {
    state.list.isActive = e.target.value === '' ? undefined : e.target.value === 'true'; state.list.pageNumber = 1; loadList();
  });
  $('#page-size').addEventListener('change', (e) => { state.list.pageSize = Number(e.target.value); state.list.pageNumber = 1; loadList(); });
  $('#prev-page').addEventListener('click', () => { if (state.list.pageNumber > 1) { state.list.pageNumber--; loadList(); } });
  $('#next-page').addEventListener('click', () => { state.list.pageNumber++; loadList(); });
  for (const th of $$('#segments-table th[data-sort]')) {
    $('button', th).addEventListener('click', () => {
      const f = th.dataset.sort;
      state.list.sortBy = state.list.sortBy === f ? `-${f}` : f;
      state.list.pageNumber = 1;
      loadList();
    });
  }
  $('#new-segment').addEventListener('click', () => openEditor(null));
}

// ---------------------------------------------------------------------------
// Segment editor

function criterionRow(c = {}) {
  const opSelect = h('select', { class: 'c-op', 'aria-label': 'Operator' },
    OPERATORS.map((op) => h('option', { value: op, text: op, selected: op === (c.operator ?? 'equal') })));
  const row = h('div', { class: 'criterion' },
    h('div', { class: 'mini', dataset: { rel: 'key' } },
      h('label', {}, h('span', { text: 'Key' }), h('input', { class: 'c-key', type: 'text', value: c.key ?? '', placeholder: 'page.url', spellcheck: false })),
      h('span', { class: 'field-error' })),
    h('div', { class: 'mini', dataset: { rel: 'operator' } },
      h('label', {}, h('span', { text: 'Operator' }), opSelect),
      h('span', { class: 'field-error' })),
    h('div', { class: 'mini mini-grow', dataset: { rel: 'values' } },
      h('label', {}, h('span', { text: 'Values (comma-separated)' }),
        h('input', { class: 'c-values', type: 'text', value: (c.values ?? []).join(', '), placeholder: '/pricing, /checkout', spellcheck: false })),
      h('span', { class: 'field-error' })),
    h('label', { class: 'check check-small' }, h('input', { class: 'c-ignore', type: 'checkbox', checked: c.shouldIgnoreCase ?? true }), 'Ignore case'),
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': 'Remove criterion', text: '✕',
      onclick: () => { row.remove(); renumberPatterns(); } }));
  return row;
}

function patternBox(p = {}) {
  const criteria = h('div', { class: 'criteria' });
  for (const c of (p.criteria?.length ? p.criteria : [{}])) criteria.append(criterionRow(c));
  const box = h('fieldset', { class: 'pattern' },
    h('legend', { class: 'pattern-title', text: 'Pattern' }),
    criteria,
    h('button', { type: 'button', class: 'btn btn-small', text: '+ Criterion', onclick: () => { criteria.append(criterionRow()); renumberPatterns(); } }),
    h('div', { class: 'pattern-row' },
      h('div', { class: 'mini', dataset: { rel: 'count' } },
        h('label', {}, h('span', { text: 'Count' }), h('input', { class: 'p-count', type: 'number', min: '1', step: '1', value: p.count ?? 1 })),
        h('span', { class: 'field-error' })),
      h('div', { class: 'mini', dataset: { rel: 'streamType' } },
        h('label', {}, h('span', { text: 'Stream type' }),
          h('select', { class: 'p-stream' }, STREAM_TYPES.map((t) => h('option', { value: t, text: t, selected: t === (p.streamType ?? 'Web') })))),
        h('span', { class: 'field-error' })),
      h('div', { class: 'mini', dataset: { rel: 'sessionType' } },
        h('label', {}, h('span', { text: 'Session type' }), h('input', { class: 'p-session', type: 'text', value: p.sessionType ?? 'web', list: 'session-types', spellcheck: false })),
        h('span', { class: 'field-error' })),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-remove-pattern', text: 'Remove pattern',
        onclick: () => { box.remove(); renumberPatterns(); } })));
  if (p.eventName) box.dataset.eventName = p.eventName;
  return box;
}

/** Gives every pattern/criterion input its spec path in data-field (used to place errors). */
function renumberPatterns() {
  $$('#patterns > .pattern').forEach((box, i) => {
    box.dataset.field = `journey.patterns[${i}]`;
    $('legend', box).textContent = `Pattern ${i + 1}`;
    for (const mini of $$(':scope > .pattern-row > .mini', box)) mini.dataset.field = `journey.patterns[${i}].${mini.dataset.rel}`;
    $$('.criterion', box).forEach((row, j) => {
      row.dataset.field = `journey.patterns[${i}].criteria[${j}]`;
      for (const mini of $$('.mini', row)) mini.dataset.field = `journey.patterns[${i}].criteria[${j}].${mini.dataset.rel}`;
    });
  });
}

function readPatterns() {
  return $$('#patterns > .pattern').map((box) => {
    const countRaw = $('.p-count', box).value.trim();
    const pattern = {
      criteria: $$('.criterion', box).map((row) => ({
        key: $('.c-key', row).value.trim(),
        values: $('.c-values', row).value.split(',').map((v) => v.trim()).filter(Boolean),
        shouldIgnoreCase: $('.c-ignore', row).checked,
        operator: $('.c-op', row).value,
      })),
      count: countRaw === '' ? undefined : Number(countRaw),
      streamType: $('.p-stream', box).value,
      sessionType: $('.p-session', box).value.trim(),
    };
    if (box.dataset.eventName) pattern.eventName = box.dataset.eventName;
    return pattern;
  });
}

function normalizePatterns(patterns) {
  return JSON.stringify((patterns ?? []).map((p) => ({
    criteria: (p.criteria ?? []).map((c) => ({ key: c.key, values: c.values ?? [], shouldIgnoreCase: c.shouldIgnoreCase ?? true, operator: c.operator ?? 'equal' })),
    count: p.count, streamType: p.streamType, sessionType: p.sessionType, eventName: p.eventName ?? undefined,
  })));
}

function clearFieldErrors() {
  for (const e of $$('#segment-form .field-error')) e.textContent = '';
  for (const e of $$('#segment-form [aria-invalid="true"]')) e.removeAttribute('aria-invalid');
  for (const e of $$('#segment-form .has-error')) e.classList.remove('has-error');
}

/** Shows `message` next to the form element for `path` (e.g. "body.journey.patterns[0].count"). Returns true if placed. */
function showFieldError(path, message) {
  if (!path) return false;
  let p = path.replace(/^(body|opts)\./, '');
  while (p) {
    const target = $(`#segment-form [data-field="${CSS.escape(p)}"]`);
    if (target) {
      const slot = $(':scope > .field-error', target) ?? $('.field-error', target);
      if (slot) slot.textContent = message;
      target.classList.add('has-error');
      const input = $('input[name], select[name], textarea[name]', target) ?? $('input, select, textarea', target);
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus({ preventScroll: false }); }
      return Boolean(slot);
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return false;
}

/** The field an API 400 refers to: ErrorBody.details[].fieldName or a "field: message" prefix. */
function apiErrorField(err) {
  const body = err?.body && typeof err.body === 'object' ? err.body : null;
  const fromDetails = body?.details?.find((d) => d.fieldName)?.fieldName;
  if (fromDetails) return fromDetails;
  const m = /^(?:\d{3} )?([A-Za-z][\w.[\]]*): /.exec(body?.message ?? err?.message ?? '');
  return m ? m[1] : null;
}

function fieldMessage(err) {
  const msg = describeError(err).message;
  return msg.replace(/^\d{3} /, '').replace(/^(?:body|opts)\.[\w.[\]]+: /, '').replace(/^[A-Za-z][\w.[\]]*: /, '');
}

function setColor(value) {
  $('#seg-color-text').value = value ?? '';
  if (HEX_COLOR.test(value ?? '')) $('#seg-color').value = value.toLowerCase();
}

function fillForm(seg) {
  clearFieldErrors();
  clearError($('#editor-error'));
  $('#conflict').hidden = true;
  $('#save-state').textContent = '';
  $('#seg-name').value = seg?.displayName ?? '';
  $('#seg-desc').value = seg?.description ?? '';
  setColor(seg?.color ?? '#1f77b4');
  $('#seg-active').checked = seg ? Boolean(seg.isActive) : true;
  $('#seg-agent').checked = Boolean(seg?.shouldDisplayToAgent);
  $('#seg-expiry').value = seg?.assignmentExpirationDays ?? '';
  $('#patterns').replaceChildren(...(seg?.journey?.patterns ?? []).map((p) => patternBox(p)));
  renumberPatterns();
  const ctx = seg?.context?.patterns?.length ?? 0;
  $('#context-note').hidden = ctx === 0;
  $('#context-note').textContent = ctx ? `${ctx} context pattern${ctx === 1 ? '' : 's'} (visit criteria) kept unchanged; they are not editable here.` : '';
  const meta = $('#seg-meta');
  meta.replaceChildren();
  if (seg) {
    const add = (k, v) => meta.append(h('div', {}, h('dt', { text: k }), h('dd', { text: v })));
    add('ID', seg.id);
    add('Version', seg.version);
    add('Scope', seg.scope ?? '–');
    add('Created', fmtDate(seg.createdDate));
    add('Modified', fmtDate(seg.modifiedDate));
  }
  meta.hidden = !seg;
  $('#editor-title').textContent = seg ? `Edit “${seg.displayName}”` : 'New segment';
  $('#seg-delete').hidden = !seg;
  $('#seg-save').textContent = seg ? 'Save changes' : 'Create segment';
  $('#editor').dataset.mode = seg ? 'edit' : 'create';
  $('#editor').dataset.version = seg ? String(seg.version) : '';
}

function openEditor(seg) {
  state.editing = seg;
  $('#editor').hidden = false;
  fillForm(seg);
  for (const tr of $$('#segments-body tr')) tr.classList.toggle('selected', Boolean(seg) && tr.dataset.id === seg.id);
  $('#seg-name').focus();
  if (window.matchMedia('(max-width: 960px)').matches) $('#editor').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

async function openSegment(id) {
  if (!state.api) return;
  clearError($('#editor-error'));
  try {
    const seg = await state.api.getJourneySegment(id);
    openEditor(seg);
  } catch (err) {
    $('#editor').hidden = false;
    showError($('#editor-error'), err, 'Could not load the segment');
  }
}

function closeEditor() {
  state.editing = null;
  $('#editor').hidden = true;
  for (const tr of $$('#segments-body tr')) tr.classList.remove('selected');
}

/** Builds the create body or the PATCH body (changed fields + version). */
function buildBody() {
  const seg = state.editing;
  const expiryRaw = $('#seg-expiry').value.trim();
  const form = {
    displayName: $('#seg-name').value.trim(),
    description: $('#seg-desc').value,
    color: $('#seg-color-text').value.trim(),
    isActive: $('#seg-active').checked,
    shouldDisplayToAgent: $('#seg-agent').checked,
    assignmentExpirationDays: expiryRaw === '' ? undefined : Number(expiryRaw),
  };
  const patterns = readPatterns();
  if (!seg) {
    const body = { displayName: form.displayName, isActive: form.isActive, shouldDisplayToAgent: form.shouldDisplayToAgent };
    if (form.description) body.description = form.description;
    if (form.color) body.color = form.color;
    if (form.assignmentExpirationDays !== undefined) body.assignmentExpirationDays = form.assignmentExpirationDays;
    if (patterns.length) body.journey = { patterns };
    return body;
  }
  const body = { version: seg.version };
  if (form.displayName !== seg.displayName) body.displayName = form.displayName;
  if (form.description !== (seg.description ?? '')) body.description = form.description;
  if (form.color.toLowerCase() !== (seg.color ?? '').toLowerCase()) body.color = form.color;
  if (form.isActive !== Boolean(seg.isActive)) body.isActive = form.isActive;
  if (form.shouldDisplayToAgent !== Boolean(seg.shouldDisplayToAgent)) body.shouldDisplayToAgent = form.shouldDisplayToAgent;
  if (form.assignmentExpirationDays !== seg.assignmentExpirationDays && form.assignmentExpirationDays !== undefined) {
    body.assignmentExpirationDays = form.assignmentExpirationDays;
  }
  if (normalizePatterns(patterns) !== normalizePatterns(seg.journey?.patterns)) body.journey = { patterns };
  return body;
}

function isConflict(err) {
  return err instanceof J.ConflictError
    || (err instanceof J.ApiError && /does not match the current version/i.test(err.message ?? ''));
}

async function saveSegment(e) {
  e.preventDefault();
  if (!state.api) { showError($('#editor-error'), new Error('Not connected.'), 'Cannot save'); return; }
  clearFieldErrors();
  clearError($('#editor-error'));
  $('#conflict').hidden = true;
  const seg = state.editing;
  const body = buildBody();
  if (seg && Object.keys(body).length === 1) { $('#save-state').textContent = 'No changes to save.'; return; }
  const btn = $('#seg-save');
  btn.disabled = true;
  $('#save-state').textContent = 'Saving…';
  try {
    const saved = seg
      ? await state.api.patchJourneySegment(seg.id, { body })
      : await state.api.postJourneySegments({ body });
    state.editing = saved;
    fillForm(saved);
    $('#save-state').textContent = seg ? `Saved · version ${saved.version}` : `Created · version ${saved.version}`;
    state.loaded.dashboard = false;
    await loadList();
    for (const tr of $$('#segments-body tr')) tr.classList.toggle('selected', tr.dataset.id === saved.id);
  } catch (err) {
    $('#save-state').textContent = '';
    if (err instanceof J.ValidationError) {
      // Thrown by the package before anything was sent.
      if (!showFieldError(err.field, fieldMessage(err))) showError($('#editor-error'), err, 'Not sent: invalid input');
      $('#save-state').textContent = 'Not saved: fix the highlighted field.';
    } else if (isConflict(err)) {
      $('#conflict-text').textContent = `Someone saved this segment after you opened version ${seg?.version}. Reload the latest version (your unsaved edits will be lost) and apply your change again.`;
      $('#conflict').hidden = false;
      showError($('#editor-error'), err, 'Save rejected');
    } else if (err instanceof J.ApiError && err.status === 400 && showFieldError(apiErrorField(err), fieldMessage(err))) {
      showError($('#editor-error'), err, 'Rejected by the server');
    } else if (err instanceof J.NotFoundError) {
      showError($('#editor-error'), err, 'The segment no longer exists');
      loadList();
    } else {
      showError($('#editor-error'), err, seg ? 'Save failed' : 'Create failed');
    }
  } finally {
    btn.disabled = false;
  }
}

async function reloadEditing() {
  const seg = state.editing;
  if (!seg || !state.api) return;
  try {
    const fresh = await state.api.getJourneySegment(seg.id);
    state.editing = fresh;
    fillForm(fresh);
    $('#save-state').textContent = `Reloaded · version ${fresh.version}`;
    loadList();
  } catch (err) {
    showError($('#editor-error'), err, 'Reload failed');
  }
}

async function deleteSegment() {
  const seg = state.editing;
  if (!seg || !state.api) return;
  const dialog = $('#confirm-delete');
  $('#confirm-name').textContent = seg.displayName;
  const answer = await new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
  if (answer !== 'delete') return;
  try {
    await state.api.deleteJourneySegment(seg.id);
    closeEditor();
    setStatus('ok', `Deleted “${seg.displayName}”.`);
    state.loaded.dashboard = false;
    await loadList();
  } catch (err) {
    showError($('#editor-error'), err, 'Delete failed');
  }
}

function initEditor() {
  document.body.append(h('datalist', { id: 'session-types' }, h('option', { value: 'web' }), h('option', { value: 'app' })));
  $('#segment-form').addEventListener('submit', saveSegment);
  $('#seg-color').addEventListener('input', (e) => { $('#seg-color-text').value = e.target.value; });
  $('#seg-color-text').addEventListener('input', (e) => { if (HEX_COLOR.test(e.target.value.trim())) $('#seg-color').value = e.target.value.trim().toLowerCase(); });
  $('#add-pattern').addEventListener('click', () => { $('#patterns').append(patternBox()); renumberPatterns(); });
  $('#editor-close').addEventListener('click', closeEditor);
  $('#seg-delete').addEventListener('click', deleteSegment);
  $('#conflict-reload').addEventListener('click', reloadEditing);
  $('#editor').addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('#confirm-delete').open) closeEditor(); });
}

// ---------------------------------------------------------------------------
// Dashboard

function isoSeconds(d) { return d.toISOString().replace(/\.\d{3}Z$/, 'Z'); }

function metricCount(stats) {
  if (!stats) return 0;
  return stats.count ?? stats.sum ?? stats.calculatedMetricValue ?? 0;
}

async function loadDashboard() {
  if (!requireApi($('#dash-error'))) return;
  const end = new Date();
  const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
  const interval = `${isoSeconds(start)}/${isoSeconds(end)}`;
  $('#dash-interval').textContent = `${fmtDate(start.toISOString())} – ${fmtDate(end.toISOString())}`;
  $('#chart').setAttribute('aria-busy', 'true');
  $('#dash-refresh').disabled = true;
  try {
    const names = new Map();
    const [grouped, totals] = await Promise.all([
      state.api.postAnalyticsJourneysAggregatesQuery({ interval, groupBy: ['journeySegmentId'], metrics: ['nJourneySegmentsAssigned'] }),
      state.api.postAnalyticsJourneysAggregatesQuery({ interval, metrics: ['nJourneySessions'] }),
      (async () => { for await (const s of state.api.segments({ pageSize: 100 })) names.set(s.id, s); })(),
    ]);
    clearError($('#dash-error'));
    const sum = (res, metric) => (res.results ?? []).flatMap((r) => r.data ?? []).flatMap((d) => d.metrics ?? [])
      .filter((m) => m.metric === metric).reduce((a, m) => a + metricCount(m.stats), 0);
    const rows = (grouped.results ?? []).map((r) => {
      const id = r.group?.journeySegmentId ?? '';
      return { id, seg: names.get(id), value: sum({ results: [r] }, 'nJourneySegmentsAssigned') };
    }).filter((r) => r.value > 0).sort((a, b) => b.value - a.value);
    $('#kpi-sessions').textContent = numFmt.format(sum(totals, 'nJourneySessions'));
    $('#kpi-assigned').textContent = numFmt.format(rows.reduce((a, r) => a + r.value, 0));
    $('#kpi-segments').textContent = numFmt.format(rows.length);
    renderChart(rows);
    state.loaded.dashboard = true;
  } catch (err) {
    showError($('#dash-error'), err, 'Could not load the aggregates');
  } finally {
    $('#chart').removeAttribute('aria-busy');
    $('#dash-refresh').disabled = false;
  }
}

function renderChart(rows) {
  const TOP = 15;
  const shown = rows.slice(0, TOP);
  const max = Math.max(1, ...shown.map((r) => r.value));
  const chart = $('#chart');
  if (!shown.length) {
    chart.replaceChildren(h('p', { class: 'empty', text: 'No segment assignments in this interval.' }));
  } else {
    chart.replaceChildren(h('ol', { class: 'bars' }, shown.map((r) => {
      const name = r.seg?.displayName ?? `Deleted segment ${r.id.slice(0, 8)}…`;
      const pct = (r.value / max) * 100;
      return h('li', { class: 'bar-row', title: `${name}: ${numFmt.format(r.value)}` },
        h('span', { class: 'bar-label' },
          h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${safeColor(r.seg?.color)}` }),
          h('span', { class: 'bar-name', text: name })),
        h('span', { class: 'bar-track' },
          h('span', { class: 'bar', style: `width:${pct.toFixed(2)}%;background:${safeColor(r.seg?.color)}` })),
        h('span', { class: 'bar-value', text: numFmt.format(r.value) }));
    })));
  }
  chart.setAttribute('aria-label', `Bar chart of segment assignments for the top ${shown.length} segments`);
  $('#chart-more').textContent = rows.length > TOP ? `Top ${TOP} of ${rows.length} segments with assignments.` : '';
}

// ---------------------------------------------------------------------------
// Action targets (deprecated API)

async function loadTargets() {
  if (!requireApi($('#targets-error'))) return;
  $('#targets-refresh').disabled = true;
  try {
    const listing = await state.api.getJourneyActiontargets({ pageSize: 100 });
    clearError($('#targets-error'));
    const rows = (listing.entities ?? []).map((t) => h('tr', {},
      h('td', { class: 'strong', text: t.name ?? '–' }),
      h('td', {}, h('span', { class: `pill ${t.state === 'active' ? 'pill-on' : 'pill-off'}`, text: t.state ?? '–' })),
      h('td', {}, (t.supportedMediaTypes ?? []).map((m) => h('span', { class: 'tag', text: m }))),
      h('td', { class: 'num', text: t.serviceLevel ? `${Math.round((t.serviceLevel.percentage ?? 0) * 100)}% in ${Math.round((t.serviceLevel.durationMs ?? 0) / 1000)} s` : '–' }),
      h('td', { class: 'muted', text: t.description ?? '' })));
    $('#targets-body').replaceChildren(...rows);
    $('#targets-summary').textContent = `${numFmt.format(listing.total ?? rows.length)} action target(s).`;
    state.loaded.targets = true;
  } catch (err) {
    showError($('#targets-error'), err, 'Could not list action targets');
  } finally {
    $('#targets-refresh').disabled = false;
  }
}

// ---------------------------------------------------------------------------

initTabs();
initList();
initEditor();
$('#dash-refresh').addEventListener('click', loadDashboard);
$('#targets-refresh').addEventListener('click', loadTargets);
initConnection();
