#!/usr/bin/env node
// Type-checks tests/types/*.ts against a built journey-api-wasm package.
//
//   PKG_DIR=/path/to/pkg node tests/types/check.mjs
//
// PKG_DIR: directory holding the built package (package.json + index.d.ts);
// default <repo>/pkg. It is linked as tests/types/node_modules/journey-api-wasm
// (symlink; copied when symlinks are not available), then
//   tsc -p tests/types                      usage.ts with strict settings + DOM lib
//   tsc -p tests/types/tsconfig.nodom.json  the declarations without DOM / @types/node
// are run. Exit status: 0 when both pass, else the failing tsc status.
// Last line: "1 passed, 0 failed" or "0 passed, 1 failed".

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const PKG_DIR = resolve(process.env.PKG_DIR || join(ROOT, 'pkg'));
const NAME = 'journey-api-wasm';
const win = process.platform === 'win32';

function finish(ok, msg) {
  if (msg) console[ok ? 'log' : 'error'](msg);
  console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
  return ok ? 0 : 1;
}

function run(cmd, args, opts = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: win && cmd === 'npm', ...opts });
  if (r.error) {
    console.error(r.error.message);
    return 1;
  }
  return r.status ?? 1;
}

function main() {
  // 1. the package under test
  const pj = join(PKG_DIR, 'package.json');
  if (!existsSync(pj)) return finish(false, `check: ${pj} not found (set PKG_DIR to the built package directory)`);
  let meta;
  try {
    meta = JSON.parse(readFileSync(pj, 'utf8'));
  } catch (e) {
    return finish(false, `check: ${pj}: ${e.message}`);
  }
  if (meta.name !== NAME) return finish(false, `check: ${pj} has name ${JSON.stringify(meta.name)}, expected "${NAME}"`);
  const typesRel = meta.types || meta.typings || 'index.d.ts';
  if (!existsSync(join(PKG_DIR, typesRel))) return finish(false, `check: ${join(PKG_DIR, typesRel)} not found`);

  // 2. typescript
  const tscJs = join(HERE, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tscJs)) {
    const st = run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE });
    if (st !== 0 || !existsSync(tscJs)) return finish(false, 'check: npm ci failed in tests/types');
  }

  // 3. node_modules/journey-api-wasm -> PKG_DIR
  const link = join(HERE, 'node_modules', NAME);
  mkdirSync(dirname(link), { recursive: true });
  let present = false;
  try {
    lstatSync(link);
    present = true;
  } catch {}
  if (present) rmSync(link, { recursive: true, force: true });
  try {
    symlinkSync(PKG_DIR, link, win ? 'junction' : 'dir');
    console.log(`linked ${relative(ROOT, link)} -> ${PKG_DIR}`);
  } catch (e) {
    cpSync(PKG_DIR, link, { recursive: true, filter: (src) => !src.includes(`${join(PKG_DIR, 'node_modules')}`) });
    console.log(`copied ${PKG_DIR} to ${relative(ROOT, link)} (${e.code ?? e.message})`);
  }

  // 4. type-check
  let st = run(process.execPath, [tscJs, '--noEmit', '-p', HERE]);
  if (st === 0) st = run(process.execPath, [tscJs, '--noEmit', '-p', join(HERE, 'tsconfig.nodom.json')]);
  if (st !== 0) {
    finish(false, `check: tsc failed (status ${st})`);
    return st;
  }
  return finish(true, `check: ${NAME} types OK (${relative(ROOT, PKG_DIR) || '.'})`);
}

process.exitCode = main();
