#!/usr/bin/env bash
# Session store benchmark: Baton's tiered store against Spring Session JDBC on the same PostgreSQL,
# then the cleanup task on many expired sessions among live ones. Prints RESULT name=value lines.
#   scripts/bench-store.sh [--quick] [--threads N]
# PostgreSQL from BATON_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
./mvnw -B -q -pl baton-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "baton-bench/target/classes:$(cat baton-bench/target/classpath.txt)" \
  dev.baton.bench.store.SessionStoreBench "$@"
