#!/usr/bin/env bash
# The incident analysis's curl against a running service, judged: is the answer the tenant's
# complete map, an explicit error, or the incident's silent {}?
set -uo pipefail

usage() {
  cat <<'TEXT'
Usage: scripts/smoke.sh [--url BASE_URL] [--token TOKEN] [--tenant TENANT_ID]

Sends the incident analysis's exact request (GET /api/v3/features/tenant with its query
parameters, a bearer token and X-Tenant-ID) and prints status, headers and body.
Defaults come from the service's configuration (conf/dev.json unless TF_CONFIG says otherwise):
the HTTP port, the first configured token, and the incident's tenant.

Exit status:
  0  200 with a JSON object of flags, every value true or false
  1  200 but an empty or malformed map: the incident's symptom
  2  an error answer (4xx/5xx), printed as its problem body
  3  no answer at all (connection refused, timeout)
TEXT
}

source "$(dirname "$0")/lib.sh"
url="" token="" tenant="550e8400-e29b-41d4-a716-446655440000"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --tenant) tenant=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "smoke: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$url" ] || url=$(run_tool org.tenantfeatures.tools.ConfigTool base-url) || exit 3
[ -n "$token" ] || token=$(run_tool org.tenantfeatures.tools.ConfigTool token) || exit 3
command -v curl > /dev/null || { echo "smoke: curl is needed (apt-get install curl)" >&2; exit 3; }

out=$(mktemp) headers=$(mktemp)
trap 'rm -f "$out" "$headers"' EXIT
status=$(curl -s -m 10 -o "$out" -D "$headers" -w '%{http_code}' \
  "$url/api/v3/features/tenant?raw_sql=true&no_prepare=true&statement_cache_size=0" \
  -H "Authorization: Bearer $token" -H "X-Tenant-ID: $tenant")
if [ "$status" = "000" ]; then
  echo "smoke: no answer from $url" >&2
  exit 3
fi
cat "$headers"; cat "$out"; echo
if [ "$status" != 200 ]; then
  echo "smoke: error answer $status" >&2
  exit 2
fi
# A complete map is a non-empty JSON object whose values are all true or false (the service
# writes it compactly, so a pattern suffices and no JSON tool is needed).
if grep -Eq '^\{"[^"]+":(true|false)(,"[^"]+":(true|false))*\}$' "$out"; then
  echo "smoke: OK, $(grep -o '":true' "$out" | wc -l) of $(grep -o '":\(true\|false\)' "$out" | wc -l) flags on" >&2
  exit 0
fi
echo "smoke: 200 with an empty or malformed map: the incident's symptom" >&2
exit 1
