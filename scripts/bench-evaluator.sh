#!/usr/bin/env bash
# What evaluating one tenant's map costs: JMH over evaluation.Evaluator (50 flags, 20 segment
# rules, 30 rollouts, 5 overrides; see EvaluatorBenchmark). Prints JMH's table; extra arguments go
# to JMH (e.g. -prof gc for the allocation per map).
#   scripts/bench-evaluator.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main EvaluatorBenchmark "$@"
