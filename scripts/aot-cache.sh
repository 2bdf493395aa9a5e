#!/usr/bin/env bash
# Records the JDK's AOT cache for edgefn's runtime jar (JDK 25 or newer), which ./edgefn then
# uses: a faster start, and the safety path's classes already loaded and linked.
#   scripts/aot-cache.sh [JAR [CACHE]]
# Default: app/target/edgefn-all.jar and app/target/edgefn-all.aot beside it. Record it again
# after every build or JDK update; a stale cache is left out by the launcher (never breaks a start).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(dirname "$HERE")"
. "$HERE/lib/find-java.sh"
. "$HERE/lib/aot-cache.sh"
edgefn_find_java
JAR="${1:-$ROOT/app/target/edgefn-all.jar}"
CACHE="${2:-${JAR%.jar}.aot}"
[ -f "$JAR" ] || { echo "edgefn: no runtime jar at $JAR: build it first (./edgefn --help builds it)" >&2; exit 1; }
edgefn_record_aot_cache "$JAR" "$CACHE"
