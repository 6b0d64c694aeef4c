// Source of node.cjs (bundled to CommonJS by scripts/build.mjs): `require` entry for Node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { __instantiateSync } from './core.js';

__instantiateSync(readFileSync(join(__dirname, 'journey_api_wasm_bg.wasm')));

export * from './core.js';
