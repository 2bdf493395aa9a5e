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

edgefn_jvm_flags() { # prints the JVM flags that suit $JAVA_MAJOR
  # ExitOnOutOfMemoryError: out of memory is a crash, not a zombie. Without it an OutOfMemoryError
  # ends only the thread it hits (the buffer's writer, the HTTP acceptor, a timer) and the process
  # lives on half-dead; with it the JVM exits at once (status 3) and a supervisor restarts it,
  # which the offline buffer makes safe.
  local flags="-XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false"
  # Exists from JDK 23 on; older JVMs refuse to start with it.
  [ "$JAVA_MAJOR" -ge 23 ] && flags="$flags --sun-misc-unsafe-memory-access=allow"
  echo "$flags"
}
