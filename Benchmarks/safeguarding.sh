#!/usr/bin/env bash
# Concerns and cases at scale: adds 100,000 cases and 300,000 concerns (encrypted as real ones
# are) to a demo database, then measures under wrk on loopback a caseworker's case list, a case
# page, the public report submission (including the receipt-code hash) and the partnership
# analyst's year report, printing p50/p95/p99 per run and the medians. SQLite, then a throwaway
# PostgreSQL 15. For the statistics target: Benchmarks/safeguarding.sh 5 5 1 both 300000 1000000
#   Benchmarks/safeguarding.sh [runs=5] [seconds=10] [connections=10] [sqlite|postgres|both] [cases=100000] [concerns=300000]
#   ONLY=reports measures the year report alone.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}; SECS=${2:-10}; CONNS=${3:-10}; ENGINES=${4:-both}; CASES=${5:-100000}; CONCERNS=${6:-300000}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
swift build -c release --product lantern >/dev/null
swift build -c release --product safeguarding-load >/dev/null
BIN=.build/release/lantern; LOAD=.build/release/safeguarding-load
WORK=$(mktemp -d); PORT=8097; BASE="http://127.0.0.1:$PORT"; SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; [ -n "${KEEP:-}" ] && { echo "kept $WORK"; return; }; LANTERN_TEST_PG_PORT=54332 scripts/postgres-test-server stop || true; rm -rf "$WORK"; }
trap cleanup EXIT
export LANTERN_DEMO_PASSWORD=bench-password-2026
# The public limits (20 reports an hour) would stop a load test; raised for this run only.
export LANTERN_PUBLIC_REPORTS_PER_HOUR=100000000 LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR=100000000 LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR=100000000

cat >"$WORK/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("PCT %.2f %.2f %.2f %d %d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                         latency:percentile(99) / 1000, summary.requests, summary.errors.status))
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
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//'; }

sign_in() {
  local jar="$WORK/cookies-$1-${2:-caseworker}" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/sign-in" | csrf_of)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=${2:-caseworker}@demo.lantern.example" --data-urlencode "password=$LANTERN_DEMO_PASSWORD" "$BASE/sign-in"
  awk '$6=="lantern-session"{print $7}' "$jar"
}

# wrk_runs NAME SCRIPT ARGS...: RUNS runs, printing each run's p95 and the medians.
wrk_runs() {
  local name=$1; shift
  local p50=() p95=() p99=() total=0 errors=0
  for _ in $(seq "$RUNS"); do
    read -r a b c n e < <(wrk -t$(( CONNS < 2 ? 1 : 2 )) -c"$CONNS" -d"${SECS}s" "$@" | awk '$1=="PCT"{print $2, $3, $4, $5, $6}')
    p50+=("$a"); p95+=("$b"); p99+=("$c"); total=$((total + n)); errors=$((errors + e))
  done
  printf '  %-36s p95 per run (ms): %s | median p50 %s, p95 %s, p99 %s ms | %d requests, %d non-2xx/3xx\n' "$name" "${p95[*]}" \
    "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p95[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" "$total" "$errors"
}

run_engine() {
  local engine=$1
  unset LANTERN_DATA_KEY_FILE
  echo "== $engine: $CASES cases, $CONCERNS concerns; wrk -c$CONNS -d${SECS}s x $RUNS, release build, $(nproc) cores"
  start_server "$engine"; stop_server   # creates the schema and the demo people
  export LANTERN_DATA_KEY_FILE="$WORK/data-$engine/demo-data-protection.key"
  $LOAD "$WORK/data-$engine" "$CASES" "$CONCERNS" | sed 's/^/  /'
  start_server "$engine"
  local session; session=$(sign_in "$engine")
  local cookie="Cookie: lantern-session=$session"
  if [ "${ONLY:-}" != "reports" ]; then
  curl -sf -o /dev/null -H "$cookie" "$BASE/cases" || { echo "GET /cases failed" >&2; exit 1; }
  local case_path
  case_path=$(curl -s -H "$cookie" "$BASE/cases?show=mine" | grep -o 'href="/cases/[0-9A-F-]\{36\}"' | head -1 | sed 's/href="//; s/"//')
  curl -sf -o /dev/null -H "$cookie" "$BASE$case_path" || { echo "GET $case_path failed" >&2; exit 1; }
  wrk_runs "GET /cases (caseworker's list)" -s "$WORK/percentiles.lua" -H "$cookie" "$BASE/cases"
  wrk_runs "GET /cases?show=mine&page=2" -s "$WORK/percentiles.lua" -H "$cookie" "$BASE/cases?show=mine&page=2"
  wrk_runs "GET $case_path (case page)" -s "$WORK/percentiles.lua" -H "$cookie" "$BASE$case_path"

  # The public form: one reporter's session and token, a new anonymous report per request.
  local jar="$WORK/public-$engine" token psession
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/report" | csrf_of)
  psession=$(awk '$6=="lantern-session"{print $7}' "$jar")
  cat >"$WORK/report.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "lantern-session=$psession"
wrk.body = "_csrf=$token&relationship=public_named&immediate_danger=no&subject=person&age=adult&child_involved=no&location=Canal+Street+car+wash&description=Workers+sleep+on+site+and+are+collected+at+6am.&indicators%5B%5D=labour.lives_at_work&anonymous=yes"
$(cat "$WORK/percentiles.lua")
LUA
  local before; before=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: lantern-session=$psession" -H "Content-Type: application/x-www-form-urlencoded" \
    --data "_csrf=$token&relationship=public_named&immediate_danger=no&subject=person&age=adult&child_involved=no&location=x&description=y&anonymous=yes" "$BASE/report")
  [ "$before" = "200" ] || { echo "POST /report answered $before" >&2; exit 1; }
  wrk_runs "POST /report (anonymous, with code)" -s "$WORK/report.lua" "$BASE/report"
  fi

  # The last full financial year, compared with the one before (the data spans three years).
  local analyst year
  analyst=$(sign_in "$engine" partnership.analyst)
  year=$(( $(date +%Y) - ( 10#$(date +%m) > 3 ? 0 : 1 ) ))
  curl -sf -o /dev/null -H "Cookie: lantern-session=$analyst" "$BASE/reports?year=$year" || { echo "GET /reports failed" >&2; exit 1; }
  wrk_runs "GET /reports?year=$year (year report)" -s "$WORK/percentiles.lua" -H "Cookie: lantern-session=$analyst" "$BASE/reports?year=$year"
  stop_server
}

if [ "$ENGINES" = "sqlite" ] || [ "$ENGINES" = "both" ]; then
  unset DATABASE_URL; run_engine sqlite
fi
if [ "$ENGINES" = "postgres" ] || [ "$ENGINES" = "both" ]; then
  DATABASE_URL=$(LANTERN_TEST_PG_PORT=54332 scripts/postgres-test-server start); export DATABASE_URL
  echo "(PostgreSQL 15 on loopback, started with fsync=off as the test server is)"
  run_engine postgres
fi
