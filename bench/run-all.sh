#!/usr/bin/env bash
# `make bench`: every benchmark, results to stdout. Record them in
# docs/benchmarks.md with the machine. COUNT defaults to 10 M citizens.
set -euo pipefail
BUILD="${1:-build}"
DIR="$(dirname "$0")"
COUNT="${BENCH_COUNT:-10000000}"
for b in "$BUILD"/bench/*_bench; do
  [ -x "$b" ] && "$b" --benchmark_min_time=1
done
bash "$DIR/import.sh" "$BUILD" "$COUNT"
bash "$DIR/get_citizen.sh" "$BUILD" "${BENCH_HTTP_COUNT:-1000000}" 15
bash "$DIR/verify.sh" "$BUILD" "$COUNT" 15
bash "$DIR/reconcile.sh" "$BUILD" "$COUNT"
bash "$DIR/verify_startup.sh" "$BUILD/dancu" "${BENCH_STARTUP_DIR:-/tmp/dancu-verify-startup}" "$COUNT"
bash "$DIR/oidc.sh" "$BUILD" 15
bash "$DIR/policy.sh" "$BUILD" "${BENCH_HTTP_COUNT:-1000000}" 10 3
