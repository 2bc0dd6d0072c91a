#!/usr/bin/env bats
# src/06-facts.sh and src/08-processes.sh: facts (resolv.conf, BIND, the target processes), read-only.

load common

# pf EXPR: a python expression over the first process in $output's facts (as p)
pf() { j "(lambda p: $1)(d[\"data\"][\"processes\"][0])"; }
# stand_in NAME ARG...: start a process named NAME (a shell script that sleeps) with ARGs, as
# the daemon NAME would be started; its pid in $pid. For daemons this machine does not have.
stand_in() {
  printf '#!/bin/sh\nsleep 30\n' >"$BATS_TEST_TMPDIR/$1"; chmod +x "$BATS_TEST_TMPDIR/$1"
  "$BATS_TEST_TMPDIR/$@" & pid=$!
  sleep 0.2
}

@test "facts works when streamed and reads the (test) root's resolv.conf" {
  run -0 --separate-stderr sh -c "$HELPER_SH -s -- facts --proc no-such-proc <'$HELPER'"
  one_json
  [ "$(j 'd["data"]["resolv_conf"]["nameservers"]')" = '["10.9.9.1", "10.9.9.2"]' ]
  [ "$(j 'd["data"]["resolv_conf"]["search"]')" = '["example.test"]' ]
  [ "$(j 'd["data"]["resolv_conf"]["manager"]')" = none ]
  [ "$(j 'd["data"]["os"]["pretty_name"]')" = "Test Linux 12" ]
  [ "$(j 'd["data"]["processes"]')" = '[]' ]
  [ "$(j 'd["changed"]')" = false ]
}

@test "facts --file gives the files as file-read does, in the same call, and refuses a path outside the roots" {
  quoted_options
  run -0 --separate-stderr sh -c "$HELPER_SH -s -- facts --proc no-such-proc --file /etc/bind/named.conf.options --file /etc/bind/absent <'$HELPER'"
  files_read_back
  [ "$(j 'd["data"]["resolv_conf"]["manager"]')" = none ]
  run -2 --separate-stderr sh -c "$HELPER_SH -s -- facts --file /root/.ssh/id_rsa <'$HELPER'"
  one_json
  [ ! -e "$STATE/runs" ]
}

@test "facts: a process in a container (another PID namespace) is not this host's" {
  [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip "needs root and unshare (a PID namespace)"
  # processes with a name of their own: copies of sleep
  cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/cutovertgt"
  unshare --pid --fork --kill-child "$BATS_TEST_TMPDIR/cutovertgt" 30 & pid=$!
  run -0 --separate-stderr h facts --proc cutovertgt
  [ "$(j 'len(d["data"]["processes"])')" = 0 ]
  # the control: the same process on this host is found
  "$BATS_TEST_TMPDIR/cutovertgt" 30 & own=$!
  run -0 --separate-stderr h facts --proc cutovertgt
  kill "$pid" "$own"
  [ "$(j '[p["pid"] for p in d["data"]["processes"]]')" = "[$own]" ]
}

@test "facts describes a target process: libs, start time and the refresh method" {
  sleep 30 & pid=$!
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  one_json
  [ "$(j 'd["data"]["processes"][0]["pid"]')" = "$pid" ]
  [ "$(j 'd["data"]["processes"][0]["refresh_method"]')" = none ]
  [ "$(j 'any("libc" in l for l in d["data"]["processes"][0]["libs"])')" = true ]
  [ "$(j 'd["data"]["libc"]["kind"]')" = glibc ]
}

@test "facts: every target says which running process it names, or why none" {
  sleep 30 & pid=$!
  mkdir -p "$ROOT/run"
  echo "$pid" >"$ROOT/run/app.pid"
  echo 999999 >"$ROOT/run/stale.pid"
  run -0 --separate-stderr h facts --pidfile /run/app.pid --pidfile /run/stale.pid --pidfile /run/none.pid --proc no-such-proc
  kill "$pid"
  one_json
  # the process named by its pidfile is described, and says by what it was asked for
  [ "$(j '[(p["pid"], p["targets"]) for p in d["data"]["processes"]]')" = "[[$pid, [\"/run/app.pid\"]]]" ]
  [ "$(j '[t["pids"] for t in d["data"]["refresh_targets"] if t["target"] == "/run/app.pid"]')" = "[[$pid]]" ]
  [ "$(j '[t["problem"] for t in d["data"]["refresh_targets"] if t["target"] == "/run/stale.pid"][0]')" = "pidfile /run/stale.pid names pid 999999, which is not running on this host (stale pidfile?)" ]
  [ "$(j '[t["problem"] for t in d["data"]["refresh_targets"] if t["target"] == "/run/none.pid"][0]')" = "pidfile /run/none.pid does not exist" ]
  [ "$(j '[t["problem"] for t in d["data"]["refresh_targets"] if t["target"] == "no-such-proc"][0]')" = "no running process is named no-such-proc" ]
}

@test "facts: a process asked for by name and by pidfile is described once, with both" {
  cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/cutovertgt"
  "$BATS_TEST_TMPDIR/cutovertgt" 30 & pid=$!
  mkdir -p "$ROOT/run"
  echo "$pid" >"$ROOT/run/tgt.pid"
  run -0 --separate-stderr h facts --proc cutovertgt --pidfile /run/tgt.pid
  kill "$pid"
  [ "$(j '[(p["pid"], p["targets"]) for p in d["data"]["processes"]]')" = "[[$pid, [\"cutovertgt\", \"/run/tgt.pid\"]]]" ]
}

@test "facts: a glibc process reports its mapped glibc's version, and auto picks none because of it" {
  sleep 30 & pid=$!
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  want=$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')
  [ "$(pf 'p["resolver"]["glibc"]')" = "$want" ]
  [ "$(pf 'p["runtime"]["kind"]')" = native ]
  [ "$(pf 'p["refresh_method"]')" = none ]
  [ "$(pf 'p["refresh_why"]')" = "glibc $want → none (glibc >= 2.26 re-reads resolv.conf when it changes)" ]
}

@test "facts: a Go binary is told by its build info, and auto picks go-wait (its resolver re-checks resolv.conf every 5 s)" {
  # a real executable carrying Go's build-info magic and version string, as a Go binary's data does
  cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/gosvc"
  printf '\377 Go buildinf:\010\000go1.21.4\000' >>"$BATS_TEST_TMPDIR/gosvc"
  "$BATS_TEST_TMPDIR/gosvc" 30 & pid=$!
  run -0 --separate-stderr h facts --proc gosvc
  kill "$pid"
  [ "$(pf 'p["runtime"]')" = '{"kind": "go", "version": "go1.21.4"}' ]
  [ "$(pf 'p["refresh_method"]')" = go-wait ]
  # a copy of sleep maps glibc, as a cgo build does: said, since glibc takes some of its lookups
  [ "$(pf 'p["refresh_why"]')" = "Go go1.21.4 with cgo (glibc $(getconf GNU_LIBC_VERSION | sed 's/^glibc //'), which re-reads at once, for the lookups Go hands it): its own resolver re-checks resolv.conf's mtime at most every 5 s, on a lookup → go-wait (returns once the change is over 5 s old: every later lookup uses the new file)" ]
}

@test "facts: a Go binary whose resolv.conf says options no-reload is refused (Go >= 1.21 then never re-reads it)" {
  [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip "needs root and unshare (a mount namespace)"
  cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/gosvc"
  printf '\377 Go buildinf:\010\000go1.21.4\000' >>"$BATS_TEST_TMPDIR/gosvc"
  printf 'nameserver 10.9.9.1\noptions no-reload\n' >"$BATS_TEST_TMPDIR/resolv.conf"
  unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && exec "$2" 30' sh "$BATS_TEST_TMPDIR/resolv.conf" "$BATS_TEST_TMPDIR/gosvc" & pid=$!
  for _ in $(seq 50); do grep -q no-reload "/proc/$pid/root/etc/resolv.conf" 2>/dev/null && break; sleep 0.1; done
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["refresh_method"]')" = null ]
  [ "$(pf 'p["refresh_why"].startswith("Go go1.21.4: options no-reload in the resolv.conf it sees")')" = true ]
}

@test "facts: nginx names the resolver servers of its config and the files it includes; others than resolv.conf's are refused" {
  mkdir -p "$BATS_TEST_TMPDIR/ngx/conf.d"
  printf 'events {}\nhttp {\n  resolver 10.0.0.2 [2001:db8::1]:5353 valid=30s;\n  resolver_timeout 5s;\n  # resolver 10.0.0.9;\n  include %s/conf.d/*.conf;\n}\n' "$BATS_TEST_TMPDIR/ngx" >"$BATS_TEST_TMPDIR/ngx/nginx.conf"
  printf 'server { listen 80; resolver 10.0.0.3:53; }\n' >"$BATS_TEST_TMPDIR/ngx/conf.d/a.conf"
  stand_in nginx -c "$BATS_TEST_TMPDIR/ngx/nginx.conf"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["own_resolver"]["config"]')" = "$BATS_TEST_TMPDIR/ngx/nginx.conf" ]
  [ "$(pf 'p["own_resolver"]["servers"]')" = '["10.0.0.2", "10.0.0.3", "2001:db8::1"]' ]
  [ "$(pf 'p["refresh_method"]')" = null ]
  [ "$(pf 'p["refresh_alternatives"]')" = '["proxy-resolver"]' ]
  [ "$(pf 'p["refresh_why"].startswith("nginx asks the resolver 10.0.0.2 10.0.0.3 2001:db8::1 named in ")')" = true ]
  [ "$(pf '"10.0.0.2 10.0.0.3 2001:db8::1 is not a server resolv.conf lists → no safe method" in p["refresh_why"]')" = true ]
}

@test "facts: nginx whose resolver names resolv.conf's servers → proxy-resolver" {
  printf 'events {}\nhttp {\n  resolver 10.9.9.1 10.9.9.2:53 ipv6=off;\n}\n' >"$BATS_TEST_TMPDIR/nginx.conf"
  stand_in nginx -c "$BATS_TEST_TMPDIR/nginx.conf"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["refresh_method"]')" = proxy-resolver ]
  [ "$(pf '"→ proxy-resolver (those lines rewritten to 127.0.0.1" in p["refresh_why"]')" = true ]
  [ "$(pf '"keep-alive client connections are closed by the old workers" in p["refresh_why"]')" = true ]
}

@test "facts: nginx without a resolver resolves at config load → proxy-reload" {
  printf 'events {}\nhttp { server { location / { proxy_pass http://app.example:8080; } } }\n' >"$BATS_TEST_TMPDIR/nginx.conf"
  stand_in nginx -c "$BATS_TEST_TMPDIR/nginx.conf"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["own_resolver"]["servers"]')" = '[]' ]
  [ "$(pf 'p["refresh_method"]')" = proxy-reload ]
  [ "$(pf '"once, when it loads it (getaddrinfo) → proxy-reload" in p["refresh_why"]')" = true ]
}

@test "facts: an nginx worker is refused: only its master can be reloaded" {
  printf 'events {}\n' >"$BATS_TEST_TMPDIR/nginx.conf"
  # a stand-in master whose child is a stand-in worker, as nginx's are
  printf '#!/bin/sh\nsleep 30\n' >"$BATS_TEST_TMPDIR/nginx"; chmod +x "$BATS_TEST_TMPDIR/nginx"
  mkdir -p "$BATS_TEST_TMPDIR/master"
  printf '#!/bin/sh\n"%s" & echo $! >"%s"\nwait\n' "$BATS_TEST_TMPDIR/nginx" "$BATS_TEST_TMPDIR/worker.pid" >"$BATS_TEST_TMPDIR/master/nginx"
  chmod +x "$BATS_TEST_TMPDIR/master/nginx"
  "$BATS_TEST_TMPDIR/master/nginx" & master=$!
  sleep 0.3
  run -0 --separate-stderr h facts --pid "$(cat "$BATS_TEST_TMPDIR/worker.pid")"
  kill "$(cat "$BATS_TEST_TMPDIR/worker.pid")" "$master"
  [ "$(pf 'p["refresh_method"]')" = null ]
  [ "$(pf '"is one of nginx'"'"'s workers (its master is '"$master"')" in p["refresh_why"]')" = true ]
}

@test "facts: HAProxy names the nameservers of its resolvers sections, and parse-resolv-conf; only master-worker is reloaded" {
  printf 'global\n  daemon\nresolvers dns\n  nameserver a 10.0.0.4:53\n  nameserver b udp@10.0.0.5:53\n  # nameserver c 10.0.0.6:53\nbackend x\n  nameserver z 10.0.0.7:53\n  server s db.example:5432 resolvers dns\n' >"$BATS_TEST_TMPDIR/haproxy.cfg"
  printf 'resolvers sys\n  parse-resolv-conf\n' >"$BATS_TEST_TMPDIR/haproxy2.cfg"
  stand_in haproxy -W -f "$BATS_TEST_TMPDIR/haproxy.cfg"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["own_resolver"]["servers"]')" = '["10.0.0.4", "10.0.0.5"]' ]
  [ "$(pf 'p["own_resolver"]["parse_resolv_conf"]')" = false ]
  [ "$(pf 'p["refresh_method"]')" = null ]
  stand_in haproxy -f "$BATS_TEST_TMPDIR/haproxy2.cfg"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["own_resolver"]["parse_resolv_conf"]')" = true ]
  [ "$(pf 'p["refresh_method"]')" = null ]
  [ "$(pf '"does not run in master-worker mode (-W)" in p["refresh_why"]')" = true ]
  printf 'global\n  master-worker\n' >>"$BATS_TEST_TMPDIR/haproxy2.cfg"
  stand_in haproxy -f "$BATS_TEST_TMPDIR/haproxy2.cfg"
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["refresh_method"]')" = proxy-reload ]
  [ "$(pf '"(parse-resolv-conf in " in p["refresh_why"]')" = true ]
}

@test "facts: a Node process reports its bundled c-ares, and auto picks gdb-cares (dns.resolve* never re-reads resolv.conf)" {
  command -v node >/dev/null || skip "needs node"
  node -e 'setTimeout(() => {}, 30000)' & pid=$!
  sleep 0.3
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["runtime"]["kind"]')" = node ]
  [ "$(pf 'p["runtime"]["version"]')" = "$(node -p process.versions.node)" ]
  [ "$(pf 'p["runtime"]["cares"]')" = "$(node -p process.versions.ares)" ]
  [ "$(pf 'p["cares"]["version"]')" = "$(node -p process.versions.ares)" ]
  if nm -D "$(readlink -f "$(command -v node)")" 2>/dev/null | grep -q ' ares_reinit$'; then
    [ "$(pf 'p["cares"]["call"]')" = ares_reinit ]
  fi
  [ "$(pf 'p["refresh_method"]')" = gdb-cares ]
  [[ "$(pf 'p["refresh_why"]')" == *"dns.resolve* use c-ares"*"→ gdb-cares ("*"found through Node's ChannelWrap objects)" ]]
}

@test "facts: a Node process with a Worker thread is refused: the Worker's channels would be left" {
  command -v node >/dev/null || skip "needs node"
  node -e "new (require('worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }); setTimeout(() => {}, 30000)" & pid=$!
  sleep 1
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["refresh_method"]')" = null ]
  [[ "$(pf 'p["refresh_why"]')" == *"event loops: Worker threads"*"would be left on the old servers)" ]]
}

@test "facts: a JVM reports its version and DNS cache TTL, and auto picks none (glibc) saying so" {
  command -v java >/dev/null || skip "needs java"
  printf 'class S { public static void main(String[] a) throws Exception { Thread.sleep(30000); } }\n' >"$BATS_TEST_TMPDIR/S.java"
  java -Xmx32m -Dsun.net.inetaddr.ttl=7 "$BATS_TEST_TMPDIR/S.java" & pid=$!
  for _ in $(seq 50); do grep -q libjvm "/proc/$pid/maps" 2>/dev/null && break; sleep 0.1; done
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(pf 'p["runtime"]["kind"]')" = jvm ]
  [ "$(pf 'p["runtime"]["version"] is not None')" = true ]
  # the JDK's java.security leaves networkaddress.cache.ttl unset (Debian's does): the -D value counts
  if grep -q '^networkaddress.cache.ttl=' "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/conf/security/java.security" 2>/dev/null; then
    [ "$(pf 'p["runtime"]["dns_cache_ttl_from"].endswith("java.security")')" = true ]
  else
    [ "$(pf 'p["runtime"]["dns_cache_ttl_s"]')" = 7 ]
  fi
  [ "$(pf 'p["refresh_method"]')" = none ]
  [ "$(pf '"JVM" in p["refresh_why"]')" = true ]
  # names that failed: networkaddress.cache.negative.ttl (Debian's java.security sets 10)
  [ "$(pf 'p["runtime"]["dns_negative_ttl_s"]')" = "$(sed -n 's/^networkaddress.cache.negative.ttl=//p' "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/conf/security/java.security" 2>/dev/null | tail -n 1 | grep . || echo 10)" ]
  [ "$(pf '"one that failed for" in p["refresh_why"]')" = true ]
}

@test "facts reports the forwarders of the local BIND, ignoring commented-out ones" {
  printf 'options {\n\t// forwarders { 192.0.2.1; };\n\tforwarders {\n\t\t10.9.9.1;\n\t\t10.9.9.2;\n\t};\n};\n' >"$ROOT/etc/bind/named.conf.options"
  run -0 --separate-stderr h facts --proc no-such-proc
  one_json
  [ "$(j 'd["data"]["bind"]["forwarders"]')" = '["10.9.9.1", "10.9.9.2"]' ]
}

@test "facts writes nothing to the state dir" {
  run -0 --separate-stderr h facts
  [ -z "$(ls -A "$STATE")" ]
}
