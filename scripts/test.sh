#!/usr/bin/env bash
# Runs every test suite: generated code up to date, host unit tests (core + emulator), the
# package build and its size budget, wasm tests in Node and headless Chromium, the packed
# package against the emulator, TypeScript types, the Prism contract check, the web app in
# Chromium, and the benchmark in quick mode. Stops at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --tests

suites=0
step() { printf '\n=== %s\n' "$*"; suites=$((suites + 1)); }

step "generated code matches ../shared/spec"
node scripts/gen-rust.mjs --check
node scripts/gen-types.mjs --check

step "host tests: core and emulator"
cargo test --workspace

step "build the npm package"
node scripts/build.mjs
node bench/size.mjs --check

step "wasm tests in Node, then headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test -p journey-api-wasm --target wasm32-unknown-unknown
WASM_BINDGEN_USE_BROWSER=1 cargo test -p journey-api-wasm --target wasm32-unknown-unknown

step "the packed package against the emulator"
export EMULATOR_BIN="$PWD/target/debug/journey-emulator"
node --test tests/js/

step "TypeScript: a usage file type-checks against the built package"
PKG_DIR="$PWD/pkg" node tests/types/check.mjs

step "contract: every operation through Prism's validating proxy"
node tests/contract/run.mjs

step "web app in headless Chromium"
node --test tests/browser/

step "benchmark, quick mode (proves it runs; figures are in BENCHMARKS.md)"
node bench/run.mjs --quick --no-build

printf '\nsuites: %d passed, 0 failed\n' "$suites"
