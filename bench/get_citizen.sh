#!/usr/bin/env bash
# GET /v1/citizens/{id} with wrk: keep-alive, random ids, bounded in time.
#   bench/get_citizen.sh BUILD_DIR [COUNT] [SECONDS]
set -euo pipefail
BUILD="${1:-build}"; COUNT="${2:-1000000}"; SECS="${3:-15}"
BIN="$BUILD/dancu"
WORK="$(mktemp -d /tmp/dancu-bench-XXXXXX)"
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
"$BIN" generate --data "$WORK/data" --count "$COUNT" --seed 1 > /dev/null
sqlite3 -readonly "$WORK/data/register.db" \
  "SELECT printf('%012d', id) FROM citizens ORDER BY random() LIMIT 100000" > "$WORK/ids"
export DANCU_ADMIN_TOKEN=bench-token IDS_FILE="$WORK/ids"
"$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 --threads "${SERVE_THREADS:-2}" > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.1; done
URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log")"
echo "== GET /v1/citizens/{id}, $COUNT citizens, server threads ${SERVE_THREADS:-2}, wrk -t2 -c64 -d${SECS}s, $(nproc) cores"
wrk -t2 -c64 -d"${SECS}s" --latency -s "$(dirname "$0")/get_citizen.lua" "$URL" | \
  grep -E "Requests/sec|Latency|99%|50%|p50|Non-2xx"
