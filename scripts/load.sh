#!/usr/bin/env bash
# Verifying load generator: hey/wrk-style flags, and --verify to check every answer against the
# database. `scripts/load.sh --help` lists the options. Builds the jar when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/tenant-features.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  echo "Building $jar ..." >&2
  mvn -q -B -DskipTests package
fi
# Quiet logs: the report is what this prints.
exec java ${JAVA_OPTS:-} -Dlogback.configurationFile=conf/logback-quiet.xml -cp "$jar" org.tenantfeatures.loadgen.LoadMain "$@"
