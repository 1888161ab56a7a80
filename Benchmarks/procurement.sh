#!/usr/bin/env bash
# Supplier and contract scale: generates 50,000 suppliers and 100,000 contracts as CSV, imports
# them with `lantern import` (timed), then measures the filtered supplier list and the
# procurement dashboard under wrk on loopback (p50/p95/p99 of each run, and the medians).
# Runs on SQLite, then on a throwaway PostgreSQL 15.
#   Benchmarks/procurement.sh [runs=5] [seconds=10] [connections=10] [sqlite|postgres|both]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}; SECS=${2:-10}; CONNS=${3:-10}; ENGINES=${4:-both}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
swift build -c release --product lantern >/dev/null
BIN=.build/release/lantern
WORK=$(mktemp -d); PORT=8098; BASE="http://127.0.0.1:$PORT"; SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; [ -n "${KEEP:-}" ] && { echo "kept $WORK"; return; }; LANTERN_TEST_PG_PORT=54331 scripts/postgres-test-server stop || true; rm -rf "$WORK"; }
trap cleanup EXIT
python3 Benchmarks/procurement-data.py "$WORK/csv" 50000 100000
ls -l "$WORK/csv"
export LANTERN_DEMO_PASSWORD=bench-password-2026
export LANTERN_GOODS_LIST=${LANTERN_GOODS_LIST:-../shared/data/dol-goods/goods_2021.xml}

cat >"$WORK/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("PCT %.2f %.2f %.2f %d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                         latency:percentile(99) / 1000, summary.requests))
end
LUA

start_server() {
  $BIN demo --data-dir "$WORK/data-$1" --port $PORT >"$WORK/server-$1.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 120); do curl -sf "$BASE/health" >/dev/null && return; sleep 0.5; done
  echo "server did not start" >&2; cat "$WORK/server-$1.log" >&2; exit 1
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

sign_in() {
  local jar="$WORK/cookies-$1"
  local token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=procurement.officer@demo.lantern.example" --data-urlencode "password=$LANTERN_DEMO_PASSWORD" "$BASE/sign-in"
  awk '$6=="lantern-session"{print $7}' "$jar"
}

bench() {
  local name=$1 path=$2 session=$3
  local p50=() p95=() p99=()
  curl -sf -o /dev/null -H "Cookie: lantern-session=$session" "$BASE$path" || { echo "GET $path failed" >&2; exit 1; }
  for _ in $(seq "$RUNS"); do
    read -r a b c n < <(wrk -t$(( CONNS < 2 ? 1 : 2 )) -c"$CONNS" -d"${SECS}s" -s "$WORK/percentiles.lua" -H "Cookie: lantern-session=$session" "$BASE$path" | awk '$1=="PCT"{print $2, $3, $4, $5}')
    p50+=("$a"); p95+=("$b"); p99+=("$c")
  done
  printf '  %-44s p95 per run (ms): %s | median p50 %s, p95 %s, p99 %s ms\n' "$name" "${p95[*]}" \
    "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p95[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)"
}

run_engine() {
  local engine=$1
  unset LANTERN_DATA_KEY_FILE   # each engine gets its own demo key
  echo "== $engine: import, then wrk -c$CONNS -d${SECS}s x $RUNS, release build, $(nproc) cores"
  start_server "$engine"; stop_server   # creates the schema and the demo people
  export LANTERN_DATA_KEY_FILE="$WORK/data-$engine/demo-data-protection.key"
  for kind in suppliers contracts; do
    local t0 t1
    t0=$(date +%s.%N)
    $BIN import "$kind" "$WORK/csv/$kind.csv" --data-dir "$WORK/data-$engine" | grep -E "^Imported|rows read"
    t1=$(date +%s.%N)
    printf '  import %-10s %.1f s\n' "$kind" "$(echo "$t1 - $t0" | bc)"
  done
  start_server "$engine"
  local session; session=$(sign_in "$engine")
  bench "GET /suppliers?q=cleaning&sector=construction" "/suppliers?q=cleaning&sector=construction" "$session"
  bench "GET /suppliers?standing=none&page=40" "/suppliers?standing=none&page=40" "$session"
  bench "GET /contracts?review=overdue" "/contracts?review=overdue" "$session"
  bench "GET /procurement (dashboard)" "/procurement" "$session"
  stop_server
}

if [ "$ENGINES" = "sqlite" ] || [ "$ENGINES" = "both" ]; then
  unset DATABASE_URL; run_engine sqlite
fi
if [ "$ENGINES" = "postgres" ] || [ "$ENGINES" = "both" ]; then
  DATABASE_URL=$(LANTERN_TEST_PG_PORT=54331 scripts/postgres-test-server start); export DATABASE_URL
  echo "(PostgreSQL 15 on loopback, started with fsync=off as the test server is)"
  run_engine postgres
fi
