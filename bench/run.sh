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
# the file workload's scp rows (docs/benchmarks.md, section 6): OpenSSH from Debian, run by the harness as a
# private sshd (bench/.../Sshd.java). Installing it must not start the system's sshd: policy-rc.d answers
# 101 (no service starts) during the install, as .ci/run does for avahi; an existing policy-rc.d is kept
if { [[ ! -x /usr/sbin/sshd ]] || ! command -v scp >/dev/null; } && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  policy=""
  [[ -e /usr/sbin/policy-rc.d ]] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy=1; }
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null; } \
    || echo "bench: could not install openssh-server and openssh-client; the scp rows are left out" >&2
  [[ -z "$policy" ]] || rm -f /usr/sbin/policy-rc.d
fi
# issue 18's peers (docs/benchmarks.md, "Peers"): InspIRCd and NATS from Debian, run by the harness on loopback with
# their own config files (bench/.../PeerServer.java); policy-rc.d again keeps the packages' services from starting
if { [[ ! -x /usr/sbin/inspircd ]] || [[ ! -x /usr/sbin/nats-server ]]; } && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  policy=""
  [[ -e /usr/sbin/policy-rc.d ]] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy=1; }
  { apt-get update -qq; apt-get install -y -qq --no-install-recommends inspircd nats-server >/dev/null; } \
    || echo "bench: could not install inspircd and nats-server; their columns are left out" >&2
  [[ -z "$policy" ]] || rm -f /usr/sbin/policy-rc.d
fi
args=()
for a in "$@"; do
  if [[ "$a" == "--smoke" ]]; then args+=("-Dbench.smoke=true"); else args+=("$a"); fi
done
exec mvn -B -q -Pbench -DskipTests "${args[@]}" package exec:exec@bench
