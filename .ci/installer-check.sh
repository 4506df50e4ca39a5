#!/usr/bin/env bash
# Installer check: build the .deb, install it, use the INSTALLED app (CLI, headless host, two
# terminal clients, the GUI under Xvfb), then remove/purge it and check nothing is left behind.
#
# Runs as root on Debian (12 "bookworm" or newer) with no display; called from .ci/run.
# Needs: JDK 25 (JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64), maven, fakeroot, binutils,
# xvfb (xvfb-run), and apt access for the package's own dependencies (GTK 3, xdg-utils...).
# Takes ~4-6 minutes on 2 cores, most of it compressing the .deb and .rpm.
#
# Env: SKIP_BUILD=1 reuses target/installer/*.deb; KEEP_INSTALLED=1 skips the removal checks.
set -euo pipefail

cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

WORK="$(mktemp -d /tmp/confab-installer-check.XXXXXX)"
HOST_PID=""
CLIENT_PIDS=()
cleanup() {
  local pid
  for pid in "${CLIENT_PIDS[@]}" $HOST_PID; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n=== installer-check: %s\n' "$*"; }
fail() { printf 'installer-check: FAIL: %s\n' "$*" >&2; exit 1; }
# wait_for FILE REGEX SECONDS: poll (0.2 s) until a line of FILE matches REGEX
wait_for() {
  local file=$1 regex=$2 secs=$3 i
  for ((i = 0; i < secs * 5; i++)); do
    grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# the project's <version> is the first <version> element of pom.xml (no parent pom)
VERSION="$(grep -m1 -oP '(?<=<version>)[^<]+' pom.xml)"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+ ]] || fail "could not read the project version from pom.xml (got '$VERSION')"

# ---------------------------------------------------------------------------------------------
step "build the installers (mvn -Pinstaller -DskipTests package), version $VERSION"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  for tool in fakeroot objcopy dpkg-deb xvfb-run; do
    command -v "$tool" >/dev/null || fail "$tool missing: apt-get install -y fakeroot binutils xvfb"
  done
  start=$(date +%s)
  mvn -B -q -Pinstaller -DskipTests package
  echo "build took $(( $(date +%s) - start )) s"
fi
DEB="target/installer/confab_${VERSION}_amd64.deb"
[[ -f "$DEB" ]] || fail "$DEB was not built"
ls -l target/installer/
DEB_MB=$(( $(stat -c %s "$DEB") / 1048576 ))
echo "deb size: ${DEB_MB} MB"
# 45 MB until the emoji image set came in (issue 15, docs/emoji.md): its 3,786 Twemoji PNGs are
# ~11.5 MB that xz cannot shrink further (PNG is compressed already)
(( DEB_MB <= 64 )) || fail ".deb is ${DEB_MB} MB, budget is 64 MB"

# ---------------------------------------------------------------------------------------------
step "install with dpkg -i"
if dpkg -s confab >/dev/null 2>&1; then
  echo "an older confab is installed; purging it first"
  dpkg --purge confab
fi
if ! dpkg -i "$DEB"; then
  # dependencies (GTK 3, xdg-utils, ...) missing: let apt fetch them and finish the configuration
  apt-get install -y -f --no-install-recommends
fi
dpkg -s confab | grep -q '^Status: install ok installed' || fail "confab is not fully installed"
[[ -x /opt/confab/bin/confab ]] || fail "/opt/confab/bin/confab missing"
[[ "$(command -v confab)" == /usr/bin/confab ]] || fail "confab is not on PATH as /usr/bin/confab"
[[ -f /usr/share/applications/confab-confab.desktop ]] || fail "desktop entry not installed"
grep -q '^MimeType=x-scheme-handler/confab;' /usr/share/applications/confab-confab.desktop \
  || fail "desktop entry does not claim confab:// links"
[[ -f /usr/share/metainfo/org.confab.Confab.metainfo.xml ]] || fail "AppStream metainfo not installed"
echo "installed size: $(du -sh /opt/confab | cut -f1)"
# start-up: the JVM's AOT cache trained at build time (BuildInstaller.trainAotCache) must ship
[[ -s /opt/confab/lib/app/confab.aot ]] || fail "no AOT cache in the package (/opt/confab/lib/app/confab.aot): the training run failed, see the build log"
grep -q -- '-XX:AOTCache=$APPDIR/confab.aot' /opt/confab/lib/app/confab.cfg || fail "the launcher .cfg does not use the AOT cache"
# the launcher is BuildInstaller's shell script (jpackage's native one queried dpkg/rpm at every start)
head -1 /opt/confab/bin/confab | grep -q '^#!/bin/sh' || fail "/opt/confab/bin/confab is not the shell launcher"
grep -q -- '-XX:AOTCache=$APPDIR/confab.aot' /opt/confab/bin/confab || fail "the shell launcher does not use the AOT cache"

# ---------------------------------------------------------------------------------------------
step "confab --version prints the pom version"
out="$(timeout 60 confab --version)"
echo "$out"
grep -q "Confab $VERSION" <<<"$out" || fail "--version printed '$out', expected 'Confab $VERSION'"
# JVM log lines ([warning][aot], [error][cds], ...) go to stdout and would corrupt `join --json`
grep -q '^\[[0-9.]*s\]\[' <<<"$out" && fail "the JVM logged to stdout: $out"

# ---------------------------------------------------------------------------------------------
step "installed headless host + two installed terminal clients chat over loopback"
cd "$WORK"
# Each process reads stdin from a FIFO whose only writer is this script (fds 7, 8, 9), so nobody
# sees EOF until we close our end (EOF on stdin makes `confab join` leave the room). Opening a
# FIFO blocks until both ends are open: start the reader in the background, then open the writer.
mkfifo host.in a.in b.in
confab host --port 0 --name CI <host.in >host.out 2>host.err &
HOST_PID=$!
exec 7>host.in
wait_for host.out 'port [0-9]+' 60 || { cat host.out host.err >&2; fail "host did not report its port within 60 s"; }
PORT="$(grep -Eo 'port [0-9]+' host.out | head -1 | grep -Eo '[0-9]+')"
echo "host: $(head -1 host.out)  -> port $PORT"
# the room is encrypted: join with the fingerprint from the host's invite link (no TOFU prompt)
wait_for host.out 'Invite link: confab://' 30 || { cat host.out host.err >&2; fail "host printed no invite link"; }
FP="$(grep -Eo '\?fp=[A-Za-z0-9_-]+' host.out | head -1 | cut -d= -f2)"
[[ -n $FP ]] || fail "no fingerprint in the host's invite link"

confab join "127.0.0.1:$PORT" --fp "$FP" --nick bob --json <b.in >b.out 2>b.err &
CLIENT_PIDS+=($!)
exec 9>b.in
wait_for b.out '"type":"welcome"' 60 || { cat b.out b.err >&2; fail "bob was not welcomed within 60 s"; }
confab join "confab://127.0.0.1:$PORT/?fp=$FP" --nick alice --json <a.in >a.out 2>a.err &
CLIENT_PIDS+=($!)
exec 8>a.in
# both are in once bob has seen alice join
wait_for b.out '"type":"joined".*"nick":"alice"' 60 \
  || { cat a.out a.err b.out b.err >&2; fail "bob did not see alice join within 60 s"; }
MSG="hello from the installed package $$"
echo "$MSG" >&8
wait_for b.out "\"text\":\"$MSG\"" 30 \
  || { cat a.out a.err b.out b.err >&2; fail "bob did not receive alice's line within 30 s"; }
echo "bob received: $(grep -F "$MSG" b.out | head -1)"
# orderly end: the clients' stdin closes (EOF = leave the room), then the host gets SIGTERM
exec 8>&- 9>&-
for pid in "${CLIENT_PIDS[@]}"; do
  timeout 30 tail --pid="$pid" -f /dev/null || fail "a join client did not exit within 30 s of EOF on stdin"
done
wait_for b.out '"type":"left".*"nick":"alice"|"type":"disconnected"' 5 || true
kill -TERM "$HOST_PID"
host_rc=0
timeout 30 tail --pid="$HOST_PID" -f /dev/null || fail "host did not stop within 30 s of SIGTERM"
wait "$HOST_PID" || host_rc=$?
HOST_PID=""
exec 7>&-
[[ $host_rc == 0 || $host_rc == 143 ]] || { cat host.err >&2; fail "host exited with $host_rc after SIGTERM"; }
cd - >/dev/null

# ---------------------------------------------------------------------------------------------
step "GUI: confab --smoke under Xvfb opens the main window and exits 0"
smoke_rc=0
timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" confab --smoke >"$WORK/smoke.out" 2>&1 || smoke_rc=$?
cat "$WORK/smoke.out"
[[ $smoke_rc == 0 ]] || fail "confab --smoke exited with $smoke_rc (124 = timed out after 120 s)"
grep -Eq 'first-frame-ms=[0-9]+' "$WORK/smoke.out" || fail "--smoke did not print first-frame-ms=N"
grep -q '^\[[0-9.]*s\]\[' "$WORK/smoke.out" && fail "the JVM logged to stdout during --smoke (AOT cache or CDS problem?)"
grep -q 'Unsupported JavaFX configuration' "$WORK/smoke.out" \
  && fail "JavaFX was loaded from the class path, not from the runtime's modules"

if [[ "${KEEP_INSTALLED:-}" == 1 ]]; then
  step "KEEP_INSTALLED=1: leaving confab installed"; exit 0
fi

# ---------------------------------------------------------------------------------------------
step "remove and purge; nothing may be left behind"
dpkg -r confab
dpkg --purge confab
leftovers=()
for p in /opt/confab /usr/bin/confab /usr/share/applications/confab-confab.desktop \
         /usr/share/metainfo/org.confab.Confab.metainfo.xml; do
  [[ -e "$p" || -L "$p" ]] && leftovers+=("$p")
done
(( ${#leftovers[@]} == 0 )) || fail "left behind after purge: ${leftovers[*]}"
if dpkg -l confab 2>/dev/null | grep -q '^[ih]i'; then
  fail "dpkg -l still lists confab as installed"
fi
dpkg -l confab 2>&1 | tail -1 || true

step "OK: built, installed, ran (CLI, host, join, GUI) and removed confab $VERSION"
