#!/usr/bin/env bash
# Installs edgefn from this unpacked release archive.
#
#   sudo ./install.sh                        # /opt/edgefn, user edgefn, /var/lib/edgefn, systemd unit
#   ./install.sh --prefix ~/edgefn --no-user --no-systemd     # unprivileged, into a folder of yours
#
# Options:
#   --prefix DIR       where bin/, lib/, share/ and var/ go (default /opt/edgefn)
#   --config-dir DIR   where edgefn.env and the deployment go (default /etc/edgefn; with
#                      --no-systemd, PREFIX/etc)
#   --no-user          do not create the system user edgefn (member of dialout)
#   --no-systemd       do not install edgefn.service nor write into /etc, /var/lib
#   --no-aot-cache     do not record the JDK's AOT cache (bin/edgefn-aot-cache; JDK 25+)
#   --link DIR         also link DIR/edgefn to PREFIX/bin/edgefn (e.g. /usr/local/bin)
#
# Upgrading is installing again: bin/, lib/ and share/ are replaced, the configuration and the data
# directory are kept, the AOT cache is recorded again for the new jar. Needs a JDK (or JRE) >= 21.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
PREFIX=/opt/edgefn CONFIG="" USER_ACCOUNT=1 SYSTEMD=1 AOT=1 LINK=""
DATA=/var/lib/edgefn
die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#*=}"; shift ;;
    --config-dir) [ $# -ge 2 ] || die "--config-dir needs a folder"; CONFIG="$2"; shift 2 ;;
    --config-dir=*) CONFIG="${1#*=}"; shift ;;
    --link) [ $# -ge 2 ] || die "--link needs a folder"; LINK="$2"; shift 2 ;;
    --no-user) USER_ACCOUNT=0; shift ;;
    --no-systemd) SYSTEMD=0; shift ;;
    --no-aot-cache) AOT=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
done
[ -n "$PREFIX" ] || die "--prefix must not be empty"
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd -P)/$PREFIX" ;; esac
[ -n "$CONFIG" ] || { if [ "$SYSTEMD" = 1 ]; then CONFIG=/etc/edgefn; else CONFIG="$PREFIX/etc"; fi; }
case "$CONFIG" in /*) ;; *) CONFIG="$(pwd -P)/$CONFIG" ;; esac
for f in bin/edgefn lib/edgefn-all.jar lib/find-java.sh share/edgefn/edgefn.service; do
  [ -e "$SRC/$f" ] || die "$SRC/$f is missing: run install.sh from the unpacked edgefn archive"
done
if { [ "$USER_ACCOUNT" = 1 ] || [ "$SYSTEMD" = 1 ]; } && [ "$(id -u)" -ne 0 ]; then
  die "creating the user edgefn and installing the systemd unit need root: sudo $0 $*, or add --no-user --no-systemd"
fi
# The JDK check before anything is copied: the same search bin/edgefn does.
. "$SRC/lib/find-java.sh"
edgefn_find_java || die "edgefn needs Java 21 or newer to run (apt-get install openjdk-21-jre-headless)"
echo "install.sh: Java $JAVA_MAJOR at $JAVA_HOME"

# The program: replaced as a whole (an upgrade leaves no file of the old version behind).
mkdir -p "$PREFIX" "$PREFIX/var"
[ ! -e "$PREFIX/var/edgefn.aot" ] || rm -f "$PREFIX/var/edgefn.aot" # made for the old jar
for d in bin lib share; do
  rm -rf "$PREFIX/$d.new"
  cp -R "$SRC/$d" "$PREFIX/$d.new"
  rm -rf "$PREFIX/$d"
  mv "$PREFIX/$d.new" "$PREFIX/$d"
done
chmod 0755 "$PREFIX/bin/"* "$PREFIX/lib/edgefn-ready"
echo "install.sh: edgefn installed in $PREFIX"

# The configuration: written once, never overwritten. A first install gets the sample deployment.
mkdir -p "$CONFIG"
if [ ! -e "$CONFIG/edgefn.env" ]; then
  sed "s#/etc/edgefn/#$CONFIG/#g" "$SRC/share/edgefn/edgefn.env" > "$CONFIG/edgefn.env"
  echo "install.sh: wrote $CONFIG/edgefn.env"
fi
if [ ! -e "$CONFIG/deployment.json" ]; then
  cp "$SRC/share/edgefn/examples/deployment.json" "$CONFIG/deployment.json"
  mkdir -p "$CONFIG/packages"
  cp "$SRC/share/edgefn/examples/packages/"*.jar "$CONFIG/packages/"
  echo "install.sh: wrote the sample deployment $CONFIG/deployment.json (replace it with yours)"
fi

if [ "$USER_ACCOUNT" = 1 ]; then
  getent group dialout >/dev/null 2>&1 || groupadd --system dialout # Debian and Ubuntu have it; some systems do not
  if id edgefn >/dev/null 2>&1; then
    usermod -a -G dialout edgefn
  else
    nologin="$(command -v nologin || echo /usr/sbin/nologin)"
    useradd --system --user-group --groups dialout --home-dir "$DATA" --no-create-home --shell "$nologin" \
      --comment "edgefn function host" edgefn
    echo "install.sh: created the system user edgefn (groups: edgefn, dialout)"
  fi
  install -d -m 0750 -o edgefn -g edgefn "$DATA"
  chgrp -R edgefn "$CONFIG" && chmod -R g+rX,o-rwx "$CONFIG"
fi

if [ "$SYSTEMD" = 1 ]; then
  id edgefn >/dev/null 2>&1 || echo "install.sh: warning: the unit runs as the user edgefn, which does not exist (--no-user):" \
    "create it (in group dialout) or install without --no-user" >&2
  unit=/etc/systemd/system/edgefn.service
  sed "s#@PREFIX@#$PREFIX#g; s#/etc/edgefn/#$CONFIG/#g" "$SRC/share/edgefn/edgefn.service" > "$unit"
  chmod 0644 "$unit"
  echo "install.sh: installed $unit"
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
  else
    echo "install.sh: systemd is not running here; run 'systemctl daemon-reload' where it is"
  fi
fi

if [ -n "$LINK" ]; then
  mkdir -p "$LINK" && ln -sfn "$PREFIX/bin/edgefn" "$LINK/edgefn"
  echo "install.sh: linked $LINK/edgefn"
fi

if [ "$AOT" = 1 ]; then
  # A faster start, not a requirement: a JDK before 25 or a failed training run only warns.
  "$PREFIX/bin/edgefn-aot-cache" "$PREFIX/var/edgefn.aot" \
    || echo "install.sh: no AOT cache recorded (see above); edgefn runs without it" >&2
fi

echo
echo "Next:"
if [ "$SYSTEMD" = 1 ]; then
  echo "  edit $CONFIG/edgefn.env and $CONFIG/deployment.json, then"
  echo "  systemctl enable --now edgefn && journalctl -u edgefn -f"
else
  echo "  $PREFIX/bin/edgefn run --deployment $CONFIG/deployment.json --data-dir DIR"
fi
