#!/usr/bin/env bash
# Installs what bindings-mobile/test.sh needs besides cargo: a JDK (17+) and Maven. The Kotlin
# compiler, kotlinx-coroutines, JNA and JUnit are Maven Central artifacts that `mvn` downloads on its
# first run (into ~/.m2). Debian's own `kotlin` package is too old for uniffi's output: not used.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# The versions, first line each. Not `| head -1`: head exits early, the writer may then fail on the
# closed pipe and pipefail turns that into a failed CI run (seen: 1 run in 5).
java -version 2>&1 | sed -n 1p
mvn -v 2>/dev/null | sed -n 1p
