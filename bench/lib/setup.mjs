// Shared set-up for the bench scripts: install the bench's own dependencies, build (if needed),
// pack and install journey-api-wasm the way a user would (npm pack -> tarball -> npm install).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(BENCH, '..');
// BENCH_PKG_DIR: measure another build of the package (never built by the bench)
export const PKG = process.env.BENCH_PKG_DIR ? path.resolve(process.env.BENCH_PKG_DIR) : path.join(ROOT, 'pkg');
export const TMP = path.join(BENCH, 'results', 'tmp');
export const RESULTS = path.join(BENCH, 'results');
export const OURS = 'journey-api-wasm';

const npm = (args, cwd) => {
  try { return execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }); } catch (e) {
    throw new Error(`npm ${args.join(' ')} failed (in ${cwd}):\n${e.stderr || e.message}`);
  }
};

export function log(...a) { console.error('[bench]', ...a); }

/** npm ci --prefix bench when bench/node_modules is missing (exact pins from bench/package-lock.json). */
export function ensureBenchDeps() {
  const need = ['purecloud-platform-client-v2', 'esbuild', 'playwright-core'];
  if (need.every((n) => fs.existsSync(path.join(BENCH, 'node_modules', n, 'package.json')))) return;
  log('installing bench dependencies: npm ci --prefix bench');
  npm(['ci', '--no-audit', '--no-fund', '--prefix', BENCH], ROOT);
}

/**
 * Make sure pkg/ exists (running the root `npm run build` if it does not), then `npm pack` it and
 * install the tarball into bench/node_modules with --no-save. Returns info about the installed package.
 */
export function installOurs({ build = 'if-missing' } = {}) {
  ensureBenchDeps();
  if (!process.env.BENCH_PKG_DIR && build !== 'never' && (build === 'always' || !fs.existsSync(path.join(PKG, 'package.json')))) {
    log('building the package: npm run build (repo root)');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  }
  if (!fs.existsSync(path.join(PKG, 'package.json'))) throw new Error(`no ${PKG}/package.json after the build`);
  const packDir = path.join(TMP, 'pack');
  fs.rmSync(packDir, { recursive: true, force: true });
  fs.mkdirSync(packDir, { recursive: true });
  const out = JSON.parse(npm(['pack', PKG, '--json', '--pack-destination', packDir], ROOT));
  const tgz = path.join(packDir, out[0].filename);
  npm(['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', tgz], BENCH);
  const dir = path.join(BENCH, 'node_modules', OURS);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { dir, tgz, packageJson: pj, files: out[0].files.map((f) => ({ path: f.path, size: f.size })) };
}

/** Resolve a subpath of a package.json "exports" map for the given conditions (first match wins, in object order). */
export function resolveExport(pj, subpath = '.', conditions = ['browser', 'import', 'default']) {
  let target = pj.exports;
  if (target === undefined) return subpath === '.' ? (conditions.includes('browser') && typeof pj.browser === 'string' ? pj.browser : pj.module || pj.main) : subpath;
  if (typeof target === 'string' || Array.isArray(target)) target = { '.': target };
  else if (!Object.keys(target).some((k) => k.startsWith('.'))) target = { '.': target };
  const walk = (t) => {
    if (typeof t === 'string') return t;
    if (Array.isArray(t)) { for (const x of t) { const r = walk(x); if (r) return r; } return null; }
    if (t && typeof t === 'object') {
      for (const [k, v] of Object.entries(t)) if (k === 'default' || conditions.includes(k)) { const r = walk(v); if (r) return r; }
    }
    return null;
  };
  return walk(target[subpath]);
}

export function machineInfo() {
  let chromium = null;
  try { chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch {}
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    chromium,
  };
}

// ---------------------------------------------------------------- statistics helpers
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
export const quantile = (sorted, q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN;
export const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
export const fmt = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x)) ? 'n/a'
  : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
