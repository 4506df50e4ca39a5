#!/usr/bin/env bash
# Builds Confab with the bench profile and runs every benchmark workload; prints the table and
# writes it into docs/benchmarks.md (with --smoke: tiny counts, < 60 s, writes
# target/bench/benchmarks-smoke.md instead). Extra arguments go to Maven, e.g. -Dbench.jfr=true
# (JFR recording of every host into target/bench/*.jfr) or -Dbench.only=fanout,latency.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
# 10,000 members need 10,000+ descriptors in the host and as many in the load process
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
args=()
for a in "$@"; do
  if [[ "$a" == "--smoke" ]]; then args+=("-Dbench.smoke=true"); else args+=("$a"); fi
done
exec mvn -B -q -Pbench -DskipTests "${args[@]}" package exec:exec@bench
