#!/usr/bin/env bash
# The openid-client end-to-end suite (issue 4, "Tests with a real client"):
#   bash tests/e2e/oidc/run.sh path/to/dancu
# Creates a small register in a temporary directory, registers relying
# parties and an officer, starts `dancu serve` on a free port, runs the node
# tests (node --test) with the certified relying-party library openid-client
# and jose, then stops the server and removes the directory.
# Needs node >= 20.19 and npm (openid-client v6); without them it FAILS
# (exit 1) with a message rather than skipping.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DANCU="$(realpath "${1:?usage: run.sh path/to/dancu}")"

fail() { echo "oidc e2e: $*" >&2; exit 1; }

command -v node > /dev/null || fail "node is not installed: the openid-client suite needs Node.js >= 20.19 and npm (scripts/install-deps.sh)"
command -v npm > /dev/null || fail "npm is not installed: the openid-client suite needs Node.js >= 20.19 and npm"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  fail "node $(node --version) is too old: openid-client v6 needs Node.js >= 20.19 (Debian 12's nodejs is 18)"
command -v sqlite3 > /dev/null || fail "sqlite3 is not installed (scripts/install-deps.sh)"
[ -x "$DANCU" ] || fail "no dancu binary at $DANCU"

# Dependencies, exactly as locked; again when package-lock.json changed. The
# sample relying party (examples/relying-party) is tested too.
for dir in "$HERE" "$HERE/../../../examples/relying-party"; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error > /dev/null || fail "npm ci failed in $dir"
  fi
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dancu-oidc-e2e-XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2> /dev/null || true; wait "$PID" 2> /dev/null || true; fi
  if [ "${KEEP_E2E_DIR:-0}" = 1 ]; then echo "oidc e2e: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$DANCU" generate --data "$WORK/data" --count 3000 --seed 7 > /dev/null
node "$HERE/lib/setup.mjs" "$DANCU" "$WORK/data" > "$WORK/fixture.json"

export DANCU_ADMIN_TOKEN="e2e-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
"$DANCU" serve --data "$WORK/data" --listen 127.0.0.1:0 --threads 2 > "$WORK/serve.log" 2>&1 &
PID=$!
URL=""
for _ in $(seq 300); do
  URL="$(grep -o 'listening on http://[0-9.:]*' "$WORK/serve.log" | head -1 | cut -d' ' -f3 || true)"
  [ -n "$URL" ] && break
  kill -0 "$PID" 2> /dev/null || { cat "$WORK/serve.log" >&2; fail "dancu serve exited"; }
  sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/serve.log" >&2; fail "dancu serve did not start within 30 s"; }

export DANCU_E2E_FIXTURE="$WORK/fixture.json" DANCU_E2E_ISSUER="$URL"
status=0
(cd "$HERE" && node --test --test-concurrency=1 --test-reporter=spec test/) || status=$?
if [ $status -ne 0 ]; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -40 "$WORK/serve.log" >&2
fi
exit $status
