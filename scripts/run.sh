#!/usr/bin/env bash
# Runs tenant-features for development: builds the jar when it is missing or older than the
# sources, then starts it with conf/dev.json over the defaults (demo data, the dev token).
# With no TF_DB_URI it starts an embedded PostgreSQL whose data stays in data/postgres.
# Any TF_* variable overrides a configuration key; TF_CONFIG picks another overlay file.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_jar
export TF_CONFIG="${TF_CONFIG-conf/dev.json}"
# shellcheck disable=SC2086 # the options are a list on purpose
exec java $SERVICE_JAVA_OPTS -jar "$TF_JAR" "$@"
