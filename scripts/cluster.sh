#!/usr/bin/env bash
# Two clustered tenant-features nodes behind HAProxy on loopback, the smoke test through the
# load balancer, then (with --load) verified load through it while node 2 is stopped gracefully,
# or (with --coherence) verified load through it with 50 writes a second, both nodes answering and
# every answer at most 100 ms behind the database, then the same while both nodes' change listeners are killed
# every 3 s (needs psql), or (with --release) a rollout raised from 10 % to 20 % under verified load
# with every tenant cached on both nodes (issue 21's demonstration); everything is stopped at the end.
#
#   scripts/cluster.sh [--load SECONDS | --coherence SECONDS | --release SECONDS [TENANTS]]
#
# Node 1 starts the embedded PostgreSQL (port 5544) and the demo data; node 2 uses the same
# database. The event bus between them is mutual TLS (certificates in target/cluster-certs). Ports: load balancer TF_LB_PORT (8080), nodes TF_NODE1_PORT (8081), TF_NODE2_PORT (8082).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

load_seconds=0 coherence_seconds=0 release_seconds=0 release_tenants=100000
case "${1:-}" in
  --load) load_seconds=${2:?--load takes seconds} ;;
  --coherence) coherence_seconds=${2:?--coherence takes seconds} ;;
  --release) release_seconds=${2:?--release takes seconds}; release_tenants=${3:-100000} ;;
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  "") ;;
  *) echo "cluster: unknown argument $1" >&2; exit 2 ;;
esac

export TF_LB_PORT=${TF_LB_PORT:-8080} TF_NODE1_PORT=${TF_NODE1_PORT:-8081} TF_NODE2_PORT=${TF_NODE2_PORT:-8082}
if ! command -v haproxy > /dev/null; then
  echo "cluster: HAProxy is needed: apt-get install haproxy" >&2
  exit 2
fi
ensure_jar
mkdir -p target
cluster_name="tf-demo-$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_ready() { # $1: port
  # 120 s: a node warms up for 15 s (http.warmUpMs) before it opens its port.
  for _ in $(seq 1 1200); do
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready" 2>/dev/null | grep -q 200 && return 0
    sleep 0.1
  done
  echo "cluster: node on port $1 not ready in 120 s; see target/cluster-node-*.log" >&2
  exit 1
}

# The event bus between the nodes is mutual TLS: a CA and a certificate per node, made here
# (target/cluster-certs, reused on the next run), each node with its own.
certs=target/cluster-certs
[ -f "$certs/node1.p12" ] && [ -f "$certs/node2.p12" ] || TF_CERT_PASSWORD=${TF_CERT_PASSWORD:-changeit} \
  scripts/make-certs.sh "$certs" node1 node2 > /dev/null
password=${TF_CERT_PASSWORD:-changeit}
export TF_CONFIG=conf/dev.json
# The nodes' settings, not exported: the tools run below read the same configuration, unclustered.
node_env=(TF_CLUSTER_ENABLED=true "TF_CLUSTER_NAME=$cluster_name" TF_HTTP_DRAIN_MS=1500
  "TF_CLUSTER_TLS_TRUST_STORE=$certs/truststore.p12" "TF_CLUSTER_TLS_TRUST_STORE_PASSWORD=$password"
  "TF_CLUSTER_TLS_KEY_STORE_PASSWORD=$password")
if [ "$release_seconds" -gt 0 ]; then
  # Every tenant cached on both nodes for the whole run: the room, and a lifetime longer than the
  # verifier's preparation (it reads each tenant's rows once).
  node_env+=("TF_CACHE_MAX_TENANTS=$((release_tenants * 2))" TF_CACHE_TTL_MS=3600000)
fi
env "${node_env[@]}" TF_CLUSTER_TLS_KEY_STORE=$certs/node1.p12 TF_HTTP_PORT=$TF_NODE1_PORT \
  java $SERVICE_JAVA_OPTS -jar "$TF_JAR" > target/cluster-node-1.log 2>&1 &
pids+=($!)
wait_ready "$TF_NODE1_PORT"
env "${node_env[@]}" TF_CLUSTER_TLS_KEY_STORE=$certs/node2.p12 TF_HTTP_PORT=$TF_NODE2_PORT TF_DB_URI=postgresql://postgres@localhost:5544/postgres TF_DEMO_LOAD=false \
  java $SERVICE_JAVA_OPTS -jar "$TF_JAR" > target/cluster-node-2.log 2>&1 &
node2=$!
pids+=($node2)
wait_ready "$TF_NODE2_PORT"
haproxy -f conf/haproxy.cfg -db > target/cluster-haproxy.log 2>&1 &
pids+=($!)
wait_ready "$TF_LB_PORT"
echo "Two nodes ($TF_NODE1_PORT, $TF_NODE2_PORT) behind HAProxy on http://localhost:$TF_LB_PORT" >&2

scripts/smoke.sh --url "http://localhost:$TF_LB_PORT"

if [ "$load_seconds" -gt 0 ]; then
  url="http://127.0.0.1:$TF_LB_PORT/api/v3/features/tenant"
  db=postgresql://postgres@localhost:5544/postgres
  run_tool org.tenantfeatures.tools.loadgen.LoadMain -q --seed 20x50 -n 1 --db "$db" -H "Authorization: Bearer scraper_sky_2024" "$url" > /dev/null
  ( sleep $((load_seconds / 3)); echo "cluster: stopping node 2 (SIGTERM) under load" >&2; kill -TERM "$node2" ) &
  run_tool org.tenantfeatures.tools.loadgen.LoadMain -q -z "${load_seconds}s" -c 32 --tenants 50 --verify --writes 20 \
    --max-stale-ms 1100 --db "$db" -H "Authorization: Bearer scraper_sky_2024" "$url"
fi

if [ "$coherence_seconds" -gt 0 ]; then
  db=postgresql://postgres@localhost:5544/postgres
  run_tool org.tenantfeatures.tools.loadgen.LoadMain -q --seed 50x200 -n 1 --db "$db" -H "Authorization: Bearer scraper_sky_2024" \
    "http://127.0.0.1:$TF_NODE1_PORT/api/v3/features/tenant" > /dev/null
  # One verified session through HAProxy, which alternates the nodes request by request: two
  # sessions, one per node, would each flip overrides the other's history does not know.
  both_nodes() {
    run_tool org.tenantfeatures.tools.loadgen.LoadMain -q -z "${coherence_seconds}s" -c 32 --tenants 200 --verify --writes 50 \
      --max-stale-ms 100 --db "$db" -H "Authorization: Bearer scraper_sky_2024" "http://127.0.0.1:$TF_LB_PORT/api/v3/features/tenant"
  }
  echo "cluster: 50 writes a second, both nodes read, answers at most 100 ms behind" >&2
  both_nodes
  if command -v psql > /dev/null; then
    echo "cluster: the same while both change listeners are killed every 3 s" >&2
    ( while sleep 3; do
        psql -qAt "$db" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE '%-listener'" \
          | sed 's/^/cluster: listeners killed: /' >&2
      done ) &
    killer=$!
    both_nodes
    kill "$killer"
  else
    echo "cluster: psql not found, the listener-kill run is skipped" >&2
  fi
fi

if [ "$release_seconds" -gt 0 ]; then
  db=postgresql://postgres@localhost:5544/postgres
  auth="Authorization: Bearer scraper_sky_2024"
  node_url() { echo "http://127.0.0.1:$1/api/v3/features/tenant"; }
  echo "cluster: seeding 50 flags x $release_tenants tenants, load_flag_000 rolled out to 10 %" >&2
  run_tool org.tenantfeatures.tools.loadgen.LoadMain -q --seed "50x$release_tenants" -n 1 --db "$db" -H "$auth" \
    "$(node_url "$TF_NODE1_PORT")" > /dev/null
  curl -fsS -X PUT -H "$auth" -H 'Content-Type: application/json' -d '{"rollout": {"percentage": 10}}' \
    "http://127.0.0.1:$TF_LB_PORT/api/v3/flags/load_flag_000/targeting" > /dev/null
  metrics() { # $1: port; the counters this run compares, before and after
    curl -s -H "$auth" "http://127.0.0.1:$1/metrics" | awk '
      /^cache_gets_total.*tenant_maps.*result="miss"/ {m += $NF}
      /^cache_size.*tenant_maps/ {c += $NF}
      /^tenant_features_catalogue_reads_total/ {r += $NF}
      /^tenant_features_cache_reevaluations_total/ {e += $NF}
      END {printf "tenant_reads=%d cached=%d catalogue_reads=%d reevaluations=%d\n", m, c, r, e}'
  }
  cached_on() { metrics "$1" | sed -E 's/.*cached=([0-9]+).*/\1/'; }
  # Every tenant read once from each node, until both caches hold them all: the seed's own change
  # announcements may still be on their way and drop some maps the first pass read.
  for pass in 1 2 3 4 5; do
    for port in "$TF_NODE1_PORT" "$TF_NODE2_PORT"; do
      echo "cluster: every tenant read once from the node on $port (pass $pass)" >&2
      run_tool org.tenantfeatures.tools.loadgen.LoadMain -q --each --tenants "$release_tenants" -c 16 --db "$db" -H "$auth" \
        "$(node_url "$port")" >&2
    done
    [ "$(cached_on "$TF_NODE1_PORT")" -ge "$release_tenants" ] && [ "$(cached_on "$TF_NODE2_PORT")" -ge "$release_tenants" ] && break
  done
  before1=$(metrics "$TF_NODE1_PORT"); before2=$(metrics "$TF_NODE2_PORT")
  echo "cluster: verified load through HAProxy for ${release_seconds} s, answers at most 100 ms behind;" \
    "load_flag_000 raised to 20 % halfway" >&2
  run_tool org.tenantfeatures.tools.loadgen.LoadMain -q -z "${release_seconds}s" -c 32 --tenants "$release_tenants" --verify \
    --max-stale-ms 100 --rollout "load_flag_000:20@$((release_seconds / 2))" \
    --probe "http://127.0.0.1:$TF_NODE1_PORT" --probe "http://127.0.0.1:$TF_NODE2_PORT" --db "$db" -H "$auth" \
    "http://127.0.0.1:$TF_LB_PORT/api/v3/features/tenant"
  echo "node 1 before: $before1"; echo "node 1 after:  $(metrics "$TF_NODE1_PORT")"
  echo "node 2 before: $before2"; echo "node 2 after:  $(metrics "$TF_NODE2_PORT")"
fi
