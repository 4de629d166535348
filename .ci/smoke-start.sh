#!/usr/bin/env bash
# Boots `npm start` as a new user would (no DATABASE_URL: embedded PGlite in a fresh data
# folder), waits for the banner, and verifies the printed demo key over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
log=$(mktemp)
port=3917
# Its own process group, so stopping it stops npm, tsx, the embedded database and next start.
setsid env -u DATABASE_URL KEYWARD_DATA_DIR="$data" PORT="$port" npm start >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  grep -q "Keyward is running" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited early"; exit 1; }
  sleep 1
done
grep -q "Keyward is running" "$log" || { cat "$log"; echo "npm start did not come up in 240 s"; exit 1; }

key=$(grep -oE "^ +active +kw_[0-9A-Za-z]{36}" "$log" | awk '{print $2}')
[ -n "$key" ] || { cat "$log"; echo "no demo key printed"; exit 1; }
answer=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/keys/verify" -H 'content-type: application/json' -d "{\"key\":\"$key\"}")
echo "verify answered: $answer"
echo "$answer" | grep -q '"code":"VALID"' || { cat "$log"; echo "demo key did not verify"; exit 1; }
expired=$(grep -oE "expired, not yet swept +kw_[0-9A-Za-z]{36}" "$log" | awk '{print $NF}')
curl -sf -X POST "http://127.0.0.1:$port/api/v1/keys/verify" -H 'content-type: application/json' -d "{\"key\":\"$expired\"}" | grep -q '"code":"EXPIRED"' \
  || { echo "expired demo key did not answer EXPIRED"; exit 1; }
echo "quick start OK"
