#!/usr/bin/env bash
# The incident analysis's three SQL inspections for a tenant, against the service's database
# (same configuration as the service; no psql needed). `scripts/db-inspect.sh --help`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_tool org.tenantfeatures.tools.DbInspect "$@"
