#!/usr/bin/env bash
# The cost of the policy gate and minimization on POST /v1/verify (issue 5:
# "at most 5% of /v1/verify throughput, measured side by side"): one server,
# the same bodies, alternating wrk runs with the admin token (staff: no gate,
# no minimization) and with an agency client's access token (token check,
# policy and scope, rate limit and quota, minimization of every answer).
# Both paths record the verification and append to the access log alike.
#   bench/policy.sh BUILD_DIR [COUNT] [SECONDS] [ROUNDS] [DATA_DIR]
# Bounded: ROUNDS x 2 runs of SECONDS each, traffic to 127.0.0.1 only,
# everything started here is stopped on exit.
set -euo pipefail
BUILD="${1:-build}"; COUNT="${2:-1000000}"; SECS="${3:-10}"; ROUNDS="${4:-3}"; DATA="${5:-}"
BIN="$(realpath "$BUILD/dancu")"
WORK="$(mktemp -d /var/tmp/dancu-bench-XXXXXX)"
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "$DATA" ]; then
  DATA="$WORK/data"
  "$BIN" generate --data "$DATA" --count "$COUNT" --seed 1 > /dev/null
fi
COUNT="$(sqlite3 -readonly "$DATA/register.db" 'SELECT count(*) FROM citizens')"
sqlite3 -readonly "$DATA/register.db" "
  SELECT json_object('id', printf('%012d', id), 'full_name', full_name,
    'date_of_birth', CASE WHEN dob % 10000 = 0 THEN printf('%04d', dob / 10000)
                          WHEN dob % 100 = 0 THEN printf('%04d-%02d', dob / 10000, dob / 100 % 100)
                          ELSE printf('%04d-%02d-%02d', dob / 10000, dob / 100 % 100, dob % 100) END,
    'sex', CASE sex WHEN 0 THEN 'male' ELSE 'female' END)
  FROM citizens ORDER BY random() LIMIT 100000" > "$WORK/bodies"

# An agency whose policy allows verify without limits that bind here, and
# no personal field (every answer goes through the minimizer).
"$BIN" agencies add --data "$DATA" --name bench-bank --kind enterprise \
  --display-name "Bench bank" > /dev/null 2>&1 || true
echo '{"operations":["verify"],"rate_limit":1000000,"daily_quota":1000000000000}' > "$WORK/policy.json"
CLIENT="$("$BIN" agencies add-client --data "$DATA" --agency bench-bank \
  --generate-key "$WORK/key.pem" --policy "$WORK/policy.json" 2>/dev/null)"

export DANCU_ADMIN_TOKEN=bench-token BODIES_FILE="$WORK/bodies"
"$BIN" serve --data "$DATA" --listen 127.0.0.1:0 --threads "${SERVE_THREADS:-2}" > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1200); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.5; done
URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1)"
ASSERTION="$("$BIN" agencies assertion --client "$CLIENT" --key "$WORK/key.pem" \
  --audience "$URL/v1/agency/token")"
AGENCY_TOKEN="$(curl -sf -X POST "$URL/v1/agency/token" \
  -d grant_type=client_credentials \
  -d client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer \
  -d "client_assertion=$ASSERTION" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
case "$AGENCY_TOKEN" in dancu_at_*) ;; *) echo "no agency token"; exit 1;; esac
for T in "$DANCU_ADMIN_TOKEN" "$AGENCY_TOKEN"; do
  curl -sf -X POST -H "Authorization: Bearer $T" -H 'Content-Type: application/json' \
    --data "$(head -1 "$WORK/bodies")" "$URL/v1/verify" | grep -q '"MATCH"' || { echo "smoke test failed"; exit 1; }
done
# Agency tokens live 5 minutes: a fresh one per agency run.
fresh_token() {
  local a; a="$("$BIN" agencies assertion --client "$CLIENT" --key "$WORK/key.pem" --audience "$URL/v1/agency/token")"
  curl -sf -X POST "$URL/v1/agency/token" -d grant_type=client_credentials \
    -d client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer \
    -d "client_assertion=$a" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
echo "== POST /v1/verify, $COUNT citizens, server threads ${SERVE_THREADS:-2}, wrk -t2 -c64 -d${SECS}s, $(nproc) cores, $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
  for who in staff agency; do
    if [ "$who" = staff ]; then export VERIFY_TOKEN="$DANCU_ADMIN_TOKEN"; else export VERIFY_TOKEN="$(fresh_token)"; fi
    rps="$(wrk -t2 -c64 -d"${SECS}s" -s "$(dirname "$0")/verify.lua" "$URL" | awk '/Requests\/sec/ {print $2}')"
    echo "round $r $who $rps"
  done
done | tee "$WORK/results"
awk '{s[$3]+=$4; n[$3]++} END {
  a = s["agency"]/n["agency"]; b = s["staff"]/n["staff"];
  printf "mean: staff %.0f req/s, agency %.0f req/s; agency/staff = %.3f (cost %.1f%%)\n", b, a, a/b, (1-a/b)*100 }' "$WORK/results"
