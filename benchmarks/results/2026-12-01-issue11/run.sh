#!/usr/bin/env bash
# bench invoke, twice, on a quiet machine (nothing else building), from the repository root.
# A pass-through Java function through a host against a direct Java call of the same copy; a
# JavaScript pass-through beyond the Java one; activation of a Java and a JavaScript package.
set -euo pipefail
OUT="$(dirname "$0")"
{ date -u; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo; free -m | sed -n 2p;
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -version 2>&1 | head -1; git rev-parse --short HEAD; uptime; } > "$OUT/machine.txt" || true
for run in 1 2; do
  ./edgefn bench invoke > "$OUT/invoke-$run.txt" 2> "$OUT/invoke-$run.err"
  uptime >> "$OUT/machine.txt"
done
