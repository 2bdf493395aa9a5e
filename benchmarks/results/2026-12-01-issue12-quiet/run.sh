#!/usr/bin/env bash
# bench deploy, full (50 gateways) twice, on a quiet machine (nothing else building), from the repository root.
set -euo pipefail
OUT="$(dirname "$0")"
{ date -u; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo; free -m | sed -n 2p;
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -version 2>&1 | head -1; git rev-parse --short HEAD; uptime; } > "$OUT/machine.txt" || true
for run in 1 2; do EDGEFN_LOG_LEVEL=WARN ./edgefn bench deploy > "$OUT/deploy-$run.txt" 2> "$OUT/deploy-$run.err"; uptime >> "$OUT/machine.txt"; done
uptime >> "$OUT/machine.txt"
