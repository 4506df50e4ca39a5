#!/usr/bin/env bash
# Regenerates the PNGs in this folder from the real UI (ScreenshotTour), under a virtual display.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
xvfb-run -a -s "-screen 0 1920x1200x24" mvn -B -q test -Dtest='ScreenshotTour*' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dconfab.screenshots=true -Dconfab.screenshots.dir="$PWD/docs/screenshots"
ls -l docs/screenshots/*.png
