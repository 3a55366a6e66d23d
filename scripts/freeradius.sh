#!/usr/bin/env bash
# A throwaway FreeRADIUS (Debian's `freeradius`) on 127.0.0.1, configured in a folder of its own.
#
#   scripts/freeradius.sh start PORT DIR [USERS_FILE] [SECRET]
#   scripts/freeradius.sh stop DIR
#
# start copies Debian's configuration (/etc/freeradius/3.0) into DIR, keeps only what PAP needs (the
# `files` and `pap` modules; EAP wants certificates the package does not make), listens for
# authentication on 127.0.0.1:PORT only, stays root (no user/group switch), never proxies, and accepts
# the client 127.0.0.1 with SECRET (default testing123). USERS_FILE holds lines in the format of
# mods-config/files/authorize, e.g.  alice  Cleartext-Password := "s3cret"; without it one user
# baton-test / baton-pass is added. The server runs in the background; its PID goes to
# DIR/freeradius.pid and its log to DIR/log/radius.log. stop kills that PID.
set -euo pipefail

say() { echo "freeradius.sh: $*" >&2; }

start() {
  local port="$1" dir="$2" users="${3:-}" secret="${4:-testing123}"
  command -v freeradius >/dev/null || { say "ERROR: freeradius is not installed (apt-get install freeradius freeradius-utils)"; exit 1; }
  local src=/etc/freeradius/3.0
  [ -d "$src" ] || { say "ERROR: $src is missing"; exit 1; }
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  rm -rf "$dir/raddb"
  cp -a "$src" "$dir/raddb"
  mkdir -p "$dir/log" "$dir/run"
  local conf="$dir/raddb/radiusd.conf"
  sed -i -E \
    -e "s|^(\s*raddbdir\s*=).*|\1 $dir/raddb|" \
    -e "s|^(\s*logdir\s*=).*|\1 $dir/log|" \
    -e "s|^(\s*run_dir\s*=).*|\1 $dir/run|" \
    -e 's|^(\s*)(user\s*=.*)|\1#\2|' \
    -e 's|^(\s*)(group\s*=.*)|\1#\2|' \
    -e 's|^(\s*proxy_requests\s*=).*|\1 no|' \
    -e 's|^(\s*reject_delay\s*=).*|\1 0|' \
    "$conf"

  # Only the modules a PAP check needs; the rest (EAP above all) would want certificates or sockets.
  find "$dir/raddb/mods-enabled" -mindepth 1 -delete
  for m in always files pap expr; do ln -s "../mods-available/$m" "$dir/raddb/mods-enabled/$m"; done

  # One site, one listener on loopback; no IPv6, no inner tunnel, no accounting, no status port.
  find "$dir/raddb/sites-enabled" -mindepth 1 -delete
  cat >"$dir/raddb/sites-enabled/baton" <<EOF
server baton {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	post-auth {
		Post-Auth-Type REJECT {
			ok
		}
	}
}
EOF
  cat >"$dir/raddb/clients.conf" <<EOF
client baton_loopback {
	ipaddr = 127.0.0.1
	secret = $secret
	require_message_authenticator = no
}
EOF
  local authorize="$dir/raddb/mods-config/files/authorize"
  if [ -n "$users" ]; then
    cp "$users" "$authorize"
  else
    echo 'baton-test Cleartext-Password := "baton-pass"' >"$authorize"
  fi

  freeradius -C -d "$dir/raddb" >"$dir/log/check.log" 2>&1 || { say "ERROR: configuration check failed:"; tail -20 "$dir/log/check.log" >&2; exit 1; }
  # -f keeps it in the foreground of this background job so that $! is the server's own PID.
  nohup freeradius -f -d "$dir/raddb" -l "$dir/log/radius.log" >"$dir/log/stdout.log" 2>&1 &
  echo $! >"$dir/freeradius.pid"
  for _ in $(seq 1 100); do
    if grep -q "Ready to process requests" "$dir/log/radius.log" 2>/dev/null; then
      say "FreeRADIUS $(cat "$dir/freeradius.pid") listening on 127.0.0.1:$port"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/freeradius.pid")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  say "ERROR: FreeRADIUS did not start:"; tail -20 "$dir/log/radius.log" "$dir/log/stdout.log" >&2 || true
  stop "$dir"
  exit 1
}

stop() {
  local dir="$1" pidfile="$1/freeradius.pid"
  [ -f "$pidfile" ] || { say "no $pidfile; nothing to stop"; return 0; }
  local pid; pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) [ $# -ge 3 ] || { say "usage: $0 start PORT DIR [USERS_FILE] [SECRET]"; exit 2; }; start "$2" "$3" "${4:-}" "${5:-}" ;;
  stop) [ $# -ge 2 ] || { say "usage: $0 stop DIR"; exit 2; }; stop "$2" ;;
  *) say "usage: $0 start PORT DIR [USERS_FILE] [SECRET] | stop DIR"; exit 2 ;;
esac
