#!/usr/bin/env bash
# The shaded jar as a launcher, for packaging/measure-startup.sh -c bench/confab-jar.sh
# (start-up of `java -jar target/confab.jar`, no installer needed).
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
exec "$JAVA_HOME/bin/java" -jar target/confab.jar "$@"
