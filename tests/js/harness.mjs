// Shared by the JS suites: the packed package installed into a throwaway project (imported by
// its name, as a user would), and a local emulator on a free port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm pack`s pkg/ and installs the tarball into a new project; returns that project's dir. */
export function installPackedPackage() {
  const pkg = join(root, 'pkg');
  if (!existsSync(join(pkg, 'package.json'))) throw new Error('pkg/ is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'journey-api-wasm-consumer-'));
  execFileSync('npm', ['pack', pkg, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { cwd: dir, stdio: 'inherit' });
  writeFileSync(join(dir, 'entry.mjs'), "export * from 'journey-api-wasm';\n");
  return dir;
}

/** The package as `import` sees it from the consumer project. */
export async function importPackage(dir) {
  return import(pathToFileURL(join(dir, 'entry.mjs')).href);
}

/** The package as `require` sees it from the consumer project. */
export function requirePackage(dir) {
  return createRequire(join(dir, 'index.cjs'))('journey-api-wasm');
}

/** Starts the emulator (in memory, a free port, the given tokens); resolves to { url, stop }. */
export async function startEmulator(tokens = ['test-token'], extra = []) {
  const bin = process.env.EMULATOR_BIN ?? join(root, 'target/debug/journey-emulator');
  const args = ['--memory', '--port', '0', '--seed', '7', ...tokens.flatMap((t) => ['--token', t]), ...extra];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`emulator exited with ${code} before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]);
    });
  });
  return {
    url,
    stop: () => new Promise((ok) => { child.once('exit', ok); child.kill(); }),
    /** Arms a fault for the next matching requests. */
    fault: async (spec) => {
      const r = await fetch(`${url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!r.ok) throw new Error(`fault refused: ${r.status} ${await r.text()}`);
    },
    clearFaults: () => fetch(`${url}/__emulator/faults`, { method: 'DELETE' }),
  };
}
