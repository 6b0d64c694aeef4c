// Browser test of the web app in www/: the emulator serves www/ and pkg/, Debian's Chromium
// (driven by playwright-core from the repo root's devDependencies) exercises the UI.
//
//   npm ci && npm run build && cargo build -p journey-emulator   # once
//   node --test tests/browser/
//
// Env: EMULATOR_BIN (default target/debug/journey-emulator), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT_DIR (default target).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const emulatorBin = process.env.EMULATOR_BIN || path.join(root, 'target/debug/journey-emulator');
const chromiumBin = process.env.CHROMIUM || '/usr/bin/chromium';
const shotDir = path.resolve(root, process.env.SCREENSHOT_DIR || 'target');
const TOKEN = 'browser-token';

let emulator;
let base;
let browser;
let page;
const pageErrors = [];
const consoleErrors = [];
const apiRequests = [];

/** Direct call to the emulator (bypassing the page), e.g. to make a concurrent edit. */
async function api(method, p, body) {
  const res = await fetch(base + p, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn(emulatorBin, ['--memory', '--port', '0', '--token', TOKEN, '--www', 'www', '--pkg', 'pkg'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 15 s:\n${out}`)), 15000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1].replace(/\/$/, '') }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}):\n${out}`)); });
  });
}

before(async () => {
  assert.ok(existsSync(emulatorBin), `emulator binary missing: ${emulatorBin} (cargo build -p journey-emulator)`);
  assert.ok(existsSync(path.join(root, 'pkg/index.js')), 'pkg/ missing: run `npm run build` first');
  const started = await startEmulator();
  emulator = started.child;
  base = started.url;
  browser = await chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) apiRequests.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  await page.goto(`${base}/?token=${TOKEN}`);
});

after(async () => {
  await browser?.close();
  emulator?.kill();
});

test('the package loads in the page by name through the import map', async () => {
  await page.waitForSelector('html[data-pkg="ready"]');
  const info = await page.evaluate(async () => {
    const m = await import('journey-api-wasm');
    return {
      importMap: JSON.parse(document.querySelector('script[type="importmap"]').textContent),
      exports: ['ApiClient', 'JourneyApi', 'ApiError', 'ValidationError', 'ConflictError', 'NotFoundError', 'ready']
        .filter((k) => typeof m[k] === 'function'),
      wasm: performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')),
    };
  });
  assert.equal(info.importMap.imports['journey-api-wasm'], '/pkg/index.js');
  assert.equal(info.exports.length, 7, `exports found: ${info.exports}`);
  assert.ok(info.wasm, 'the .wasm module was fetched');
  assert.match(await page.textContent('#pkg-state'), /wasm ready/);
  // The token was taken from ?token= and removed from the address bar.
  assert.ok(!page.url().includes('token='), page.url());
});

test('segments are listed with their total; sort and search work', async () => {
  const { json } = await api('GET', '/api/v2/journey/segments?pageSize=1');
  const total = json.total;
  await page.waitForFunction(() => document.querySelectorAll('#segments-body tr').length > 0);
  await page.waitForFunction((t) => document.querySelector('#list-summary').dataset.total === String(t), total);
  assert.match(await page.textContent('#list-summary'), new RegExp(`Page 1 of \\d+ · ${total} segments`));
  assert.match(await page.textContent('#status-text'), /Connected/);
  assert.equal(await page.locator('#segments-body tr').count(), 15);
  assert.equal(await page.locator('#segments-body tr .swatch').count(), 15);

  const names = () => page.$$eval('#segments-body tr .link', (els) => els.map((e) => e.textContent));
  const asc = await names();
  await page.click('th[data-sort="displayName"] button');
  await page.waitForSelector('th[data-sort="displayName"][aria-sort="descending"]');
  await page.waitForFunction((first) => document.querySelector('#segments-body tr .link')?.textContent !== first, asc[0]);
  const desc = await names();
  assert.ok(desc[0].localeCompare(asc[0]) > 0, `descending starts after ascending: ${desc[0]} vs ${asc[0]}`);
  await page.click('th[data-sort="displayName"] button'); // back to ascending

  await page.click('#next-page');
  await page.waitForFunction(() => /^Page 2 /.test(document.querySelector('#list-summary').textContent));
  await page.click('#prev-page');
  await page.waitForFunction(() => /^Page 1 /.test(document.querySelector('#list-summary').textContent));

  const target = json.entities[0].displayName;
  await page.fill('#search', target);
  await page.waitForFunction(([n, t]) => {
    const rows = [...document.querySelectorAll('#segments-body tr .link')].map((e) => e.textContent);
    return rows.includes(n) && Number(document.querySelector('#list-summary').dataset.total) < t;
  }, [target, total]);
  await page.fill('#search', '');
  await page.waitForFunction((t) => document.querySelector('#list-summary').dataset.total === String(t), total);
});

test("a segment's details open in the editor", async () => {
  const row = page.locator('#segments-body tr').first();
  const name = await row.locator('.link').textContent();
  const id = await row.getAttribute('data-id');
  await row.locator('.link').click();
  await page.waitForSelector('#editor[data-mode="edit"]');
  assert.equal(await page.inputValue('#seg-name'), name);
  const { json } = await api('GET', `/api/v2/journey/segments/${id}`);
  assert.equal(await page.getAttribute('#editor', 'data-version'), String(json.version));
  assert.equal(await page.inputValue('#seg-color-text'), json.color);
  assert.match(await page.textContent('#seg-meta'), new RegExp(id));
});

const newName = `Browser test segment ${Date.now().toString(36)}`;
let createdId;

test('a new segment is created through the form and appears in the list', async () => {
  await page.click('#new-segment');
  await page.waitForSelector('#editor[data-mode="create"]');
  await page.fill('#seg-name', newName);
  await page.fill('#seg-desc', 'Visitors who looked at pricing twice');
  await page.fill('#seg-color-text', '#3366cc');
  await page.click('#add-pattern');
  await page.fill('#patterns .c-key', 'page.url');
  await page.selectOption('#patterns .c-op', 'containsAny');
  await page.fill('#patterns .c-values', '/pricing, /plans');
  await page.fill('#patterns .p-count', '2');
  await page.click('#seg-save');
  await page.waitForFunction(() => /^Created · version 1/.test(document.querySelector('#save-state').textContent));
  assert.equal(await page.getAttribute('#editor', 'data-mode'), 'edit');
  const { json } = await api('GET', `/api/v2/journey/segments?queryFields=displayName&queryValue=${encodeURIComponent(newName)}`);
  const created = json.entities.find((s) => s.displayName === newName);
  assert.ok(created, 'created on the server');
  createdId = created.id;
  assert.equal(created.color.toLowerCase(), '#3366cc');
  assert.deepEqual(created.journey.patterns[0].criteria[0].values, ['/pricing', '/plans']);
  assert.equal(created.journey.patterns[0].count, 2);

  await page.fill('#search', newName);
  await page.waitForSelector(`#segments-body tr[data-id="${createdId}"]`);
  assert.equal(await page.textContent(`#segments-body tr[data-id="${createdId}"] .link`), newName);
});

test('an edit saves with the version incremented', async () => {
  const before = Number(await page.getAttribute('#editor', 'data-version'));
  await page.fill('#seg-desc', 'Edited in the browser test');
  await page.uncheck('#seg-active');
  await page.click('#seg-save');
  await page.waitForFunction((v) => document.querySelector('#editor').dataset.version === String(v), before + 1);
  assert.match(await page.textContent('#save-state'), new RegExp(`Saved · version ${before + 1}`));
  const { json } = await api('GET', `/api/v2/journey/segments/${createdId}`);
  assert.equal(json.version, before + 1);
  assert.equal(json.description, 'Edited in the browser test');
  assert.equal(json.isActive, false);
  await page.waitForFunction((id) => document.querySelector(`#segments-body tr[data-id="${id}"] .pill`)?.textContent === 'Inactive', createdId);
});

test('a stale edit shows the "changed elsewhere" conflict, and reload fetches the latest', async () => {
  const version = Number(await page.getAttribute('#editor', 'data-version'));
  // Someone else saves the same segment between our load and our save.
  const other = await api('PATCH', `/api/v2/journey/segments/${createdId}`, { version, description: 'Changed by someone else' });
  assert.equal(other.status, 200);
  await page.fill('#seg-desc', 'My stale edit');
  await page.click('#seg-save');
  await page.waitForSelector('#conflict:not([hidden])');
  assert.match(await page.textContent('#conflict'), /Changed elsewhere/);
  const box = page.locator('#editor-error .error-box');
  assert.equal(await box.getAttribute('data-error-name'), 'ConflictError');
  const text = await box.textContent();
  assert.match(text, /ConflictError/);
  assert.match(text, /409/);
  assert.match(text, /Correlation ID[0-9a-f-]{36}/i);
  mkdirSync(shotDir, { recursive: true });
  await page.locator('#editor').screenshot({ path: path.join(shotDir, 'webapp-conflict.png') });
  await page.click('#conflict-reload');
  await page.waitForFunction((v) => document.querySelector('#editor').dataset.version === String(v), version + 1);
  assert.equal(await page.inputValue('#seg-desc'), 'Changed by someone else');
  assert.ok(await page.isHidden('#conflict'));
});

test('a bad color is reported next to the field and nothing is sent', async () => {
  const sentBefore = apiRequests.length;
  await page.fill('#seg-color-text', 'not-a-color');
  await page.click('#seg-save');
  await page.waitForFunction(() => document.querySelector('#err-color').textContent.length > 0);
  assert.match(await page.textContent('#err-color'), /hexadecimal color/);
  assert.equal(await page.getAttribute('#seg-color-text', 'aria-invalid'), 'true');
  await page.waitForTimeout(200);
  assert.deepEqual(apiRequests.slice(sentBefore), [], 'no request was sent');
  // Same for a new segment.
  await page.click('#new-segment');
  await page.fill('#seg-name', 'Never sent');
  await page.fill('#seg-color-text', '#12345');
  await page.click('#seg-save');
  await page.waitForFunction(() => document.querySelector('#err-color').textContent.length > 0);
  await page.waitForTimeout(200);
  assert.deepEqual(apiRequests.slice(sentBefore), [], 'no request was sent');
});

test('a segment is deleted after confirmation', async () => {
  await page.fill('#search', newName);
  await page.click(`#segments-body tr[data-id="${createdId}"] .link`);
  await page.waitForFunction((id) => document.querySelector('#seg-meta')?.textContent.includes(id), createdId);
  await page.click('#seg-delete');
  await page.waitForSelector('#confirm-delete[open]');
  await page.click('#confirm-delete button[value="cancel"]');
  assert.equal((await api('GET', `/api/v2/journey/segments/${createdId}`)).status, 200, 'cancel keeps it');
  await page.click('#seg-delete');
  await page.click('#confirm-yes');
  await page.waitForSelector(`#segments-body tr[data-id="${createdId}"]`, { state: 'detached' });
  assert.equal((await api('GET', `/api/v2/journey/segments/${createdId}`)).status, 404);
  await page.fill('#search', '');
  await page.waitForFunction(() => document.querySelectorAll('#segments-body tr').length === 15);
  // Leave an editor open on a segment with journey patterns for the screenshot.
  const { json } = await api('GET', '/api/v2/journey/segments?pageSize=15&sortBy=displayName');
  const withPatterns = json.entities.find((s) => s.journey.patterns.length > 0) ?? json.entities[0];
  await page.click(`#segments-body tr[data-id="${withPatterns.id}"] .link`);
  await page.waitForFunction((id) => document.querySelector('#seg-meta')?.textContent.includes(id), withPatterns.id);
  assert.equal(await page.locator('#patterns .pattern').count(), withPatterns.journey.patterns.length);
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, 'webapp.png'), fullPage: true });
});

test('the dashboard draws the aggregates as bars with segment names', async () => {
  await page.click('#tab-dashboard');
  await page.waitForFunction(() => document.querySelectorAll('#chart .bar').length > 0);
  const bars = await page.$$eval('#chart .bar-row', (rows) => rows.map((r) => ({
    name: r.querySelector('.bar-name').textContent,
    value: Number(r.querySelector('.bar-value').textContent.replace(/\D/g, '')),
    width: r.querySelector('.bar').getBoundingClientRect().width,
  })));
  assert.ok(bars.length > 3 && bars.length <= 15, `bars: ${bars.length}`);
  assert.ok(bars.every((b) => b.name && !b.name.startsWith('Deleted')), 'bars are labelled with segment names');
  assert.ok(bars[0].width > bars[bars.length - 1].width || bars[0].value === bars[bars.length - 1].value);
  assert.ok(bars[0].value >= bars[1].value);
  assert.match(await page.textContent('#kpi-sessions'), /^\d[\d,.\s]*$/);
  assert.notEqual(await page.textContent('#kpi-assigned'), '–');
  await page.screenshot({ path: path.join(shotDir, 'webapp-dashboard.png'), fullPage: true });
});

test('the deprecated action targets tab lists targets', async () => {
  await page.click('#tab-targets');
  await page.waitForFunction(() => document.querySelectorAll('#targets-body tr').length > 0);
  assert.match(await page.textContent('#panel-targets .banner'), /Deprecated/);
});

test('no uncaught page errors or console errors', async () => {
  // The 409 of the deliberate conflict is logged by Chromium as a failed resource load.
  const unexpected = consoleErrors.filter((t) => !/status of 409/.test(t));
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(unexpected, []);
  assert.equal(await page.locator('#global-error .error-box').count(), 0);
});
