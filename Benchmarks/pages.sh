#!/usr/bin/env bash
# The busiest pages under load, each beside nginx serving the same bytes in the same run: the
# limit of this machine's loopback and wrk. A release build, demo data (and optionally 100,000
# cases added), wrk on loopback; Lantern and nginx alternate page by page, run by run. Prints
# every run and, per page, the medians: requests/s, p50 and p95 latency, and Lantern/nginx.
#   Benchmarks/pages.sh [runs=3] [seconds=10] [connections=10] [sqlite|postgres] [cases=0]
#   LANTERN_BIN=path measures another build (an earlier commit's, say) on the same data.
#   ONLY=regex measures only the pages whose names match (ONLY='/cases' at 100,000 cases).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}; SECS=${2:-10}; CONNS=${3:-10}; ENGINE=${4:-sqlite}; CASES=${5:-0}
for tool in wrk nginx curl; do command -v $tool >/dev/null || { echo "$tool is needed: apt-get install wrk nginx-light curl" >&2; exit 1; }; done
if [ -z "${LANTERN_BIN:-}" ]; then swift build -c release --product lantern >/dev/null; LANTERN_BIN=.build/release/lantern; fi
[ "$CASES" -gt 0 ] && swift build -c release --product safeguarding-load >/dev/null
WORK=$(mktemp -d); PORT=8097; NGINX_PORT=8098; BASE="http://127.0.0.1:$PORT"; SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  [ "$ENGINE" = postgres ] && LANTERN_TEST_PG_PORT=54333 scripts/postgres-test-server stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export LANTERN_DEMO_PASSWORD=bench-password-2026
# The public limits (20 reports an hour) would stop a load test; raised for this run only.
export LANTERN_PUBLIC_REPORTS_PER_HOUR=100000000 LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR=100000000 LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR=100000000
if [ "$ENGINE" = postgres ]; then
  DATABASE_URL=$(LANTERN_TEST_PG_PORT=54333 scripts/postgres-test-server start); export DATABASE_URL
else
  unset DATABASE_URL
fi

start_server() {
  "$LANTERN_BIN" demo --data-dir "$WORK/data" --port $PORT >>"$WORK/server.log" 2>&1 &
  SERVER=$!
  # Up to ten minutes: the first start after a bulk load fills the name index of every case.
  for _ in $(seq 1200); do curl -sf "$BASE/health" >/dev/null && return; sleep 0.5; done
  echo "Lantern did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}
start_server
if [ "$CASES" -gt 0 ]; then
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  LANTERN_DATA_KEY_FILE="$WORK/data/demo-data-protection.key" .build/release/safeguarding-load "$WORK/data" "$CASES" 0 | sed 's/^/  /'
  start_server
fi

csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//'; }
sign_in() {
  local jar="$WORK/cookies-$1" token
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/sign-in" | csrf_of)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=$1@demo.lantern.example" --data-urlencode "password=$LANTERN_DEMO_PASSWORD" "$BASE/sign-in"
  awk '$6=="lantern-session"{print $7}' "$jar"
}
CASEWORKER="Cookie: lantern-session=$(sign_in caseworker)"
PROCUREMENT="Cookie: lantern-session=$(sign_in procurement.officer)"
ANALYST="Cookie: lantern-session=$(sign_in partnership.analyst)"
CASE_PATH=$(curl -s -H "$CASEWORKER" "$BASE/cases?show=mine" | grep -o 'href="/cases/[0-9A-F-]\{36\}"' | head -1 | sed 's/href="//; s/"//')
[ -n "$CASE_PATH" ] || { echo "the caseworker has no case to open" >&2; exit 1; }

# The public report: one reporter's session and token, a new anonymous report per request.
PUBLIC_JAR="$WORK/public"
REPORT_TOKEN=$(curl -s -c "$PUBLIC_JAR" -b "$PUBLIC_JAR" "$BASE/report" | csrf_of)
PUBLIC="Cookie: $(awk '$6 ~ /^lantern-/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$PUBLIC_JAR")"
REPORT_BODY="_csrf=$REPORT_TOKEN&relationship=public_named&immediate_danger=no&subject=person&age=adult&child_involved=no&location=Canal+Street+car+wash&description=Workers+sleep+on+site+and+are+collected+at+6am.&indicators%5B%5D=labour.lives_at_work&anonymous=yes"

# name|method|path|header
PAGES=(
  "GET /sign-in|GET|/sign-in|"
  "GET /home (caseworker)|GET|/home|$CASEWORKER"
  "GET /cases (caseworker)|GET|/cases|$CASEWORKER"
  "GET a case page|GET|$CASE_PATH|$CASEWORKER"
  "GET /suppliers?q=clean|GET|/suppliers?q=clean|$PROCUREMENT"
  "GET /reports (analyst)|GET|/reports|$ANALYST"
  "POST /report (public)|POST|/report|$PUBLIC"
)
if [ -n "${ONLY:-}" ]; then
  kept=(); for page in "${PAGES[@]}"; do [[ "${page%%|*}" =~ $ONLY ]] && kept+=("$page"); done; PAGES=("${kept[@]}")
fi

# nginx serves, for each page, the bytes Lantern answered it with, from its own config and port.
mkdir -p "$WORK/static"
{
  echo "worker_processes auto; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; daemon on;"
  echo "events { worker_connections 1024; }"
  echo "http { access_log off; default_type text/html; client_body_temp_path $WORK/nginx-body;"
  echo "  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/static; error_page 405 =200 \$uri; }"
  echo "}"
} >"$WORK/nginx.conf"
i=0
for page in "${PAGES[@]}"; do
  IFS='|' read -r name method path header <<<"$page"
  if [ "$method" = POST ]; then
    code=$(curl -s -o "$WORK/static/page$i" -w '%{http_code}' -X POST -H "$header" -H "Content-Type: application/x-www-form-urlencoded" --data "$REPORT_BODY" "$BASE$path")
  else
    code=$(curl -s -o "$WORK/static/page$i" -w '%{http_code}' ${header:+-H "$header"} "$BASE$path")
  fi
  [ "$code" = 200 ] || { echo "$name answered $code" >&2; exit 1; }
  i=$((i + 1))
done
nginx -c "$WORK/nginx.conf" -p "$WORK" 2>/dev/null

cat >"$WORK/report.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "$REPORT_BODY"
LUA
cat >"$WORK/figures.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("FIG %.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
LUA
# wrk_run URL METHOD HEADER: prints "req/s p50 p95 non-2xx".
wrk_run() {
  local lua="$WORK/figures.lua"
  if [ "$2" = POST ]; then cat "$WORK/report.lua" "$WORK/figures.lua" >"$WORK/post.lua"; lua="$WORK/post.lua"; fi
  wrk -t$(( CONNS < 2 ? 1 : 2 )) -c"$CONNS" -d"${SECS}s" -s "$lua" ${3:+-H "$3"} "$1" | awk '$1=="FIG"{print $2, $3, $4, $5}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== $ENGINE, $( [ "$CASES" -gt 0 ] && echo "demo data + $CASES cases" || echo "demo data" ); wrk -t2 -c$CONNS -d${SECS}s, $RUNS runs alternating with nginx; $(nproc) cores"
declare -A L_RPS L_P50 L_P95 N_RPS
for run in $(seq "$RUNS"); do
  i=0
  for page in "${PAGES[@]}"; do
    IFS='|' read -r name method path header <<<"$page"
    read -r lr lp50 lp95 lerr < <(wrk_run "$BASE$path" "$method" "$header")
    read -r nr _ _ _ < <(wrk_run "http://127.0.0.1:$NGINX_PORT/page$i" "$method" "")
    [ "$lerr" = 0 ] || echo "  ($name: $lerr answers that were not 2xx or 3xx)"
    printf '  run %d  %-24s Lantern %9.1f req/s  p50 %7.2f ms  p95 %7.2f ms | nginx %9.1f req/s\n' "$run" "$name" "$lr" "$lp50" "$lp95" "$nr"
    L_RPS[$i]+="$lr "; L_P50[$i]+="$lp50 "; L_P95[$i]+="$lp95 "; N_RPS[$i]+="$nr "
    i=$((i + 1))
  done
done
echo
printf '| %-24s | %12s | %8s | %8s | %12s | %14s |\n' "page (medians)" "Lantern req/s" "p50 ms" "p95 ms" "nginx req/s" "Lantern/nginx"
printf '| %-24s | %12s | %8s | %8s | %12s | %14s |\n' "---" "---" "---" "---" "---" "---"
i=0
for page in "${PAGES[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$page"
  lr=$(tr ' ' '\n' <<<"${L_RPS[$i]}" | grep . | median); nr=$(tr ' ' '\n' <<<"${N_RPS[$i]}" | grep . | median)
  printf '| %-24s | %12.0f | %8.2f | %8.2f | %12.0f | %13.2f%% |\n' "$name" "$lr" \
    "$(tr ' ' '\n' <<<"${L_P50[$i]}" | grep . | median)" "$(tr ' ' '\n' <<<"${L_P95[$i]}" | grep . | median)" "$nr" \
    "$(awk -v a="$lr" -v b="$nr" 'BEGIN { print 100 * a / b }')"
  i=$((i + 1))
done
