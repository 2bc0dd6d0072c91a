#!/usr/bin/env bats
# src/15-1-proxy.sh: refresh proxy-reload / proxy-resolver and trigger --via reload, against a real
# nginx and HAProxy (Debian's packages) listening on 127.0.0.1.

load common

# a real nginx (master + 1 worker) serving on 127.0.0.1:PORT; $pid is its master
start_nginx() {
  T=$BATS_TEST_TMPDIR PORT=$((20000 + $$ % 20000))
  printf 'worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log notice;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n%s    server { listen 127.0.0.1:%s; location / { return 200 "ok\\n"; } }\n}\n' \
    "$T" "$T" "${1:-}" "$PORT" >"$T/nginx.conf"
  nginx -c "$T/nginx.conf" </dev/null >/dev/null 2>&1 3>&- # bats waits for whatever holds its fds
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/nginx.pid" ] && break; sleep 0.1; done
  pid=$(cat "$T/nginx.pid")
  for _ in $(seq 50); do [ -n "$(workers "$pid")" ] && break; sleep 0.1; done # its worker runs
}
# the daemon a test started is stopped even when the test fails
teardown() { [ -z "${pid:-}" ] || kill -TERM "$pid" 2>/dev/null || true; }
workers() { awk -v p="$1" 'FNR == 1 { s = $0; sub(/^.*\) /, "", s); split(s, f, " "); if (f[2] == p) { split(FILENAME, n, "/"); print n[3] } }' /proc/[0-9]*/stat 2>/dev/null | sort -n | tr '\n' ' '; }

@test "refresh proxy-reload reloads nginx gracefully: same master, new workers, keep-alive clients counted; revert reloads again" {
  command -v nginx || skip "needs nginx (Debian's nginx)"
  start_nginx
  before=$(workers "$pid")
  exec 5<>"/dev/tcp/127.0.0.1/$PORT"
  printf 'GET / HTTP/1.1\r\nHost: t\r\n\r\n' >&5
  read -r line <&5
  run --separate-stderr h refresh --run r1 "$pid" proxy-reload
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  [ "$(j 'd["data"]["client_sockets_before"]')" = 1 ]
  # the idle keep-alive connection is closed by the old worker, and said so
  [ "$(j 'd["data"]["client_sockets_lost"]')" = 1 ]
  [ "$(j 'd["data"]["workers_new"][0] not in d["data"]["workers_before"]')" = true ]
  [ "$(workers "$pid")" != "$before" ]
  exec 5<&-
  mid=$(workers "$pid")
  run -0 --separate-stderr h revert r1
  [ "$(j '[u["result"] for u in d["data"]["undone"] if u["action"] == "refresh" and "pid" in u][0].startswith("refreshed to")')" = true ]
  [ "$(workers "$pid")" != "$mid" ]
}

@test "refresh proxy-reload never signals an nginx whose configuration does not validate" {
  command -v nginx || skip "needs nginx (Debian's nginx)"
  start_nginx
  before=$(workers "$pid")
  printf 'this is not nginx;\n' >>"$T/nginx.conf"
  run -3 --separate-stderr h refresh --run r1 "$pid" proxy-reload
  [ "$(j '"does not validate" in d["error"] and "no reload was sent" in d["error"]')" = true ]
  sleep 0.3
  [ "$(workers "$pid")" = "$before" ]
  [ ! -s "$STATE/runs/r1/undo.log" ]
}

@test "refresh proxy-resolver refuses a file the helper may not change, and changes nothing" {
  command -v nginx || skip "needs nginx (Debian's nginx)"
  start_nginx '    resolver 10.9.9.1 valid=5s;
'
  sum=$(sha256sum <"$T/nginx.conf")
  before=$(workers "$pid")
  run -3 --separate-stderr h refresh --run r1 "$pid" proxy-resolver
  [ "$(j '"is not a file the helper may change" in d["error"]')" = true ]
  [ "$(sha256sum <"$T/nginx.conf")" = "$sum" ]
  [ "$(workers "$pid")" = "$before" ]
}

@test "refresh proxy-reload reloads a HAProxy master-worker: the master keeps its pid, a new worker runs; trigger --via reload names its server" {
  command -v haproxy || skip "needs haproxy (Debian's haproxy)"
  T=$BATS_TEST_TMPDIR PORT=$((20000 + $$ % 20000 + 1))
  printf 'global\n    hard-stop-after 5s\ndefaults\n    mode http\n    timeout client 10s\n    timeout server 10s\n    timeout connect 1s\nfrontend f\n    bind 127.0.0.1:%s\n    http-request return status 200\nbackend b\n    server s1 backend.example.test:8090 init-addr none\n' "$PORT" >"$T/haproxy.cfg"
  haproxy -W -D -p "$T/haproxy.pid" -f "$T/haproxy.cfg" </dev/null >/dev/null 2>&1 3>&-
  pid=$(head -n 1 "$T/haproxy.pid")
  for _ in $(seq 50); do [ -n "$(workers "$pid")" ] && break; sleep 0.1; done
  start=$(cut -d' ' -f22 "/proc/$pid/stat")
  before=$(workers "$pid")
  run --separate-stderr h refresh --run r1 "$pid" proxy-reload
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  [ "$(cut -d' ' -f22 "/proc/$pid/stat")" = "$start" ]
  [ "$(workers "$pid")" != "$before" ]
  # the trigger's name, when none is given: the first server name of its configuration
  run -0 --separate-stderr h trigger --via reload --pid "$pid"
  [ "$(j 'd["data"]["qname"]')" = backend.example.test ]
}

@test "refresh proxy-* and trigger --via reload refuse what is not an nginx or HAProxy master" {
  sleep 30 & other=$!
  run -3 --separate-stderr h refresh --run r1 "$other" proxy-reload
  [ "$(j '"not nginx or haproxy" in d["error"]')" = true ]
  run -3 --separate-stderr h trigger --via reload --pid "$other"
  run -2 --separate-stderr h trigger --via reload
  kill "$other"
}

@test "trigger --via reload reloads nginx named by its pidfile, reports the name given, and records nothing to undo" {
  command -v nginx || skip "needs nginx (Debian's nginx)"
  start_nginx
  before=$(workers "$pid")
  mkdir -p "$ROOT/run" && cp "$T/nginx.pid" "$ROOT/run/nginx.pid"
  run -0 --separate-stderr h trigger --run r1 --via reload --pidfile /run/nginx.pid --name backend.example.test
  [ "$(j 'd["data"]["pid"]')" = "$pid" ]
  [ "$(j 'd["data"]["qname"]')" = backend.example.test ]
  [ "$(workers "$pid")" != "$before" ]
  [ ! -e "$STATE/runs/r1/undo.log" ]
}
