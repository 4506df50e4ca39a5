#!/usr/bin/env bash
# Start-up to first frame of the installed app: runs `confab --smoke` N times under Xvfb and
# reports medians of: exec-to-first-frame-ms (this script's clock, from exec of the launcher to the
# moment the app prints "first-frame" in the main window's first pulse: the figure a user feels,
# launcher and JVM creation included), first-frame-ms (the app's own, JVM start to that pulse) and
# wall-ms (exec to exit).
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
export LC_ALL=C # EPOCHREALTIME with a dot

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

# prints "exec-to-first-frame-ms first-frame-ms wall-ms" for one run
run_once() {
  local t0 t1="" t2 line ffm="" out=""
  t0=$EPOCHREALTIME
  while IFS= read -r line; do
    out+="$line"$'\n'
    case "$line" in
      first-frame) t1=$EPOCHREALTIME ;;
      first-frame-ms=*) ffm=${line#first-frame-ms=} ;;
    esac
  done < <(timeout 60 "$CMD" --smoke 2>&1; echo "exit-status=$?")
  t2=$EPOCHREALTIME
  if ! grep -q '^exit-status=0$' <<<"$out" || [[ -z "$t1" || ! "$ffm" =~ ^[0-9]+$ ]]; then
    echo "run failed (no first-frame / first-frame-ms=N, or a non-zero exit):" >&2
    echo "$out" >&2
    return 1
  fi
  echo "$(( (${t1/./} - ${t0/./}) / 1000 )) $ffm $(( (${t2/./} - ${t0/./}) / 1000 ))"
}

if ((WARM)); then
  run_once >/dev/null
fi

execs=()
ffms=()
walls=()
for ((i = 1; i <= RUNS; i++)); do
  if ((DROP)); then
    sync
    echo 3 > /proc/sys/vm/drop_caches 2>/dev/null \
      || { echo "cannot drop caches (need root, and not in a restricted container)" >&2; exit 2; }
  fi
  read -r exec ffm wall < <(run_once)
  printf 'run %2d: exec-to-first-frame-ms=%-5s first-frame-ms=%-5s wall-ms=%s\n' "$i" "$exec" "$ffm" "$wall"
  execs+=("$exec")
  ffms+=("$ffm")
  walls+=("$wall")
done

echo "command: $CMD --smoke   runs: $RUNS   page cache: $( ((DROP)) && echo dropped || echo warm )"
echo "median exec-to-first-frame-ms=$(printf '%s\n' "${execs[@]}" | median)   (exec of the launcher to the first-frame line, timed by this script)"
echo "median first-frame-ms=$(printf '%s\n' "${ffms[@]}" | median)   (the app's own: JVM start to the first pulse)"
echo "median wall-ms=$(printf '%s\n' "${walls[@]}" | median)   (exec to exit, includes shutdown)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
