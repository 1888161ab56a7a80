#!/usr/bin/env bash
# The API's speed targets: list endpoints at 10 connections on SQLite with 50,000 suppliers
# (p95 under 50 ms), and a bulk upsert of 10,000 contracts (under 5 s). A release build on a
# fresh demo database; suppliers are loaded through the API itself. Prints every run and the
# medians.
#   Benchmarks/api.sh [runs=3] [seconds=10] [connections=10]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}; SECS=${2:-10}; CONNS=${3:-10}
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done
if [ -z "${LANTERN_BIN:-}" ]; then swift build -c release --product lantern >/dev/null; LANTERN_BIN=.build/release/lantern; fi
WORK=$(mktemp -d); PORT=8095; BASE="http://127.0.0.1:$PORT"; SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
unset DATABASE_URL
"$LANTERN_BIN" demo --data-dir "$WORK/data" --port $PORT >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.5; done
TOKEN=$("$LANTERN_BIN" users token --data-dir "$WORK/data" --data-key-file "$WORK/data/demo-data-protection.key" \
  --email procurement.officer@demo.lantern.example --name benchmark --days 1 --calls-per-minute 100000 \
  --scope view_suppliers --scope edit_suppliers --scope view_contracts --scope edit_contracts | tail -1)
AUTH="Authorization: Bearer $TOKEN"

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
sectors = ["construction", "cleaning_security", "hospitality_catering", "textiles_clothing_footwear", "transport_logistics"]
for batch in range(5):
    suppliers = [{"name": f"Benchmark Supplier {batch * 10000 + i:05d} Ltd", "company_number": f"{80000000 + batch * 10000 + i:08d}",
                  "sectors": [sectors[i % 5]], "countries_operation": ["United Kingdom"]} for i in range(10000)]
    json.dump({"suppliers": suppliers}, open(f"{work}/suppliers-{batch}.json", "w"))
for run in range(2):
    contracts = [{"reference": f"BENCH-{i:05d}", "title": f"Benchmark contract {i:05d}", "supplier_company_number": f"{80000000 + i * 5:08d}",
                  "value": str(50000 + i + run), "start_date": "2026-04-01", "business_critical": i % 7 == 0} for i in range(10000)]
    json.dump({"contracts": contracts}, open(f"{work}/contracts-{run}.json", "w"))
PY
post() { curl -s -o "$WORK/out.json" -w "%{http_code} %{time_total}" -X POST "$BASE$1" -H "$AUTH" -H "Content-Type: application/json" --data-binary "@$2"; }
echo "Loading 50,000 suppliers through POST /api/v1/suppliers/bulk (10,000 a call):"
for batch in 0 1 2 3 4; do echo "  batch $batch: $(post /api/v1/suppliers/bulk "$WORK/suppliers-$batch.json") s"; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "Bulk upsert of 10,000 contracts (first run creates them, later runs change every value):"
: > "$WORK/bulk"
for run in $(seq "$RUNS"); do
  result=$(post /api/v1/contracts/bulk "$WORK/contracts-$((run % 2)).json")
  echo "  run $run: HTTP ${result% *}, ${result#* } s, $(tr -d ' \n' < "$WORK/out.json")"
  echo "${result#* }" >> "$WORK/bulk"
done
echo "  median: $(median < "$WORK/bulk") s"

cat > "$WORK/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
LUA
echo
echo "List endpoints, wrk -t2 -c$CONNS -d${SECS}s (req/s, p50 ms, p95 ms, non-2xx):"
for page in "/api/v1/suppliers?limit=50" "/api/v1/suppliers?q=supplier%20049&limit=50" "/api/v1/suppliers?sector=construction&limit=50" "/api/v1/contracts?limit=50" "/api/v1/contracts?risk_level=high&limit=50"; do
  : > "$WORK/p95s"
  for run in $(seq "$RUNS"); do
    line=$(wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$WORK/p95.lua" -H "$AUTH" "$BASE$page" | grep RESULT)
    echo "  $page run $run: ${line#RESULT }"
    echo "$line" | awk '{print $4}' >> "$WORK/p95s"
  done
  echo "  $page median p95: $(median < "$WORK/p95s") ms"
done
