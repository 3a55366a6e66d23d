#!/usr/bin/env bash
# A throwaway HAProxy (Debian's `haproxy`) on 127.0.0.1 in front of two backends, for failover tests.
#
#   scripts/haproxy.sh start DIR FRONTEND_PORT BACKEND1 BACKEND2 STATS_PORT
#   scripts/haproxy.sh stop DIR
#
# BACKENDn is HOST:PORT. Traffic is passed through as TCP (so HTTPS backends keep their own TLS) and
# balanced round-robin; each backend is health-checked every second with an HTTP GET of
# HAPROXY_HEALTH_PATH (default /health), marked down after 2 failed checks and up after 1 good one, so
# traffic moves to the live backend within about two seconds of one dying. A connection refused by a
# dead backend is retried on the other at once (option redispatch). Set HAPROXY_CHECK_SSL=1 when the
# backends speak HTTPS (the check then uses TLS without verifying the certificate: it only asks
# "alive?"). HAPROXY_SECOND_BACKUP=1 makes the second backend a backup that takes traffic only while the
# first is down (active/standby, as gateways that are not clustered are usually run). Server state is at http://127.0.0.1:STATS_PORT/stats (CSV: /stats;csv).
# The configuration is DIR/haproxy.cfg, the PID is in DIR/haproxy.pid; stop kills that PID.
set -euo pipefail

say() { echo "haproxy.sh: $*" >&2; }

start() {
  local dir="$1" front="$2" b1="$3" b2="$4" stats="$5"
  command -v haproxy >/dev/null || { say "ERROR: haproxy is not installed (apt-get install haproxy)"; exit 1; }
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local check="check"
  [ "${HAPROXY_CHECK_SSL:-0}" = "1" ] && check="check check-ssl verify none"
  cat >"$dir/haproxy.cfg" <<EOF
global
    pidfile $dir/haproxy.pid
    maxconn 1024

defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch

frontend baton_front
    bind 127.0.0.1:$front
    default_backend baton_gateways

backend baton_gateways
    balance roundrobin
    option httpchk GET ${HAPROXY_HEALTH_PATH:-/health}
    default-server inter 1s fall 2 rise 1
    server gw1 $b1 $check
    server gw2 $b2 $check${HAPROXY_SECOND_BACKUP:+ backup}

listen stats
    mode http
    bind 127.0.0.1:$stats
    stats enable
    stats uri /stats
    stats refresh 1s
EOF
  haproxy -c -q -f "$dir/haproxy.cfg" || { say "ERROR: configuration check failed ($dir/haproxy.cfg)"; exit 1; }
  haproxy -D -f "$dir/haproxy.cfg"
  for _ in $(seq 1 50); do
    if [ -s "$dir/haproxy.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$front") 2>/dev/null; then
      say "HAProxy $(head -1 "$dir/haproxy.pid") on 127.0.0.1:$front -> $b1, $b2 (stats 127.0.0.1:$stats)"
      return 0
    fi
    sleep 0.1
  done
  say "ERROR: HAProxy did not start listening on 127.0.0.1:$front"
  stop "$dir"
  exit 1
}

stop() {
  local dir="$1" pidfile="$1/haproxy.pid"
  [ -f "$pidfile" ] || { say "no $pidfile; nothing to stop"; return 0; }
  local pid
  for pid in $(cat "$pidfile"); do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$pidfile"
}

case "${1:-}" in
  start) [ $# -ge 6 ] || { say "usage: $0 start DIR FRONTEND_PORT BACKEND1 BACKEND2 STATS_PORT"; exit 2; }; start "$2" "$3" "$4" "$5" "$6" ;;
  stop) [ $# -ge 2 ] || { say "usage: $0 stop DIR"; exit 2; }; stop "$2" ;;
  *) say "usage: $0 start DIR FRONTEND_PORT BACKEND1 BACKEND2 STATS_PORT | stop DIR"; exit 2 ;;
esac
