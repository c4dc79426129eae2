#!/usr/bin/env bash
# The incident analysis's connection monitoring, refreshing: pg_stat_activity of the service's
# database by state and by application. `scripts/pg-activity.sh --help`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_tool org.tenantfeatures.tools.PgActivity "$@"
