#!/usr/bin/env bash
# Makes sure what the test suite needs is there before `./baton test` runs it, and fails loudly otherwise.
# Servers the tests start themselves (throwaway slapd, FreeRADIUS, HAProxy on loopback) are installed here
# from Debian's packages when missing; the long-running PostgreSQL and MariaDB must already be reachable.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { echo "prepare: $*" >&2; }

# PostgreSQL (127.0.0.1:5432, database test) and MariaDB (127.0.0.1:3306, database test).
check_port() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need_service() {
  local name="$1" port="$2"
  if check_port "$port"; then say "$name is reachable on 127.0.0.1:$port"; return 0; fi
  say "ERROR: $name is not reachable on 127.0.0.1:$port; start it (see README, 'Test prerequisites')."
  exit 1
}
need_service PostgreSQL "${BATON_PG_PORT:-5432}"
need_service MariaDB "${BATON_MARIADB_PORT:-3306}"

# Debian packages of servers the tests run as throwaway processes.
missing=()
for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
for extra in "$ROOT"/scripts/test-packages.d/*.txt; do
  [ -f "$extra" ] || continue
  while read -r pkg; do
    [ -z "$pkg" ] || [[ "$pkg" == \#* ]] && continue
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done < "$extra"
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    say "ERROR: packages missing and not root: ${missing[*]}"; exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  say "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
say "ready"
