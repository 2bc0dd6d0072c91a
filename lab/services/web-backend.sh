#!/bin/sh
# Usage: lab/services/web-backend.sh start|stop   (inside a lab app host)
# The HTTP backend nginx and HAProxy proxy to (web-backend.py on port 8090), named HOST-web.lab.test
# in the lab zone only (not in /etc/hosts: a proxy looks it up in DNS). start is idempotent.
set -u
here=$(cd "$(dirname "$0")" && pwd)
PORT=8090 PIDF=/run/web-backend.pid
listening() { grep -q ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp 2>/dev/null; }
case ${1:-} in
  start)
    if [ -s "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then exit 0; fi
    setsid python3 "$here/web-backend.py" "$PORT" </dev/null >/var/log/web-backend.log 2>&1 &
    echo $! >"$PIDF"
    n=0
    until listening "$PORT"; do
      n=$((n + 1)); [ $n -lt 100 ] || { echo "web-backend: not listening on $PORT" >&2; exit 1; }
      sleep 0.05
    done ;;
  stop) [ ! -s "$PIDF" ] || kill "$(cat "$PIDF")" 2>/dev/null; rm -f "$PIDF" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
