#!/usr/bin/env bash
# Throwaway OpenLDAP slapd for Baton's tests and benchmarks: loopback only, config and data in a folder.
#
#   scripts/slapd.sh install              install Debian's slapd and ldap-utils if missing
#   scripts/slapd.sh start DIR PORT       write DIR/slapd.conf, start slapd on ldap://127.0.0.1:PORT/
#   scripts/slapd.sh stop DIR             stop the slapd whose PID is in DIR/slapd.pid
#
# The directory has suffix dc=baton,dc=test, root DN cn=admin,dc=baton,dc=test (password: secret,
# override with BATON_SLAPD_PASSWORD) and the Baton schema with the indexes the store needs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BATON_SCHEMA="$HERE/../baton-store-ldap/src/main/resources/dev/baton/store/ldap/baton.schema"
SUFFIX="dc=baton,dc=test"
ROOTDN="cn=admin,$SUFFIX"
PASSWORD="${BATON_SLAPD_PASSWORD:-secret}"

find_slapd() {
  for candidate in "$(command -v slapd 2>/dev/null || true)" /usr/sbin/slapd; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

install() {
  if find_slapd >/dev/null && command -v ldapsearch >/dev/null; then
    echo "slapd and ldap-utils are installed"
    return 0
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils
}

start() {
  local dir="$1" port="$2" slapd
  slapd="$(find_slapd)" || { echo "slapd is not installed: run $0 install" >&2; exit 1; }
  mkdir -p "$dir/data"
  local hash
  hash="$(slappasswd -s "$PASSWORD")"
  cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $BATON_SCHEMA
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
sizelimit unlimited
database mdb
maxsize 1073741824
suffix "$SUFFIX"
rootdn "$ROOTDN"
rootpw $hash
directory $dir/data
index objectClass eq
index batonSessionIdHash eq
index batonUser eq
index batonOwner eq
index batonExpiryTime eq
index batonLastActivityTime eq
index batonPurgeTask eq
CONF
  slaptest -u -f "$dir/slapd.conf"
  "$slapd" -h "ldap://127.0.0.1:$port/" -f "$dir/slapd.conf"
  for _ in $(seq 1 50); do
    if [ -s "$dir/slapd.pid" ]; then break; fi
    sleep 0.1
  done
  [ -s "$dir/slapd.pid" ] || { echo "slapd did not start (no $dir/slapd.pid)" >&2; exit 1; }
  echo "slapd pid $(cat "$dir/slapd.pid") on ldap://127.0.0.1:$port/ suffix $SUFFIX rootdn $ROOTDN"
}

stop() {
  local dir="$1"
  [ -s "$dir/slapd.pid" ] || { echo "no $dir/slapd.pid" >&2; exit 1; }
  local pid
  pid="$(cat "$dir/slapd.pid")"
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { echo "slapd $pid stopped"; return 0; }
    sleep 0.1
  done
  echo "slapd $pid did not stop in 5 s" >&2
  exit 1
}

case "${1:-}" in
  install) install ;;
  start) [ $# -eq 3 ] || { echo "usage: $0 start DIR PORT" >&2; exit 2; }; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 install | start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
