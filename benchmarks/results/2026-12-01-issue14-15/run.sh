#!/usr/bin/env bash
# The quiet-machine runs behind the README's generated table (issues 14 and 15): each bench writes
# its own JSON (benchmarks/results/<bench>.json, every run kept under benchmarks/results/runs/);
# this folder keeps their console output, and the first shutdowns of five demo runs.
set -uo pipefail
cd "$(dirname "$0")/../../.."
OUT=benchmarks/results/2026-12-01-issue14-15
{ date -u; nproc; uname -r; df -h /var/tmp | tail -1; cat /proc/loadavg; } > "$OUT/machine.txt"
./edgefn bench buffer    > "$OUT/buffer-1.txt"    2> "$OUT/buffer-1.err"
./edgefn bench loop      > "$OUT/loop-1.txt"      2> "$OUT/loop-1.err"
./edgefn bench footprint > "$OUT/footprint-1.txt" 2> "$OUT/footprint-1.err"
./edgefn bench buffer    > "$OUT/buffer-2.txt"    2> "$OUT/buffer-2.err"
./edgefn bench loop      > "$OUT/loop-2.txt"      2> "$OUT/loop-2.err"
./edgefn bench routes    > "$OUT/routes-1.txt"    2> "$OUT/routes-1.err"
for i in 1 2 3 4 5; do
  ./edgefn demo --duration 9 --json > "$OUT/demo-$i.json" 2> "$OUT/demo-$i.err"
done
cat /proc/loadavg >> "$OUT/machine.txt"
