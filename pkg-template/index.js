// Browser and bundler entry: the wasm module is fetched and instantiated on the first call
// (or on `await ready()`), next to this file.
import { __setLoader, __initAsync } from './core.js';

__setLoader(() => __initAsync({ module_or_path: new URL('./journey_api_wasm_bg.wasm', import.meta.url) }));

export * from './core.js';
