#!/usr/bin/env bash
# Bulk reconciliation at scale (issue 3: >= 1,000,000 rows/s end to end for
# the rows with an id, on a COUNT-row file against a COUNT-citizen register).
#   bench/reconcile.sh BUILD_DIR [COUNT] [THREADS]
# Generates the register (`dancu generate`), writes the agency file with
# BUILD_DIR/bench/reconcile_input (89% exact, 10% with discrepancies, 1%
# without an id; synth::RecordCorruptor), then runs `dancu reconcile` under
# /usr/bin/time -v twice, and prints the index build time, rows/s and peak
# RSS of each run: first verification only (--no-linkage: every row with an
# id, Verify alone; this run builds the index from the register and leaves
# its snapshot), then the full run with record linkage (index loaded from the
# snapshot), with the rate of the linkage rows. WORK_DIR (default a fresh
# /tmp directory, removed at the end) may point at a disk with room: 10 M
# rows need about 2 GB of register, 0.7 GB of input and 0.6 GB of report.
set -euo pipefail
BUILD="${1:-build}"; COUNT="${2:-1000000}"; THREADS="${3:-0}"
BIN="$BUILD/dancu"
GEN="$BUILD/bench/reconcile_input"
WORK="${WORK_DIR:-$(mktemp -d /tmp/dancu-reconcile-XXXXXX)}"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

echo "== reconcile $COUNT rows against $COUNT citizens, $(nproc) cores, $(date -u +%FT%TZ)"
"$BIN" generate --data "$WORK/data" --count "$COUNT" --seed 1 | tail -1
"$GEN" "$WORK/data" "$WORK/input.csv" 7
echo "input: $(du -m "$WORK/input.csv" | cut -f1) MiB"

run() {  # label, extra reconcile options...
  local label="$1"; shift
  /usr/bin/time -v -o "$WORK/time" "$BIN" reconcile --data "$WORK/data" "$WORK/input.csv" \
    --out "$WORK/report.csv" --threads "$THREADS" "$@" > "$WORK/out" 2> "$WORK/err" || {
    cat "$WORK/out" "$WORK/err"; exit 1; }
  echo "-- $label"
  tr '\r' '\n' < "$WORK/err" | grep -E 'verification index' || true
  cat "$WORK/out"
  python3 - "$WORK/report.csv.summary.json" "$WORK/time" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
t = open(sys.argv[2]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", t).group(1).strip()
wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))))
rows, with_id, secs = s["rows"], s["rows_with_id"], s["seconds"]
link = s["linkage"]
print(f"reconcile: {rows} rows in {secs:.2f} s = {rows / secs:,.0f} rows/s "
      f"(rows with an id: {with_id})")
print(f"linkage: {link['rows']} rows, {link['seconds']:.2f} s of worker time, "
      f"{link['rows_per_second']:,.0f} rows/s per worker")
print(f"process: wall {wall:.1f} s (index included), user {float(field('User time (seconds)')):.1f} s, "
      f"sys {float(field('System time (seconds)')):.1f} s, "
      f"peak RSS {int(field('Maximum resident set size (kbytes)')) // 1024} MiB")
print("status:", json.dumps(s["status"]), "duplicates:", json.dumps(s["duplicates"]))
PY
}
run "verification only (--no-linkage)" --no-linkage
run "full (record linkage for rows without a right id)"
