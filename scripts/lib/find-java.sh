# Sourced by ./edgefn and scripts/test: finds a JDK >= 21 and exports JAVA_HOME and JAVA_MAJOR.
# Order: $JAVA_HOME, `java` on PATH, then the newest JDK in the system's JVM folder
# (/usr/lib/jvm on Debian and Ubuntu, /Library/Java/JavaVirtualMachines on macOS).

edgefn_java_major() { # $1 = path to a java binary; prints its major version or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | head -n 1 | sed 's/^1\.//; s/\..*//'
}

edgefn_find_java() {
  local candidates=() c major best="" best_major=0 too_old=""
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  # EDGEFN_JVM_DIRS replaces the system folders searched (tests point it at a folder of their own).
  local dir
  for dir in ${EDGEFN_JVM_DIRS:-/usr/lib/jvm /Library/Java/JavaVirtualMachines}; do
    for c in "$dir"/*/bin/java "$dir"/*/Contents/Home/bin/java; do
      [ -x "$c" ] && candidates+=("$c")
    done
  done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(edgefn_java_major "$c")
    [ -n "$major" ] || continue
    [ "$major" -lt 21 ] && too_old="${too_old}  JDK $major: $c"$'\n'
    # The first candidate that is new enough wins (an explicit JAVA_HOME is respected); the
    # system folder is searched for the newest.
    if [ "$major" -ge 21 ] && [ -z "$best" ]; then best="$c"; best_major=$major; fi
    if [ -n "$best" ] && [ "$major" -gt "$best_major" ] && [[ "$c" == /usr/lib/jvm/* || "$c" == /Library/* ]] \
       && [[ "$best" == /usr/lib/jvm/* || "$best" == /Library/* ]]; then best="$c"; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "edgefn: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
    if [ -n "$too_old" ]; then
      # Without this a build on JDK 17 fails deep in Maven with "release version 21 not supported".
      printf 'edgefn: found only older ones, which cannot compile edgefn (it is Java 21):\n%s' "$too_old" >&2
    fi
    echo "edgefn: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to one." >&2
    return 1
  fi
  JAVA_BIN="$best"
  JAVA_MAJOR="$best_major"
  JAVA_HOME="$(cd "$(dirname "$best")/.." && pwd -P)"
  export JAVA_HOME JAVA_MAJOR JAVA_BIN
}

edgefn_base_jvm_flags() { # prints the flags every edgefn JVM gets (tools and benchmarks too)
  # ExitOnOutOfMemoryError: out of memory is a crash, not a zombie. Without it an OutOfMemoryError
  # ends only the thread it hits (the buffer's writer, the HTTP acceptor, a timer) and the process
  # lives on half-dead; with it the JVM exits at once (status 3) and a supervisor restarts it,
  # which the offline buffer makes safe.
  local flags="-XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false"
  # Exists from JDK 23 on; older JVMs refuse to start with it.
  [ "$JAVA_MAJOR" -ge 23 ] && flags="$flags --sun-misc-unsafe-memory-access=allow"
  echo "$flags"
}

edgefn_footprint_flags() { # prints the collector, heap and header flags for a small gateway
  # Chosen by measurement (`edgefn bench footprint`; the reasons are in docs/operations.md,
  # "Footprint and start"). EDGEFN_FOOTPRINT=off leaves the JVM's own defaults (G1, a quarter of
  # the machine's memory as heap); EDGEFN_HEAP_MAX overrides the heap's cap.
  [ "${EDGEFN_FOOTPRINT:-on}" = off ] && return 0
  # Serial: one GC thread and no G1 remembered sets or concurrent threads; with a heap this small
  # its pauses stay short. Xms small: the heap grows as the deployment needs, from a small start.
  # TrimNativeHeapInterval: gives the C heap's freed pages back to the OS every few seconds, so a
  # start-up's transient native memory does not stay resident for months.
  local flags="-XX:+UseSerialGC -Xms8m -Xmx${EDGEFN_HEAP_MAX:-128m} -XX:TrimNativeHeapInterval=5000"
  # Compact object headers (JEP 519): 8-byte headers instead of 12, a product flag from JDK 25
  # (experimental in 24, absent before). Smaller objects: a smaller heap for the same state.
  [ "$JAVA_MAJOR" -ge 25 ] && flags="$flags -XX:+UseCompactObjectHeaders"
  echo "$flags"
}

edgefn_jvm_flags() { # prints the JVM flags that suit $JAVA_MAJOR for running edgefn (the gateway)
  echo "$(edgefn_base_jvm_flags) $(edgefn_footprint_flags)" | sed 's/ *$//'
}

# ---- the AOT cache (JDK 25: JEP 483 class loading and linking, JEP 514 one-step recording,
# JEP 515 method profiles). scripts/aot-cache.sh records one for a jar; the launcher uses it.

edgefn_aot_supported() { # true when $JAVA_MAJOR's JVM has -XX:AOTCache and one-step -XX:AOTCacheOutput
  [ "${JAVA_MAJOR:-0}" -ge 25 ]
}

edgefn_file_stamp() { # $1 = file; prints "size:mtime" (GNU or BSD stat), nothing when it is missing
  [ -f "$1" ] || return 0
  stat -c '%s:%Y' "$1" 2>/dev/null || stat -f '%z:%m' "$1" 2>/dev/null
}

edgefn_aot_stamp() { # $1 = jar, $2.. = the JVM flags; prints what a cache for them depends on
  # The JVM checks the same things itself (the class path's jars by size and time, its own build,
  # the collector and header layout) but on a mismatch it prints errors on every start; this
  # stamp lets the launcher leave a stale cache out silently. The JDK's modules file changes with
  # every JDK update.
  local jar="$1"; shift
  printf 'jar=%s@%s java=%s:%s flags=%s\n' "$jar" "$(edgefn_file_stamp "$jar")" "$JAVA_MAJOR" \
    "$(edgefn_file_stamp "$JAVA_HOME/lib/modules")" "$(printf '%s' "$*" | cksum | cut -d' ' -f1)"
}

edgefn_aot_flags() { # $1 = cache, $2 = jar, $3.. = the JVM flags; prints the flags that use the cache, or nothing
  # Nothing when the JVM has no AOT cache, the cache is missing, or it was recorded for another
  # jar, JDK or set of flags (its .stamp, written by scripts/aot-cache.sh, differs). A stale cache
  # never stops a start: AOTMode=auto makes the JVM run without one it cannot map.
  local cache="$1" jar="$2"; shift 2
  [ "${EDGEFN_AOT:-on}" = off ] && return 0
  edgefn_aot_supported || return 0
  [ -f "$cache" ] && [ -f "$cache.stamp" ] || return 0
  [ "$(cat "$cache.stamp")" = "$(edgefn_aot_stamp "$jar" "$@")" ] || return 0
  echo "-XX:AOTMode=auto -XX:AOTCache=$cache"
}
