# Shared by the scripts: sourced, not run. Puts the shell at the repository root.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TF_JAR=target/tenant-features.jar

# Builds the jar when it is missing or older than the sources.
ensure_jar() {
  if [ ! -f "$TF_JAR" ] || [ -n "$(find pom.xml conf src/main docs/openapi.yaml -newer "$TF_JAR" -print -quit)" ]; then
    echo "Building $TF_JAR ..." >&2
    mvn -q -B -DskipTests package >&2
  fi
}

# The service's JVM options, unless JAVA_OPTS is set (README, "Memory"): the serial collector and a
# small starting heap keep a node at about 150 MB resident under load (G1's own structures made it
# 315-330 MB); the heap still grows to the JVM's default maximum as the cache fills.
# shellcheck disable=SC2034 # used by the scripts that source this file
SERVICE_JAVA_OPTS="${JAVA_OPTS--XX:+UseSerialGC -Xms64m -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k}"

# Runs a tool class of the jar with quiet logs and the dev overlay unless TF_CONFIG says otherwise,
# so the tools read the same configuration as scripts/run.sh.
run_tool() {
  ensure_jar
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options on purpose
  TF_CONFIG="${TF_CONFIG-conf/dev.json}" java ${JAVA_OPTS:-} -Dlogback.configurationFile=conf/logback-quiet.xml \
    -cp "$TF_JAR" "$@"
}

# A port nothing listens on: other processes share the machine.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
