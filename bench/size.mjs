#!/usr/bin/env node
// Sizes, raw and gzip (zlib level 9):
//  - journey-api-wasm as installed from its npm tarball: the .wasm, every JS file (glue + façade), the total;
//  - a minimal browser app that lists segments (bench/apps/*.js), bundled with esbuild
//    (--bundle --minify --format=esm --platform=browser) for journey-api-wasm and for the official SDK.
// node bench/size.mjs [--check] [--json] [--no-install]
//   --check       exit 1 when the package (.wasm + JS, gzip) exceeds 60 KB (61,440 B)
//   --json        print the result as one JSON line (used by run.mjs)
//   --no-install  use the journey-api-wasm already installed in bench/node_modules
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { BENCH, TMP, RESULTS, OURS, installOurs, ensureBenchDeps, resolveExport, fmt, log } from './lib/setup.mjs';
import { LIMITS } from './lib/report.mjs';

const args = process.argv.slice(2);
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const measure = (file) => { const b = fs.readFileSync(file); return { raw: b.length, gzip: gz(b) }; };

export async function measureSizes({ install = true } = {}) {
  if (install) installOurs(); else ensureBenchDeps();
  const dir = path.join(BENCH, 'node_modules', OURS);
  if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`${OURS} is not installed in bench/node_modules`);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));

  // -------- the package
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); continue; }
      const rel = path.relative(dir, p);
      const kind = /\.wasm$/.test(e.name) ? 'wasm' : /\.d\.[cm]?ts$/.test(e.name) ? 'types' : /\.[cm]?js$/.test(e.name) ? 'js' : 'other';
      files.push({ file: rel, kind, ...measure(p) });
    }
  };
  walk(dir);
  files.sort((a, b) => a.kind.localeCompare(b.kind) || a.file.localeCompare(b.file));
  const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
  const wasm = files.filter((f) => f.kind === 'wasm');
  const js = files.filter((f) => f.kind === 'js');
  const ours = {
    name: pj.name, version: pj.version, files,
    wasmRaw: sum(wasm, 'raw'), wasmGzip: sum(wasm, 'gzip'),
    jsRaw: sum(js, 'raw'), jsGzip: sum(js, 'gzip'),
    packageRaw: sum(wasm, 'raw') + sum(js, 'raw'),
    packageGzip: sum(wasm, 'gzip') + sum(js, 'gzip'),
  };

  // what one runtime actually loads: each entry of the exports map plus the package files it reaches
  // (static/dynamic imports, require(), new URL('./x', import.meta.url) and join(__dirname, 'x') with relative paths)
  const reach = (entry) => {
    const seen = new Set();
    const visit = (rel) => {
      rel = path.normalize(rel);
      if (seen.has(rel) || !fs.existsSync(path.join(dir, rel))) return;
      seen.add(rel);
      if (!/\.[cm]?js$/.test(rel)) return;
      const src = fs.readFileSync(path.join(dir, rel), 'utf8');
      for (const m of src.matchAll(/(?:from\s*|import\s*\(\s*|import\s*|require\s*\(\s*|new URL\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
        visit(path.join(path.dirname(rel), m[1]));
      }
      // CommonJS style: path.join(__dirname, "x_bg.wasm")
      for (const m of src.matchAll(/__dirname\s*,\s*["']([^"']+)["']/g)) visit(path.join(path.dirname(rel), m[1]));
    };
    visit(entry);
    return [...seen].sort();
  };
  const entries = {
    'Node ESM (import)': resolveExport(pj, '.', ['node', 'import', 'default']),
    'Node CJS (require)': resolveExport(pj, '.', ['node', 'require', 'default']),
    'browser / bundler (default)': resolveExport(pj, '.', ['browser', 'import', 'default']),
  };
  ours.entrySets = Object.entries(entries).filter(([, e]) => e).map(([label, e]) => {
    const set = reach(e);
    const fs_ = files.filter((f) => set.includes(path.normalize(f.file)));
    return { label, entry: e, files: set, raw: sum(fs_, 'raw'), gzip: sum(fs_, 'gzip') };
  });

  // -------- the minimal browser apps
  const esbuild = await import('esbuild');
  const apps = {};
  for (const name of ['ours', 'official']) {
    const outdir = path.join(TMP, 'bundles', name);
    fs.rmSync(outdir, { recursive: true, force: true });
    const opts = {
      entryPoints: [path.join(BENCH, 'apps', `${name}.js`)], absWorkingDir: BENCH,
      bundle: true, minify: true, format: 'esm', platform: 'browser', outdir, metafile: true, logLevel: 'silent',
    };
    const shims = [];
    if (name === 'official') {
      // The SDK's "browser" field is a browserify standalone bundle (dist/web-cjs/*.min.js) that publishes the SDK
      // only as a global `require('platformClient')`; it sets no module.exports. esbuild picks that file (browser
      // field) but turns its global `require=` into a module-local variable, so `import platformClient from ...`
      // yields an empty object. Shim: append one line to that file at bundle time that exports what it registered.
      // (The ESM "module" entry does not bundle for the browser at all: 34 unresolved Node built-ins, from winston,
      // configparser, fs/os/path in configuration.js.)
      opts.plugins = [{
        name: 'official-sdk-browser-export',
        setup(b) {
          b.onLoad({ filter: /purecloud-platform-client-v2[\\/]dist[\\/]web-cjs[\\/].*\.min\.js$/ }, (a) => ({
            contents: `${fs.readFileSync(a.path, 'utf8')}\n;var __bundleRequire = require; module.exports = __bundleRequire('platformClient');\n`,
            loader: 'js',
          }));
        },
      }];
      shims.push("onLoad plugin appending `module.exports = require('platformClient')` (indirect call) to dist/web-cjs/purecloud-platform-client-v2.min.js");
    }
    let r;
    try { r = await esbuild.build(opts); } catch (e) {
      // a `.wasm` import (wasm-bindgen's bundler target) needs a loader; record it as a shim
      if (!/\.wasm/.test(e.message)) throw e;
      shims.push("--loader:.wasm=file");
      r = await esbuild.build({ ...opts, loader: { '.wasm': 'file' } });
    }
    const outputs = Object.keys(r.metafile.outputs).filter((f) => !f.endsWith('.map')).map((f) => path.resolve(BENCH, f));
    const inputs = Object.keys(r.metafile.inputs);
    // the .wasm files the bundle fetches at run time (e.g. new URL('x_bg.wasm', import.meta.url)): copy them next
    // to the bundle, as a user would, and count them
    const assets = [];
    const bundleText = outputs.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    if (name === 'ours') {
      for (const w of wasm) {
        const base = path.basename(w.file);
        if (bundleText.includes(base) && !outputs.some((o) => path.basename(o) === base)) {
          fs.copyFileSync(path.join(dir, w.file), path.join(outdir, base));
          assets.push(path.join(outdir, base));
        }
      }
    }
    const all = [...outputs, ...assets].map((f) => ({ file: path.relative(outdir, f), ...measure(f) }));
    apps[name] = {
      files: all,
      jsRaw: sum(all.filter((f) => /\.js$/.test(f.file)), 'raw'), jsGzip: sum(all.filter((f) => /\.js$/.test(f.file)), 'gzip'),
      totalRaw: sum(all, 'raw'), totalGzip: sum(all, 'gzip'),
      inputs: inputs.filter((i) => i.includes('node_modules')).map((i) => i.replace(/^.*node_modules\//, '')),
      shims, outdir: path.relative(BENCH, outdir),
    };
  }
  return { ours, apps, limitGzip: LIMITS.packageGzipBytes };
}

export function sizeMarkdown(s) {
  const row = (what, raw, gzip) => `| ${what} | ${fmt(raw)} | ${fmt(gzip)} |`;
  const md = ['## Size (bytes; gzip = zlib level 9, each file compressed on its own)', ''];
  md.push(`Package: ${s.ours.name} ${s.ours.version}, as installed from its npm tarball.`, '');
  md.push('| what | raw | gzip |', '|---|---:|---:|');
  for (const f of s.ours.files.filter((f) => f.kind === 'wasm' || f.kind === 'js')) md.push(row(`${s.ours.name}: \`${f.file}\``, f.raw, f.gzip));
  md.push(row(`**${s.ours.name}: .wasm total**`, s.ours.wasmRaw, s.ours.wasmGzip));
  md.push(row(`**${s.ours.name}: JS glue + façade total**`, s.ours.jsRaw, s.ours.jsGzip));
  md.push(row(`**${s.ours.name}: package (.wasm + every JS file)** (budget ≤ ${fmt(s.limitGzip)} gzip)`, s.ours.packageRaw, s.ours.packageGzip));
  for (const e of s.ours.entrySets) md.push(row(`${s.ours.name}: loaded by ${e.label}: ${e.files.map((f) => `\`${f}\``).join(' + ')}`, e.raw, e.gzip));
  for (const [name, label] of [['ours', 'journey-api-wasm'], ['official', 'official SDK']]) {
    const a = s.apps[name];
    for (const f of a.files) md.push(row(`minimal app, ${label}: \`${f.file}\``, f.raw, f.gzip));
    md.push(row(`**minimal app, ${label}: total**`, a.totalRaw, a.totalGzip));
  }
  const r = s.apps.ours.totalGzip / s.apps.official.totalGzip;
  md.push('', `Minimal app (bench/apps/*.js, \`esbuild --bundle --minify --format=esm --platform=browser\`): journey-api-wasm ÷ official SDK = ` +
    `**${fmt(r, 3)}x** gzip (${fmt(s.apps.ours.totalRaw / s.apps.official.totalRaw, 3)}x raw). The journey-api-wasm total includes the .wasm the bundle fetches at run time.`);
  md.push('', `Inputs esbuild took from node_modules: journey-api-wasm app: ${s.apps.ours.inputs.map((i) => `\`${i}\``).join(', ') || 'none'}; ` +
    `official app: ${s.apps.official.inputs.map((i) => `\`${i}\``).join(', ')}. Shims needed: journey-api-wasm ${s.apps.ours.shims.join(', ') || 'none'}; official SDK ${s.apps.official.shims.join(', ') || 'none'}.`);
  return md.join('\n');
}

if (path.resolve(process.argv[1] || '') === fileURLToPath(import.meta.url)) {
  const s = await measureSizes({ install: !args.includes('--no-install') });
  s.markdown = sizeMarkdown(s);
  fs.mkdirSync(RESULTS, { recursive: true });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(s) + '\n');
  else process.stdout.write(s.markdown + '\n');
  if (args.includes('--check')) {
    const over = s.ours.packageGzip > LIMITS.packageGzipBytes;
    const msg = `size check: ${s.ours.name} .wasm ${fmt(s.ours.wasmGzip)} B + JS ${fmt(s.ours.jsGzip)} B = ${fmt(s.ours.packageGzip)} B gzip ` +
      `(raw ${fmt(s.ours.packageRaw)} B); limit ${fmt(LIMITS.packageGzipBytes)} B: ${over ? 'OVER' : 'ok'}`;
    log(msg);
    for (const e of s.ours.entrySets) log(`  ${e.label} (${e.entry}) loads ${e.files.join(' + ')}: ${fmt(e.gzip)} B gzip`);
    if (over) process.exit(1);
  }
}
