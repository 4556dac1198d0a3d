#!/usr/bin/env bash
# Register generation and import at scale, side by side with plain SQLite.
#   bench/import.sh BUILD_DIR [COUNT]
# Reports citizens/s, peak RSS and database size; the baseline is a plain
# SQLite bulk insert of COUNT rows into a table with an INTEGER PRIMARY KEY
# (same machine, same run, same synchronous=FULL + WAL settings).
set -euo pipefail
BUILD="${1:-build}"; COUNT="${2:-10000000}"
BIN="$BUILD/dancu"
WORK="$(mktemp -d /tmp/dancu-bench-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

measure() {  # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r secs rss_kib < "$WORK/time"
  echo "$label: $(tail -1 "$WORK/out")"
  echo "$label: wall ${secs}s, $(awk -v c="$COUNT" -v s="$secs" 'BEGIN{printf "%.0f", c/s}') rows/s, peak RSS $((rss_kib / 1024)) MiB"
}

echo "== $COUNT citizens, $(nproc) cores, $(date -u +%FT%TZ)"
measure "sqlite baseline (PK insert)" sqlite3 "$WORK/baseline.db" \
  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-1048576;
   CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, dob INTEGER, commune TEXT);
   BEGIN; INSERT INTO t SELECT value * 7919 % 1000000000007, 'Nguyễn Văn An', 19850314, '00004'
   FROM generate_series(1, $COUNT); COMMIT; SELECT 'inserted ' || count(*) FROM t;"
measure "dancu generate" "$BIN" generate --data "$WORK/gen" --count "$COUNT" --seed 1
echo "dancu generate: database $(du -m "$WORK/gen/register.db" | cut -f1) MiB ($(awk -v c="$COUNT" -v b="$(stat -c %s "$WORK/gen/register.db")" 'BEGIN{printf "%.0f", b/c}') bytes/citizen)"
"$BIN" export --data "$WORK/gen" --out "$WORK/register.csv"
echo "export: $(du -m "$WORK/register.csv" | cut -f1) MiB CSV"
rm -rf "$WORK/gen"
measure "dancu import" "$BIN" import --data "$WORK/imp" "$WORK/register.csv"
