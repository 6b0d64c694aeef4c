// Node ESM entry: the wasm module is instantiated synchronously at import; no init call needed.
import { readFileSync } from 'node:fs';
import { __instantiateSync } from './core.js';

__instantiateSync(readFileSync(new URL('./journey_api_wasm_bg.wasm', import.meta.url)));

export * from './core.js';
