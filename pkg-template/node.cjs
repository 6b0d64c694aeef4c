// CommonJS entry: the ES module build itself, loaded with require(esm) (Node 20.19+, 22.12+), so
// that `require()` and `import` in one process share one wasm instance, one set of error classes
// and one default client.
try {
  module.exports = require('./node.mjs');
} catch (e) {
  if (e && e.code === 'ERR_REQUIRE_ESM') {
    throw new Error('journey-api-wasm: require() needs Node 20.19+ or 22.12+ (require of ES modules); on older Node, use import', { cause: e });
  }
  throw e;
}
