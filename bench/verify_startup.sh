#!/usr/bin/env bash
# Start-up of `dancu serve` with its verification index, two ways: built by
# scanning the register (no snapshot), and loaded from DIR/verify-index.snap
# then caught up on the feed. Prints, for each, the time from launch to the
# "listening on" line, the index's own report (bytes, how it was made), the
# bytes per citizen, serve's RSS once listening, and how long the clean
# shutdown took (it writes the snapshot when the index changed).
#
# Usage: bench/verify_startup.sh [DANCU] [DATA_DIR] [COUNT]
#   DANCU     the binary (default build/dancu)
#   DATA_DIR  a register directory; generated with COUNT citizens if it has
#             no register.db (default /tmp/dancu-verify-startup)
#   COUNT     citizens to generate (default 10000000)
# KEEP_SNAPSHOT=1 skips the scan when DATA_DIR already has a snapshot.
# The page cache is left as it is (warm after the first run); drop it
# yourself (echo 3 > /proc/sys/vm/drop_caches) for cold-disk figures.
set -euo pipefail

DANCU=${1:-build/dancu}
DIR=${2:-/tmp/dancu-verify-startup}
COUNT=${3:-10000000}

if [ ! -f "$DIR/register.db" ]; then
  echo "generating $COUNT citizens in $DIR"
  "$DANCU" generate --data "$DIR" --count "$COUNT"
fi

now() { date +%s.%N; }

serve_once() {
  local label=$1 out="$DIR/startup-serve-$2.out" err="$DIR/startup-serve-$2.err"
  : >"$out"
  local t0 t1 t2 t3 pid
  t0=$(now)
  DANCU_ADMIN_TOKEN=bench "$DANCU" serve --data "$DIR" --listen 127.0.0.1:0 >"$out" 2>"$err" &
  pid=$!
  until grep -q "listening on" "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve exited:"; cat "$err"; exit 1
    fi
    sleep 0.05
  done
  t1=$(now)
  local rss hwm
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  # Let the follower finish its first round (it writes the snapshot after a
  # full build) so that the shutdown below is timed on its own.
  sleep 2
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  t2=$(now)
  kill -TERM "$pid"
  wait "$pid" || true
  t3=$(now)
  local citizens bytes
  citizens=$(grep -o 'verification index [0-9]*' "$out" | grep -o '[0-9]*$')
  bytes=$(grep -o 'citizens, [0-9]* bytes' "$out" | grep -o '[0-9]* bytes' | grep -o '[0-9]*')
  echo "== $label"
  grep -E "verification index|verify:" "$out" | sed 's/^/   /'
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$citizens" -v by="$bytes" \
      -v rss="$rss" -v hwm="$hwm" 'BEGIN {
    printf "   start-up to listening: %.1f s\n", b - a
    printf "   index: %.1f bytes/citizen (%d citizens)\n", by / n, n
    printf "   serve RSS when listening: %.0f MiB (peak %.0f MiB)\n", rss / 1024, hwm / 1024
    printf "   clean shutdown: %.1f s\n", d - c
  }'
}

if [ -z "${KEEP_SNAPSHOT:-}" ] || [ ! -f "$DIR/verify-index.snap" ]; then
  rm -f "$DIR/verify-index.snap"
  serve_once "no snapshot: index built from the register" build
fi
ls -l "$DIR/verify-index.snap" | awk '{printf "   snapshot file: %.0f MiB\n", $5 / 1048576}'
serve_once "with snapshot: index loaded, then feed caught up" load
