#!/usr/bin/env bash
# Start-up to first frame of the installed app: runs `confab --smoke` N times under Xvfb and
# reports the median of the first-frame-ms=N it prints (the app's own measurement, from JVM start
# to the first frame of the main window) and of the wall-clock time from exec to exit.
#
#   packaging/measure-startup.sh [-n RUNS] [-c COMMAND] [--drop-caches] [--warm]
#
#   -n RUNS         runs (default 7); the median is reported
#   -c COMMAND      launcher to measure (default: confab on PATH, i.e. the installed package;
#                   e.g. target/installer/confab/bin/confab for the app image)
#   --drop-caches   before each run, drop the page cache (root only: echo 3 > /proc/sys/vm/drop_caches)
#                   = a real cold start, files read from disk; without it the OS cache is warm
#   --warm          one unmeasured run first (fills the page cache and any CDS archive the
#                   launcher creates on first use)
#
# Needs: xvfb-run. One Xvfb server is started for all runs (its own start-up is not measured).
set -euo pipefail

RUNS=7
CMD=confab
DROP=0
WARM=0
while (($#)); do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    -c) CMD=$2; shift 2 ;;
    --drop-caches) DROP=1; shift ;;
    --warm) WARM=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
command -v "$CMD" >/dev/null || { echo "not found: $CMD" >&2; exit 2; }

if [[ -z "${MEASURE_STARTUP_IN_XVFB:-}" ]]; then
  # re-run this script inside one Xvfb session
  export MEASURE_STARTUP_IN_XVFB=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" -n "$RUNS" -c "$CMD" \
    $( ((DROP)) && echo --drop-caches ) $( ((WARM)) && echo --warm )
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"} else if (NR%2) {print a[(NR+1)/2]} else {print int((a[NR/2]+a[NR/2+1])/2)}}'; }

run_once() {
  local out start end rc=0
  start=$(date +%s%N)
  out="$(timeout 60 "$CMD" --smoke 2>&1)" || rc=$?
  end=$(date +%s%N)
  if ((rc != 0)); then
    echo "run failed (exit $rc):" >&2
    echo "$out" >&2
    return 1
  fi
  local ffm
  ffm="$(grep -Eo 'first-frame-ms=[0-9]+' <<<"$out" | head -1 | cut -d= -f2)"
  [[ -n "$ffm" ]] || { echo "no first-frame-ms=N in output:" >&2; echo "$out" >&2; return 1; }
  echo "$ffm $(( (end - start) / 1000000 ))"
}

if ((WARM)); then
  run_once >/dev/null
fi

ffms=()
walls=()
for ((i = 1; i <= RUNS; i++)); do
  if ((DROP)); then
    sync
    echo 3 > /proc/sys/vm/drop_caches 2>/dev/null \
      || { echo "cannot drop caches (need root, and not in a restricted container)" >&2; exit 2; }
  fi
  read -r ffm wall < <(run_once)
  printf 'run %2d: first-frame-ms=%-5s wall-ms=%s\n' "$i" "$ffm" "$wall"
  ffms+=("$ffm")
  walls+=("$wall")
done

echo "command: $CMD --smoke   runs: $RUNS   page cache: $( ((DROP)) && echo dropped || echo warm )"
echo "median first-frame-ms=$(printf '%s\n' "${ffms[@]}" | median)"
echo "median wall-ms=$(printf '%s\n' "${walls[@]}" | median)   (exec to exit, includes shutdown)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
