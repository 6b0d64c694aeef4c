// Node entry, for `import` and (through node.cjs) for `require()`: one instance either way.
// Requests go through the package's node:http transport unless a client is given another fetch.
// Node builtins are taken with process.getBuiltinModule (Node 20.16+, 22.3+) rather than
// imported: each `import ... from 'node:x'` costs Node 20 over a millisecond at load.
import { __instantiateSync, __setDefaultFetch, __setLoader } from './core.js';
import { nodeFetch } from './node-http.js';

const wasm = new URL('./journey_api_wasm_bg.wasm', import.meta.url);
const builtin = globalThis.process?.getBuiltinModule;
if (builtin) {
  // Instantiated now, synchronously: no init call is needed.
  __instantiateSync(builtin('node:fs').readFileSync(wasm));
} else {
  // Older Node: instantiated on the first call (or `await ready()`), as in browsers.
  __setLoader(async () => __instantiateSync(await (await import('node:fs/promises')).readFile(wasm)));
}
__setDefaultFetch(nodeFetch);

export * from './core.js';
