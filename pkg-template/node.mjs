// Node entry, for `import` and (through node.cjs) for `require()`: one instance either way. The
// wasm module is instantiated synchronously at load, so no init call is needed; requests go
// through the package's node:http transport unless a client is given another fetch.
import { readFileSync } from 'node:fs';
import { __instantiateSync, __setDefaultFetch } from './core.js';
import { nodeFetch } from './node-http.js';

__instantiateSync(readFileSync(new URL('./journey_api_wasm_bg.wasm', import.meta.url)));
__setDefaultFetch(nodeFetch);

export * from './core.js';
