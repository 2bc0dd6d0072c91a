#!/bin/sh
# Usage: lab/services/node.sh start|stop
# The lab's Node service, run inside a lab host (lab/lab.sh exec app1 sh lab/services/node.sh start):
# node-app.js on port 8084, resolving with dns.resolve* (c-ares), pid in /run/node.pid. start waits
# until it listens and returns 0; stop ends it by that pidfile.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PIDFILE=/run/node.pid PORT=8084
case ${1:-} in
  start)
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then exit 0; fi
    rm -f "$PIDFILE"
    PIDFILE=$PIDFILE PORT=$PORT setsid node "$here/node-app.js" </dev/null >>/var/log/node-app.log 2>&1 &
    n=0
    until [ -s "$PIDFILE" ] && grep -q ":$(printf '%04X' $PORT) 00000000:0000 0A" /proc/net/tcp 2>/dev/null; do
      n=$((n + 1)); [ $n -lt 100 ] || { echo "node service did not listen on $PORT (see /var/log/node-app.log)" >&2; exit 1; }
      sleep 0.1
    done ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    rm -f "$PIDFILE" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
