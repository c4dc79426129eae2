#!/usr/bin/env bash
# Verifying load generator: hey/wrk-style flags, and --verify to check every answer against the
# database. `scripts/load.sh --help` lists the options. Builds the jar when it is missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_tool org.tenantfeatures.tools.loadgen.LoadMain "$@"
