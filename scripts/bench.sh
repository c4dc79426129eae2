#!/usr/bin/env bash
# Benchmark of the read path, v3 and OFREP bulk: cached (the default coherent cache) and uncached
# (cache.ttlMs=0), and the revalidation path (If-None-Match with each tenant's last ETag, answered
# 304), 32 connections, 50 flags x 200 tenants, every 200 verified against the database (wrong=0
# is checked, not assumed). Runs against TF_DB_URI if set, else an embedded PostgreSQL of its own.
#
#   scripts/bench.sh [--duration 20s] [--warmup 5s] [--connections 32]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration=20s warmup=5s connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar

http_port=$(free_port)
token="bench-token-$RANDOM$RANDOM"
export TF_HTTP_HOST=127.0.0.1 TF_HTTP_PORT=$http_port
export TF_AUTH_TOKENS="[{\"name\":\"bench\",\"token\":\"$token\",\"tenants\":[\"*\"]}]"
if [ -n "${TF_DB_URI:-}" ]; then
  db_uri=$TF_DB_URI
else
  pg_port=$(free_port)
  bench_dir=$(mktemp -d /tmp/tf-bench.XXXXXX)
  export TF_EMBEDDED_PORT=$pg_port TF_EMBEDDED_DATA_DIRECTORY=$bench_dir/postgres
  db_uri="postgresql://postgres@localhost:$pg_port/postgres"
fi

service_pid=
stop_service() {
  if [ -n "$service_pid" ]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
    service_pid=
  fi
}
cleanup() { stop_service; [ -n "${bench_dir:-}" ] && rm -rf "$bench_dir"; }
trap cleanup EXIT

start_service() { # $1: cache ttl in ms
  # shellcheck disable=SC2086 # the options are a list on purpose
  TF_CACHE_TTL_MS=$1 java $SERVICE_JAVA_OPTS -jar "$TF_JAR" > "target/bench-service-ttl$1.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 1200); do # 120 s, the 15 s warm-up included
    if curl -s -o /dev/null "http://127.0.0.1:$http_port/api/v3/features/tenant"; then return 0; fi
    if ! kill -0 "$service_pid" 2>/dev/null; then echo "service exited; see target/bench-service-ttl$1.log" >&2; exit 1; fi
    sleep 0.1
  done
  echo "service did not start in 60 s" >&2; exit 1
}

url="http://127.0.0.1:$http_port/api/v3/features/tenant"
ofrep_url="http://127.0.0.1:$http_port/ofrep/v1/evaluate/flags"
load() { # $1: URL, then load-generator options
  local target=$1; shift
  TF_CONFIG= run_tool org.tenantfeatures.tools.loadgen.LoadMain -q -c "$connections" --tenants 200 --verify --db "$db_uri" \
    -H "Authorization: Bearer $token" "$@" "$target"
}

results=()
measure() { # $1: name, $2: URL, then load-generator options
  local name=$1 target=$2 line; shift 2
  line=$(load "$target" -z "$duration" "$@")
  echo "$name $line"
  case "$line" in *" wrong=0 "*) ;; *) echo "bench: wrong answers on $name" >&2; exit 1 ;; esac
  results+=("$name $line")
}

for ttl in 300000 0; do  # the default (coherent) cache, then none
  start_service "$ttl"
  load "$url" --seed 50x200 -z "$warmup" > /dev/null
  load "$ofrep_url" --ofrep -z "$warmup" > /dev/null
  if [ "$ttl" = 0 ]; then
    measure v3-uncached "$url"
    measure ofrep-uncached "$ofrep_url" --ofrep
  else
    measure v3-cached "$url"
    measure v3-304 "$url" --revalidate
    measure ofrep-cached "$ofrep_url" --ofrep
    measure ofrep-304 "$ofrep_url" --ofrep --revalidate
  fi
  stop_service
done

echo
printf '%-15s %10s %10s %10s %10s %8s %8s %8s\n' path req/s p50_ms p99_ms max_ms wrong 304s hits
for r in "${results[@]}"; do
  get() { sed -E "s/.* $1=([^ ]+).*/\1/" <<< " ${r#* }"; }
  printf '%-15s %10s %10s %10s %10s %8s %8s %8s\n' "${r%% *}" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" "$(get max_ms)" \
    "$(get wrong)" "$(get not_modified)" "$(get cache_hits)"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
