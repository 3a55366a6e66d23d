#!/usr/bin/env bash
# Runs one of Baton's benchmarks and prints its RESULT lines:
#   scripts/bench.sh NAME [--quick]        (NAME: ifmap, ...; --quick finishes within a minute)
# Peers are measured side by side when installed: IROND_HOME names a built irond (docs/benchmarks.md);
# an unset IROND_HOME is reported as RESULT peer.irond=absent.
set -euo pipefail
cd "$(dirname "$0")/.."

java_ok() { [ -x "$1/bin/java" ] && "$1/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; }
if [ -z "${JAVA_HOME:-}" ] || ! java_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if java_ok "$candidate"; then JAVA_HOME="$candidate"; break; fi
  done
  [ -n "$JAVA_HOME" ] || { echo "bench: no JDK 21 or newer found (set JAVA_HOME)" >&2; exit 2; }
  export JAVA_HOME
fi

# baton-cli too: the ifmap and memory benchmarks run the shipped `baton federation` (baton-cli/target/baton.jar).
./mvnw -B -q -pl baton-bench,baton-cli -am package -DskipTests >&2
jar=$(ls baton-bench/target/baton-bench-*.jar | head -n 1)
exec "$JAVA_HOME/bin/java" -cp "$jar:baton-bench/target/lib/*" dev.baton.bench.Bench "$@"
