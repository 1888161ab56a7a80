#!/usr/bin/env bash
# Page latency under load: the sign-in page and a role's home page, served by a release
# build on SQLite (demo data), measured with wrk on loopback. Prints each run's median
# (wrk's 50th percentile) and the median of the runs.
#   Benchmarks/pages.sh [runs=5] [seconds=10] [connections=10]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}; SECS=${2:-10}; CONNS=${3:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
swift build -c release --product lantern >/dev/null
DATA=$(mktemp -d); PORT=8097; BASE="http://127.0.0.1:$PORT"
LANTERN_DEMO_PASSWORD=bench-password-2026 .build/release/lantern demo --data-dir "$DATA" --port $PORT >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 60); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.5; done

JAR="$DATA/cookies"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$BASE/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$TOKEN" \
  --data-urlencode "email=caseworker@demo.lantern.example" --data-urlencode "password=bench-password-2026" "$BASE/sign-in"
SESSION=$(awk '$6=="lantern-session"{print $7}' "$JAR")

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }

bench() {
  local name=$1 path=$2; shift 2
  local meds=() rps=()
  for _ in $(seq "$RUNS"); do
    out=$(wrk -t$(( CONNS < 2 ? 1 : 2 )) -c"$CONNS" -d"${SECS}s" --latency "$@" "$BASE$path")
    meds+=("$(echo "$out" | awk '$1=="50%"{print $2}' | to_ms)")
    rps+=("$(echo "$out" | awk '/Requests\/sec/{print $2}')")
  done
  printf '%-22s median latency per run (ms): %s | median %s ms | requests/s median %s\n' "$name" "${meds[*]}" \
    "$(printf '%s\n' "${meds[@]}" | median)" "$(printf '%s\n' "${rps[@]}" | median)"
}

echo "wrk -c$CONNS -d${SECS}s, $RUNS runs each, release build, SQLite, $(nproc) cores"
bench "GET /sign-in" /sign-in
bench "GET /home (caseworker)" /home -H "Cookie: lantern-session=$SESSION"
