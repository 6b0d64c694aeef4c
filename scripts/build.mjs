#!/usr/bin/env node
// Builds the npm package into pkg/: release wasm → wasm-bindgen (--target web) → wasm-opt -Oz
// (npm binaryen; Debian's older wasm-opt corrupts wasm-bindgen output) → façade files from
// pkg-template/, minified → package.json with the crate's version.
//
//   node scripts/build.mjs            (npm run build)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const template = join(root, 'pkg-template');
const crate = 'journey_api_wasm';
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const started = Date.now();
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'journey-api-wasm']);
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
run('wasm-bindgen', [
  join(root, 'target/wasm32-unknown-unknown/release', `${crate}.wasm`),
  '--target', 'web', '--out-dir', pkg, '--no-typescript',
]);
const wasm = join(pkg, `${crate}_bg.wasm`);
run(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', wasm, '-o', wasm]);

for (const f of ['node.cjs', 'index.d.ts']) {
  copyFileSync(join(template, f), join(pkg, f));
}
// Two modules per environment: core.js (the façade, the error classes and the generated glue,
// bundled) and an entry that imports it (index.js for browsers; node.mjs, with the Node transport
// inlined). Every ES module costs Node ~0.8 ms to load at import, and a browser one request.
// Minified: the generated glue fully, our own code keeping its names (syntax and whitespace
// only) so that stack traces still read. Sources are staged next to the glue so their relative
// imports resolve.
const esbuild = join(root, 'node_modules/.bin/esbuild');
const stage = join(root, 'target/pkg-src');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
run(esbuild, [join(pkg, `${crate}.js`), '--format=esm', '--log-level=error', '--minify', `--outfile=${join(stage, `${crate}.js`)}`]);
rmSync(join(pkg, `${crate}.js`));
for (const f of ['core.js', 'errors.js', 'index.js', 'node.mjs', 'node-http.js']) copyFileSync(join(template, f), join(stage, f));
const bundle = (entry, flags = []) => run(esbuild, [
  entry, '--bundle', '--format=esm', '--platform=neutral', '--log-level=error', '--minify-whitespace', '--minify-syntax',
  '--external:node:*', ...flags, `--outfile=${join(pkg, entry)}`,
], { cwd: stage });
bundle('core.js');
// core.js stays one module, shared by the code of both entries
for (const entry of ['index.js', 'node.mjs']) bundle(entry, ['--external:./core.js']);
copyFileSync(join(template, 'README.md'), join(pkg, 'README.md'));

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!version) throw new Error('no version in Cargo.toml');
const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const size = (f) => {
  const bytes = readFileSync(join(pkg, f));
  return { raw: statSync(join(pkg, f)).size, gz: gzipSync(bytes, { level: 9 }).length };
};
const parts = [`${crate}_bg.wasm`, 'core.js', 'index.js'];
let total = 0;
for (const f of parts) {
  const s = size(f);
  total += s.gz;
  console.log(`${f.padEnd(24)} ${String(s.raw).padStart(8)} B  ${String(s.gz).padStart(7)} B gzip`);
}
console.log(`${'browser total'.padEnd(24)} ${' '.repeat(10)}  ${String(total).padStart(7)} B gzip`);
console.log(`built pkg/ (journey-api-wasm ${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
