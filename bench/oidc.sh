#!/usr/bin/env bash
# OpenID Connect benchmarks (issue 4), traffic to 127.0.0.1 only, bounded in time:
#  (a) token endpoint: code exchange (PKCE, client_secret_basic, ES256 ID + access
#      tokens) with codes minted beforehand by authorize requests of a signed-in user;
#  (b) complete flow for a signed-in user: authorize -> code -> token -> userinfo;
#  (c) password sign-ins (POST /signin, Argon2id-bound), per second and per core;
#  (d) the flow of (b) against the certified node oidc-provider in the same run.
#   bench/oidc.sh BUILD_DIR [SECONDS]
# Env: SERVE_THREADS (2), FLOW_WORKERS (8), TOKEN_CONNECTIONS (16),
#      BENCH_MINT_SECONDS (SECONDS), SIGNIN_CONNECTIONS (4).
set -euo pipefail
BUILD="${1:-build}"; SECS="${2:-10}"
BIN="$(realpath "$BUILD/dancu")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
E2E="$ROOT/tests/e2e/oidc"
PROVIDER="$HERE/oidc/provider"
THREADS="${SERVE_THREADS:-2}"; WORKERS="${FLOW_WORKERS:-8}"
TOKEN_CONN="${TOKEN_CONNECTIONS:-16}"; MINT_SECS="${BENCH_MINT_SECONDS:-$SECS}"
SIGNIN_CONN="${SIGNIN_CONNECTIONS:-4}"

command -v node > /dev/null && command -v npm > /dev/null || { echo "bench/oidc.sh needs node >= 20.19 and npm" >&2; exit 1; }
command -v wrk > /dev/null || { echo "bench/oidc.sh needs wrk" >&2; exit 1; }
for dir in "$E2E" "$PROVIDER"; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error > /dev/null
  fi
done

WORK="$(mktemp -d /tmp/dancu-bench-oidc-XXXXXX)"
PID=""; PPID2=""
cleanup() {
  for p in $PID $PPID2; do kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Server CPU time (user + system, seconds) of process $1, for rates per
# CPU-second: on a shared machine they depend far less on the load than
# rates per wall-clock second.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
per_cpu() {  # COUNT CPU_BEFORE CPU_AFTER WHAT
  awk -v n="$1" -v a="$2" -v b="$3" -v w="$4" 'BEGIN { printf "   server CPU %.1f s: %.0f %s per CPU-second\n", b - a, n / (b - a), w }'
}
count_of() { grep -o "$1 [0-9]*" | head -1 | cut -d' ' -f2; }

wait_listening() {  # LOG PID -> prints the URL
  for _ in $(seq 300); do
    if grep -q "listening on" "$1"; then grep -o 'http://127.0.0.1:[0-9]*' "$1" | head -1; return; fi
    kill -0 "$2" 2> /dev/null || break
    sleep 0.1
  done
  cat "$1" >&2; echo "server did not start" >&2; exit 1
}

"$BIN" generate --data "$WORK/data" --count 5000 --seed 11 > /dev/null
node "$E2E/lib/setup.mjs" "$BIN" "$WORK/data" > "$WORK/fixture.json"
export DANCU_ADMIN_TOKEN=bench-token
"$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 --threads "$THREADS" > "$WORK/serve.log" 2>&1 &
PID=$!
URL="$(wait_listening "$WORK/serve.log" $PID)"
export DANCU_E2E_FIXTURE="$WORK/fixture.json" DANCU_E2E_ISSUER="$URL" SIGNIN_BODIES="$WORK/signin-bodies"
node "$HERE/oidc/prepare.mjs" dancu > "$WORK/dancu.env"
# shellcheck disable=SC1091
. "$WORK/dancu.env"
export FLOW_AUTHORIZE FLOW_TOKEN FLOW_USERINFO FLOW_COOKIE FLOW_BASIC FLOW_VERIFIER FLOW_REDIRECT_URI_ENC SIGNIN_PATH SIGNIN_COOKIE

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); dancu serve --threads $THREADS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== (a) token endpoint: mint codes for ${MINT_SECS}s (wrk -t2 -c$TOKEN_CONN), then exchange them for ${SECS}s"
mkdir -p "$WORK/codes"; export CODES_DIR="$WORK/codes"
wrk -t2 -c"$TOKEN_CONN" -d"${MINT_SECS}s" -s "$HERE/oidc/mint.lua" "$URL" | grep -E "MINTED"
c0="$(cpu_seconds $PID)"
out="$(wrk -t2 -c"$TOKEN_CONN" -d"${SECS}s" -s "$HERE/oidc/token.lua" "$URL" | grep -E "TOKENS|WARNING|last error")"
c1="$(cpu_seconds $PID)"; echo "$out"; per_cpu "$(count_of TOKENS <<< "$out")" "$c0" "$c1" "code exchanges"

echo "== (b) complete flow, dancu: $WORKERS workers (wrk -t$WORKERS -c$WORKERS -d${SECS}s, after a 3 s warm-up)"
wrk -t"$WORKERS" -c"$WORKERS" -d3s -s "$HERE/oidc/flow.lua" "$URL" > /dev/null  # warm-up, not counted
c0="$(cpu_seconds $PID)"
DANCU_FLOWS="$(wrk -t"$WORKERS" -c"$WORKERS" -d"${SECS}s" -s "$HERE/oidc/flow.lua" "$URL" | grep -E "FLOWS|last error")"
c1="$(cpu_seconds $PID)"; echo "$DANCU_FLOWS"
DANCU_CPU_RATE="$(per_cpu "$(count_of FLOWS <<< "$DANCU_FLOWS")" "$c0" "$c1" flows)"; echo "$DANCU_CPU_RATE"

echo "== (d) complete flow, oidc-provider $(node -p "require('$PROVIDER/node_modules/oidc-provider/package.json').version") (one node process), same workers"
node "$PROVIDER/server.mjs" --client-id bench-client --client-secret bench-secret-0123456789abcdef0123456789 \
  --redirect-uri http://127.0.0.1:9/cb > "$WORK/provider.log" 2>&1 &
PPID2=$!
PURL="$(wait_listening "$WORK/provider.log" $PPID2)"
(
  node "$HERE/oidc/prepare.mjs" provider "$PURL" bench-client bench-secret-0123456789abcdef0123456789 http://127.0.0.1:9/cb > "$WORK/provider.env"
  # shellcheck disable=SC1091
  . "$WORK/provider.env"
  export FLOW_AUTHORIZE FLOW_TOKEN FLOW_USERINFO FLOW_COOKIE FLOW_BASIC FLOW_VERIFIER FLOW_REDIRECT_URI_ENC
  wrk -t"$WORKERS" -c"$WORKERS" -d3s -s "$HERE/oidc/flow.lua" "$PURL" > /dev/null  # warm-up (JIT), not counted
  c0="$(cpu_seconds $PPID2)"
  out="$(wrk -t"$WORKERS" -c"$WORKERS" -d"${SECS}s" -s "$HERE/oidc/flow.lua" "$PURL" | grep -E "FLOWS|last error")"
  c1="$(cpu_seconds $PPID2)"; echo "$out"; per_cpu "$(count_of FLOWS <<< "$out")" "$c0" "$c1" flows
) > "$WORK/provider.out"
cat "$WORK/provider.out"
kill "$PPID2"; wait "$PPID2" 2> /dev/null || true; PPID2=""
d="$(grep -o '[0-9]* flows/s' <<< "$DANCU_FLOWS" | cut -d' ' -f1)"
p="$(grep -o '[0-9]* flows/s' "$WORK/provider.out" | cut -d' ' -f1)"
if [ -n "$d" ] && [ -n "$p" ] && [ "$p" -gt 0 ]; then
  echo "== ratio dancu / oidc-provider: $(awk -v d="$d" -v p="$p" 'BEGIN { printf "%.1f", d / p }')x ($d vs $p flows/s)"
fi
d="$(grep -o '[0-9]* flows per CPU' <<< "$DANCU_CPU_RATE" | cut -d' ' -f1)"
p="$(grep -o '[0-9]* flows per CPU' "$WORK/provider.out" | cut -d' ' -f1)"
if [ -n "$d" ] && [ -n "$p" ] && [ "$p" -gt 0 ]; then
  echo "== ratio per CPU-second: $(awk -v d="$d" -v p="$p" 'BEGIN { printf "%.1f", d / p }')x ($d vs $p flows per CPU-second)"
fi

echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== (c) password sign-ins: POST $SIGNIN_PATH, 8 accounts, wrk -t2 -c$SIGNIN_CONN -d${SECS}s"
c0="$(cpu_seconds $PID)"
out="$(wrk -t2 -c"$SIGNIN_CONN" -d"${SECS}s" -s "$HERE/oidc/signin.lua" "$URL" | grep -E "SIGNINS|last error")"
c1="$(cpu_seconds $PID)"; echo "$out"; per_cpu "$(count_of SIGNINS <<< "$out")" "$c0" "$c1" sign-ins
rate="$(grep -o '[0-9.]* sign-ins/s' <<< "$out" | cut -d' ' -f1)"
[ -n "$rate" ] && echo "== wall clock per core: $(awk -v r="$rate" -v c="$(nproc)" 'BEGIN { printf "%.1f", r / c }') sign-ins/s/core ($(nproc) cores)"
