#!/usr/bin/env bash
# Installs what building needs, skipping what is present (safe to rerun): the wasm32 target,
# wasm-bindgen-cli at the exact version Cargo.lock pins and the root npm dependencies.
# With --tests also what the test suites need: Debian's Chromium and chromedriver, and the
# npm dependencies of tests/types, tests/contract and bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" DEBIAN_FRONTEND=noninteractive

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$wb_version" ]; then
  echo "setup: installing wasm-bindgen-cli $wb_version (about 2 minutes)"
  # --locked fails today (the CLI's lockfile names a crate version the registry lacks): fall back.
  cargo install wasm-bindgen-cli --version "=$wb_version" --locked --force \
    || cargo install wasm-bindgen-cli --version "=$wb_version" --force
fi

if [ "${1:-}" = "--tests" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  echo "setup: installing Debian's chromium and chromium-driver"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

npm_ci() { # dir
  if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$1" --no-audit --no-fund --loglevel=error
  fi
}
npm_ci .
if [ "${1:-}" = "--tests" ]; then
  for d in tests/types tests/contract bench; do npm_ci "$d"; done
fi
