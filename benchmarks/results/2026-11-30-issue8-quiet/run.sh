#!/usr/bin/env bash
# Issue 8's loop comparison again on a quiet machine (no other build running): three runs each
# of `bench loop` (1,000 trials, the CPU burner on), alternating before (d7c820a) and after
# (f671d65, the end of issue 8). Usage: run.sh BEFORE_JAR AFTER_JAR OUTDIR
set -u
BEFORE=$1 AFTER=$2 OUT=$3
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="--enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false --sun-misc-unsafe-memory-access=allow"
{ date -u; uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; uptime; $J -version 2>&1 | head -1; } > "$OUT/machine.txt"
for i in 1 2 3; do
  for side in before after; do
    jar=$BEFORE; [ $side = after ] && jar=$AFTER
    $J $FLAGS -cp "$jar" io.edgefn.benchmarks.BenchCommand loop > "$OUT/loop-$side-$i.txt" 2> "$OUT/loop-$side-$i.err"
  done
done
{ date -u; uptime; echo finished; } >> "$OUT/machine.txt"
