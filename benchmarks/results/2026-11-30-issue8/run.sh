#!/usr/bin/env bash
# Issue 8's before/after comparison: three runs each of the route JMH benchmarks and of
# `bench loop` (1,000 trials, the CPU burner on), alternating before (d7c820a) and after, on one
# quiet machine. Usage: run.sh BEFORE_JAR AFTER_JAR OUTDIR
set -u
BEFORE=$1 AFTER=$2 OUT=$3
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="--enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false --sun-misc-unsafe-memory-access=allow"
{ date -u; uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; free -g | head -2; $J -version 2>&1 | head -1; } > "$OUT/machine.txt"
for i in 1 2 3; do
  for side in before after; do
    jar=$BEFORE; [ $side = after ] && jar=$AFTER
    $J $FLAGS -jar "$jar" 'Route(Condition|Table)Benchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$OUT/jmh-$side-$i.json" > "$OUT/jmh-$side-$i.txt" 2>&1
  done
  for side in before after; do
    jar=$BEFORE; [ $side = after ] && jar=$AFTER
    $J $FLAGS -cp "$jar" io.edgefn.benchmarks.BenchCommand loop > "$OUT/loop-$side-$i.txt" 2> "$OUT/loop-$side-$i.err"
  done
done
date -u >> "$OUT/machine.txt"
echo finished >> "$OUT/machine.txt"
