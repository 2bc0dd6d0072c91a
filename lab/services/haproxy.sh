#!/bin/sh
# Usage: lab/services/haproxy.sh start [load|resolver] | stop   (inside a lab app host)
# Debian's HAProxy in master-worker mode (-W, as Debian's unit runs it) on port 8081 in front of the
# lab's web backend (web-backend.sh), holding keep-alive client connections (timeout
# http-keep-alive 300 s). The master's pid goes to /run/haproxy.pid.
#   load (default): `server s1 HOST-hap.lab.test:8090` (the web backend under a name of HAProxy's
#     own, so that a capture tells its lookups from nginx's), resolved once when HAProxy loads its
#     configuration (init-addr libc: getaddrinfo, through resolv.conf).
#   resolver: the same server with `resolvers lab`, a resolvers section whose nameserver lines name
#     the host's current DNS servers (resolv.conf's); HAProxy asks them itself every second.
# The configuration is private to the host: /etc/haproxy is a bind mount of /run/lab-haproxy here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
PORT=8081 PIDF=/run/haproxy.pid CONF=/etc/haproxy/haproxy.cfg
listening() { grep -q ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp 2>/dev/null; }
case ${1:-} in
  start)
    mode=${2:-load}
    case $mode in load|resolver) ;; *) echo "haproxy.sh: mode is load or resolver, not $mode" >&2; exit 2 ;; esac
    sh "$here/web-backend.sh" start || exit 1
    if ! mountpoint -q /etc/haproxy; then
      mkdir -p /run/lab-haproxy && mount --bind /run/lab-haproxy /etc/haproxy || exit 1
    fi
    backend="$(hostname)-hap.lab.test:8090"
    {
      printf '# written by lab/services/haproxy.sh (%s)\nglobal\n    log stderr local0 notice\n' "$mode"
      printf '    stats socket /run/haproxy-admin.sock mode 600 level admin\n    hard-stop-after 60s\n'
      printf 'defaults\n    mode http\n    log global\n    option http-keep-alive\n    timeout connect 2s\n'
      printf '    timeout client 300s\n    timeout server 300s\n    timeout http-keep-alive 300s\n'
      printf 'frontend web\n    bind :%s\n    default_backend backend\n' "$PORT"
      if [ "$mode" = load ]; then
        printf 'backend backend\n    server s1 %s\n' "$backend"
      else
        printf 'backend backend\n    server s1 %s resolvers lab init-addr libc\n' "$backend"
        printf 'resolvers lab\n'
        awk '$1 == "nameserver" { n++; printf "    nameserver ns%d %s:53\n", n, $2 }' /etc/resolv.conf
        printf '    timeout resolve 1s\n    timeout retry 1s\n    hold valid 1s\n    hold nx 1s\n'
      fi
    } >"$CONF"
    haproxy -q -c -f "$CONF" || exit 1
    haproxy -W -D -p "$PIDF" -f "$CONF" </dev/null >>/var/log/haproxy.log 2>&1 || exit 1
    n=0
    until listening "$PORT" && [ -s "$PIDF" ]; do
      n=$((n + 1)); [ $n -lt 100 ] || { echo "haproxy: not listening on $PORT" >&2; exit 1; }
      sleep 0.05
    done ;;
  stop)
    p=$(cat "$PIDF" 2>/dev/null)
    [ -z "$p" ] || kill -USR1 "$p" 2>/dev/null
    n=0
    while [ -n "$p" ] && kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    [ -z "$p" ] || kill "$p" 2>/dev/null
    rm -f "$PIDF" ;;
  *) echo "usage: $0 start [load|resolver] | stop" >&2; exit 2 ;;
esac
