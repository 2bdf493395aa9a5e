#!/usr/bin/env bash
# bench deploy, full (50 gateways) and --quick (20), from the repository root. These results were
# taken while another helper's build shared the 2-core machine (not quiet): read them as upper bounds.
set -euo pipefail
OUT="$(dirname "$0")"
{ date -u; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo; free -m | sed -n 2p;
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -version 2>&1 | head -1; git rev-parse --short HEAD; uptime; } > "$OUT/machine.txt" || true
EDGEFN_LOG_LEVEL=WARN ./edgefn bench deploy > "$OUT/deploy-full.txt" 2> "$OUT/deploy-full.err"
EDGEFN_LOG_LEVEL=WARN ./edgefn bench deploy --quick > "$OUT/deploy-quick.txt" 2> "$OUT/deploy-quick.err"
uptime >> "$OUT/machine.txt"
