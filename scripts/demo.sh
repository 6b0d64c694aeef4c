#!/usr/bin/env bash
# The main job: builds the package and the emulator, starts the emulator with its seeded data,
# and runs the Node demo (examples/demo.mjs) against it. Then, in a terminal, it keeps the
# emulator up and says where the web app is; elsewhere (CI, pipes) it stops there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
node scripts/build.mjs >/dev/null
cargo build -q -p journey-emulator
npm install --prefix examples --no-audit --no-fund --loglevel=error >/dev/null

port="${PORT:-8787}"
db="target/demo.db"
rm -f "$db"
target/debug/journey-emulator --port "$port" --db "$db" --seed 42 --token demo-token > target/emulator.log 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" target/emulator.log 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' target/emulator.log)
[ -n "$url" ] || { cat target/emulator.log; exit 1; }
echo "Journey API emulator: $url (seeded, data in $db)"

JOURNEY_ENV="$url" node examples/demo.mjs

if [ -t 0 ] && [ -t 1 ] && [ -d www ]; then
  echo
  echo "Web app: $url/?token=demo-token   (Ctrl-C to stop the emulator)"
  wait $emulator
fi
