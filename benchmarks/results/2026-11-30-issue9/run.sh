#!/usr/bin/env bash
# bench hub, twice, on a quiet machine (nothing else building), from the repository root.
# (a) 8 Paho publishers -> Mosquitto -> 1 subscriber; (b) the same publishers -> edgefn run
# (edge hub, FROM /messages/* INTO $upstream, durable buffer, upstream link) -> Mosquitto ->
# subscriber; then (b) paced at half its maximum for latency.
set -euo pipefail
OUT="$(dirname "$0")"
{ date -u; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo; free -m | sed -n 2p;
  java -version 2>&1 | head -1; mosquitto -h 2>/dev/null | head -1; uptime; } > "$OUT/machine.txt" || true
for run in 1 2; do
  ./edgefn bench hub > "$OUT/hub-$run.txt" 2> "$OUT/hub-$run.err"
  uptime >> "$OUT/machine.txt"
done
