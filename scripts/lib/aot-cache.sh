# Sourced after find-java.sh (by scripts/aot-cache.sh, and by a distribution's bin/edgefn):
# records the JDK's AOT cache (JEP 483/514/515) for edgefn's runtime jar with a training run.
#
# The training run is the demo deployment in `edgefn run` against the pump MCU simulator in a
# second process, over a socat pty pair (the serial path a real MCU takes): start, TLS identity,
# edge hub, management API, the Sphere link's handshake and telemetry, the functions, an anomaly
# and the first shutdown COMMAND with its ACK. What that run loaded and linked, and the profiles
# of what it ran, are in the cache; the next start maps them instead of doing the work again.
# Without socat the training run is `edgefn demo` (the same functions and safety path over an
# in-memory line, but not `run`'s hub and management API).

edgefn_aot_extract() { # $1 = jar, $2 = folder: writes deployment.json (its port still ${PORT}) and packages/pump-functions.jar
  local jar="$1" dir="$2"
  mkdir -p "$dir/packages"
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$jar" edgefn/demo/deployment.json > "$dir/deployment.json" \
      && unzip -p "$jar" edgefn/demo/pump-functions.jar > "$dir/packages/pump-functions.jar"
  elif [ -x "$JAVA_HOME/bin/jar" ]; then
    (cd "$dir" && "$JAVA_HOME/bin/jar" xf "$jar" edgefn/demo/deployment.json edgefn/demo/pump-functions.jar \
      && mv edgefn/demo/deployment.json deployment.json && mv edgefn/demo/pump-functions.jar packages/)
  else
    echo "edgefn: recording the AOT cache needs unzip (or a JDK's jar tool) to take the demo deployment out of $jar" >&2
    return 1
  fi
  [ -s "$dir/deployment.json" ] && [ -s "$dir/packages/pump-functions.jar" ] || {
    echo "edgefn: $jar has no demo deployment (edgefn/demo/deployment.json, pump-functions.jar); rebuild it" >&2
    return 1
  }
}

edgefn_aot_wait_for() { # $1 = seconds, $2 = file, $3 = fixed string, $4 = pid that must stay alive
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    grep -qF -- "$3" "$2" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

edgefn_record_aot_cache() { # $1 = runtime jar, $2 = cache file to write; prints progress on stderr
  local jar cache
  jar="$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")"
  cache="$2"
  if ! edgefn_aot_supported; then
    echo "edgefn: the AOT cache needs JDK 25 or newer; $JAVA_BIN is JDK $JAVA_MAJOR: nothing recorded" >&2
    return 1
  fi
  [ -f "$jar" ] || { echo "edgefn: no runtime jar at $jar: build it first (./edgefn --help builds it)" >&2; return 1; }
  local flags work status=0
  flags=$(edgefn_jvm_flags)
  work=$(mktemp -d "${TMPDIR:-/tmp}/edgefn-aot.XXXXXX")
  rm -f "$cache.part" "$cache.stamp"
  echo "edgefn: recording the AOT cache for $jar (a training run of the demo deployment, about half a minute)…" >&2
  if ! edgefn_aot_extract "$jar" "$work"; then rm -rf "$work"; return 1; fi
  if command -v socat >/dev/null 2>&1; then
    sed "s#\${PORT}#$work/gw#" "$work/deployment.json" > "$work/run.json"
    socat "pty,raw,echo=0,link=$work/gw" "pty,raw,echo=0,link=$work/dev" 2>"$work/socat.log" &
    local socat=$!
    local i=0
    while { [ ! -e "$work/gw" ] || [ ! -e "$work/dev" ]; } && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    # The simulator: readings at 20 Hz, a fault after 3 s rising fast, so the first shutdown
    # comes a few seconds into the run.
    # shellcheck disable=SC2086
    "$JAVA_BIN" $flags -jar "$jar" serial simulate "$work/dev" --fault-after 3 --fault-rise 40 \
      > "$work/sim.log" 2>&1 &
    local sim=$!
    # shellcheck disable=SC2086
    "$JAVA_BIN" $flags -XX:AOTCacheOutput="$cache.part" -jar "$jar" run --deployment "$work/run.json" \
      --data-dir "$work/data" --gateway-id aot-training --hostname localhost \
      --mqtt-port 0 --http-port 0 --function-http-port 0 > "$work/run.out" 2> "$work/run.log" &
    local run=$!
    if edgefn_aot_wait_for 180 "$work/run.out" '"event":"ready"' "$run"; then
      local port
      port=$(sed -n 's/.*"httpPort":\([0-9]*\).*/\1/p' "$work/run.out" | head -n 1)
      if [ -n "$port" ] && command -v curl >/dev/null 2>&1; then # the management API's TLS path
        curl -ks "https://127.0.0.1:$port/health" > /dev/null 2>&1 || true
      fi
      edgefn_aot_wait_for 120 "$work/sim.log" "shutdown (" "$run" \
        || echo "edgefn: the training run saw no shutdown; the cache covers start and telemetry only" >&2
      sleep 1 # the outcome after the ACK
    else
      echo "edgefn: the training run did not get ready; the end of its log:" >&2
      tail -n 20 "$work/run.log" >&2
      status=1
    fi
    # The JVM writes the cache as it exits (SIGTERM: edgefn run drains and exits).
    kill -TERM "$run" 2>/dev/null || true
    wait "$run" 2>/dev/null || true
    kill -TERM "$sim" "$socat" 2>/dev/null || true
    wait "$sim" "$socat" 2>/dev/null || true
  else
    echo "edgefn: socat is missing: training on edgefn demo's in-memory line instead (apt-get install socat covers run's serial path)" >&2
    # shellcheck disable=SC2086
    "$JAVA_BIN" $flags -XX:AOTCacheOutput="$cache.part" -jar "$jar" demo --duration 12 --data-dir "$work/demo" \
      > "$work/run.out" 2> "$work/run.log" || status=1
  fi
  if [ "$status" -eq 0 ] && [ -s "$cache.part" ]; then
    mv -f "$cache.part" "$cache"
    edgefn_aot_stamp "$jar" $flags > "$cache.stamp"
    echo "edgefn: AOT cache recorded: $cache ($(($(wc -c < "$cache") / 1048576)) MB)" >&2
  else
    [ "$status" -eq 0 ] && { echo "edgefn: the JVM wrote no AOT cache; the end of its log:" >&2; tail -n 20 "$work/run.log" >&2; }
    rm -f "$cache.part"
    status=1
  fi
  rm -rf "$work"
  return "$status"
}
