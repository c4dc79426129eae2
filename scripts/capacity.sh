#!/usr/bin/env bash
# Capacity figures of one node (docs/CAPACITY.md): throughput, latency and CPU time per request
# reading N tenants at random, and the cache's heap per tenant. Starts the service as
# scripts/run.sh does (SERVICE_JAVA_OPTS), on an embedded PostgreSQL of its own, seeds 50 flags x
# N tenants, reads every tenant once (the cache then holds them all), and measures with wrk.
#
#   scripts/capacity.sh [--tenants 10000] [--duration 20] [--connections 32] [--cpus 0,1] [--ttl-ms 300000] [--histogram 25]
#
# --cpus pins the service (not PostgreSQL, not wrk) to those cores with taskset; --ttl-ms 0 turns
# the cache off; --histogram N prints the N classes taking most heap at the end (to stderr), to
# see where a cached tenant's bytes go. Needs wrk, python3 and curl. Prints one line: tenants, req/s, p50, p99, service
# CPU microseconds per request, cache hit ratio, heap per cached tenant (heap in use after a full
# GC, less that of the empty cache, over the tenants cached), RSS. Needs the serial collector.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tenants=10000 duration=20 connections=32 cpus="" ttl=300000 histogram=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tenants) tenants=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --ttl-ms) ttl=$2; shift 2 ;;
    --histogram) histogram=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "capacity: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk python3 curl; do
  command -v "$tool" > /dev/null || { echo "capacity: $tool is needed" >&2; exit 2; }
done
ensure_jar

http_port=$(free_port)
pg_port=$(free_port)
work=$(mktemp -d /tmp/tf-capacity.XXXXXX)
token="capacity-$RANDOM$RANDOM"
db_uri="postgresql://postgres@localhost:$pg_port/postgres"
export TF_HTTP_HOST=127.0.0.1 TF_HTTP_PORT=$http_port TF_EMBEDDED_PORT=$pg_port TF_EMBEDDED_DATA_DIRECTORY=$work/postgres
export TF_AUTH_TOKENS="[{\"name\":\"capacity\",\"token\":\"$token\",\"tenants\":[\"*\"]}]"
export TF_CACHE_TTL_MS=$ttl TF_CACHE_MAX_TENANTS=$((tenants > 100000 ? tenants : 100000))
# No change listener: the seed's row triggers NOTIFY once per row (millions at 100,000 tenants),
# which would be the measurement. Maps are then kept as long as they would be with one.
export TF_DB_LISTEN_FOR_CHANGES=false TF_CACHE_TTL_WITHOUT_LISTENER_MS=$ttl

service_pid=
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

pin=()
[ -n "$cpus" ] && pin=(taskset -c "$cpus")
# shellcheck disable=SC2086 # the options are a list on purpose
"${pin[@]}" java $SERVICE_JAVA_OPTS -jar "$TF_JAR" > "$work/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 1200); do # 120 s, the 15 s warm-up included
  curl -s -o /dev/null "http://127.0.0.1:$http_port/health/ready" && break
  kill -0 "$service_pid" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 0.1
done

echo "capacity: seeding 50 flags x $tenants tenants ..." >&2
TF_CONFIG= run_tool org.tenantfeatures.tools.loadgen.LoadMain -q --seed "50x$tenants" -n 1 --tenants 1 --db "$db_uri" \
  -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/api/v3/features/tenant" > /dev/null

# The seeded tenants' ids (DataSet.seededTenant: Java's name-based UUID of "tenant-features-load-<i>").
python3 - "$tenants" > "$work/tenants.lua" <<'EOF'
import hashlib, sys
n = int(sys.argv[1])
print("ids = {")
for i in range(n):
    h = bytearray(hashlib.md5(f"tenant-features-load-{i}".encode()).digest())
    h[6] = (h[6] & 0x0f) | 0x30
    h[8] = (h[8] & 0x3f) | 0x80
    x = h.hex()
    print(f'"{x[0:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:32]}",')
print("}")
EOF
cat >> "$work/tenants.lua" <<'EOF'
local n = 0
local sequential = os.getenv("SEQUENTIAL") == "1"
function init(args) math.randomseed(os.time() + math.random(1000)) end
function request()
  local id
  if sequential then n = n + 1; id = ids[(n - 1) % #ids + 1] else id = ids[math.random(#ids)] end
  return wrk.format("GET", nil, {["X-Tenant-ID"] = id, ["Authorization"] = os.getenv("AUTH")})
end
function done(summary, latency, requests)
  io.write(string.format("requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
EOF
url="http://127.0.0.1:$http_port/api/v3/features/tenant"
export AUTH="Bearer $token"
# Heap in use after a full collection, in KB (the serial collector's two generations).
heap_kb() {
  jcmd "$service_pid" GC.run > /dev/null
  jcmd "$service_pid" GC.heap_info | awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K.*", "", v); s += v}} END {print s}'
}
empty_kb=$(heap_kb)

# Every tenant read once (sequentially), so that the cache holds them all, then some warm-up.
# At least 30 s: the JIT needs that long on two busy cores (docs/CAPACITY.md).
warm=$(( tenants / 2000 + 30 ))
SEQUENTIAL=1 wrk -t 2 -c "$connections" -d "${warm}s" -s "$work/tenants.lua" "$url" > /dev/null
metric() { curl -s -H "$AUTH" "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$0 ~ m {s += $NF} END {printf "%.0f", s}'; }
hits0=$(metric 'cache_gets_total.*result="hit"'); miss0=$(metric 'cache_gets_total.*result="miss"')
ticks() { awk '{print $14 + $15}' "/proc/$service_pid/stat"; }
cpu0=$(ticks)
out=$(wrk -t 2 -c "$connections" -d "${duration}s" --timeout 10s -s "$work/tenants.lua" "$url" | grep '^requests=')
cpu1=$(ticks)
hits1=$(metric 'cache_gets_total.*result="hit"'); miss1=$(metric 'cache_gets_total.*result="miss"')
requests=$(sed -E 's/requests=([0-9]+).*/\1/' <<< "$out")
hz=$(getconf CLK_TCK)
cpu_us=$(( (cpu1 - cpu0) * 1000000 / hz / (requests > 0 ? requests : 1) ))
lookups=$(( hits1 - hits0 + miss1 - miss0 ))
hit_ratio=$(python3 -c "print(f'{($hits1 - $hits0) / max(1, $lookups):.3f}')")

used_kb=$(heap_kb)
rss_mb=$(( $(awk '/VmRSS/ {print $2}' "/proc/$service_pid/status") / 1024 ))
cached=$(metric '^cache_size')
if [ "$histogram" -gt 0 ]; then
  jcmd "$service_pid" GC.class_histogram | head -n $((histogram + 3)) >&2
fi
per_tenant=$(python3 -c "print(f'{($used_kb - $empty_kb) * 1024 / max(1, $cached):.0f}')")
echo "tenants=$tenants cpus=${cpus:-all} ttl_ms=$ttl $out cpu_us_per_request=$cpu_us hit_ratio=$hit_ratio" \
  "cached_tenants=$cached heap_used_mb=$((used_kb / 1024)) heap_bytes_per_cached_tenant=$per_tenant rss_mb=$rss_mb"
