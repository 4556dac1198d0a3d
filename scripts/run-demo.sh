#!/usr/bin/env bash
# Starts the demo server for `make run` and prints what to try.
# Usage: run-demo.sh BINARY DATA_DIR HOST:PORT
set -euo pipefail
BIN="$1"; DATA="$2"; LISTEN="$3"
TOKEN_FILE="$DATA/admin-token"
if [ ! -s "$TOKEN_FILE" ]; then
  # A random admin token per demo register, kept beside it.
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$TOKEN_FILE"
  chmod 600 "$TOKEN_FILE"
fi
export DANCU_ADMIN_TOKEN="$(cat "$TOKEN_FILE")"
# Sample people for the tour, read straight from the SQLite file (read-only).
DB="$DATA/register.db"
ID="$(sqlite3 -readonly "$DB" "SELECT printf('%012d', id) FROM citizens WHERE status = 0 ORDER BY id LIMIT 1")"
MOTHER="$(sqlite3 -readonly "$DB" "SELECT printf('%012d', id) FROM citizens WHERE sex = 1 AND status = 0 AND household_id IS NOT NULL AND dob BETWEEN 19900101 AND 20001231 ORDER BY id LIMIT 1")"
cat <<MSG

  dancu demo register: $DATA
  admin token:         $DANCU_ADMIN_TOKEN   (also in $TOKEN_FILE)

  Try, in another terminal:
    export DANCU_ADMIN_TOKEN=$DANCU_ADMIN_TOKEN
    curl -s http://$LISTEN/healthz
    curl -s -H "Authorization: Bearer \$DANCU_ADMIN_TOKEN" http://$LISTEN/v1/citizens/$ID
    curl -s -H "Authorization: Bearer \$DANCU_ADMIN_TOKEN" "http://$LISTEN/v1/feed?after=0"

  A citizen: $ID   A mother for a birth registration: $MOTHER

  The README's tour has more. Ctrl-C stops the server.

MSG
exec "$BIN" serve --data "$DATA" --listen "$LISTEN"
