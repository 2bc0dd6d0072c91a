#!/usr/bin/env bats
# src/18-trigger.sh: trigger, against a stand-in psql that plays pgbouncer's admin console.

load common

# fake_pgbouncer: a psql first in PATH that answers the admin console's SHOW commands for the
# database probe (a pool, nothing cached, dns_nxdomain_ttl and server_login_retry 15) and logs
# every SET with the time in ms to $BATS_TEST_TMPDIR/sets
fake_pgbouncer() {
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/psql" <<'PSQL'
#!/bin/sh
echo "session" >>"$FAKE_PGB_LOG.sessions"
while [ $# -gt 0 ]; do
  [ "$1" = -c ] || { shift; continue; }
  case $2 in
    '\echo '*) echo "${2#\\echo }" ;;
    'SHOW DATABASES') echo 'probe|xaxa-probe.invalid|5432|probe' ;;
    'SHOW DNS_HOSTS') ;;
    'SHOW POOLS') echo 'probe|app|0|0' ;;
    'SHOW CONFIG') printf 'dns_nxdomain_ttl|15|yes\nserver_login_retry|15|yes\n' ;;
    SET*) echo "$(($(date +%s%N) / 1000000)) $2" >>"$FAKE_PGB_LOG"; echo "SET ${2#SET }" ;;
  esac
  shift 2
done
PSQL
  chmod +x "$BATS_TEST_TMPDIR/bin/psql"
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH" FAKE_PGB_LOG="$BATS_TEST_TMPDIR/sets"
}

@test "trigger --wait-cached restores server_login_retry once, then dns_nxdomain_ttl a second later" {
  fake_pgbouncer
  run -0 --separate-stderr h trigger --run r1 --port 1 --db probe --user app --admin-user pgbadmin --wait-cached
  one_json
  [ "$(j 'd["data"]["waited_s"]')" = 1 ]
  # each setting set to 0 once and put back once: no admin round trip twice
  [ "$(cut -d' ' -f2- "$FAKE_PGB_LOG")" = "SET dns_nxdomain_ttl = 0
SET server_login_retry = 0
SET server_login_retry = 15
SET dns_nxdomain_ttl = 15" ]
  # the pool's tries stop first: the TTL comes back at least 1 s after the retry
  retry_ms=$(awk '$0 ~ /server_login_retry = 15/ { print $1 }' "$FAKE_PGB_LOG")
  ttl_ms=$(awk '$0 ~ /dns_nxdomain_ttl = 15/ { print $1 }' "$FAKE_PGB_LOG")
  [ $((ttl_ms - retry_ms)) -ge 1000 ]
}

@test "trigger --fresh reads the admin console in one session and sets and restores both settings in one each" {
  fake_pgbouncer
  # no capture, so psql (this stand-in) runs once as the client: four sessions in all
  run -0 --separate-stderr h trigger --run r1 --port 1 --db probe --user app --admin-user pgbadmin --fresh
  one_json
  [ "$(j 'd["data"]["qname"]')" = xaxa-probe.invalid ]
  [ "$(j 'd["data"]["nxdomain_ttl_restored"]')" = 15 ]
  [ "$(j 'd["data"]["server_login_retry_restored"]')" = 15 ]
  [ "$(cut -d' ' -f2- "$FAKE_PGB_LOG")" = "SET dns_nxdomain_ttl = 0
SET server_login_retry = 0
SET server_login_retry = 15
SET dns_nxdomain_ttl = 15" ]
  [ "$(wc -l <"$FAKE_PGB_LOG.sessions")" -eq 4 ]
}

# http_service: a local HTTP service answering every GET with 502 and logging its path to
# $BATS_TEST_TMPDIR/paths, as a service's /resolve does for a name that does not resolve; port in $port
http_service() {
  port=$((20000 + $$ % 20000))
  python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        open(sys.argv[2], "a").write(self.path + "\n")
        self.send_response(502); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$port" "$BATS_TEST_TMPDIR/paths" & srv=$!
  for _ in $(seq 50); do python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null && break; sleep 0.1; done
}

# only_tools DIR CMD...: DIR holds links to CMDs, the commands the helper needs, and no others
only_tools() {
  mkdir -p "$1"
  for c in sh dash busybox bash cat sed grep awk tail head rm mktemp date timeout wc tr sleep id readlink dirname mkdir chmod stat printf python3 "${@:2}"; do
    p=$(command -v "$c") && ln -sf "$p" "$1/$c"
  done
}

@test "trigger --via http GETs the URL with the name in it and reports the service's answer" {
  http_service
  run -0 --separate-stderr h trigger --via http --url "http://127.0.0.1:$port/resolve?name={name}&again={name}" --name Fresh-1.lab.test --timeout 5
  kill "$srv"
  one_json
  [ "$(j 'd["data"]["qname"]')" = Fresh-1.lab.test ]
  [ "$(j 'd["data"]["http_status"]')" = 502 ]
  [ "$(j 'd["data"]["http_client"]')" = "$(command -v curl >/dev/null && echo curl || echo wget)" ]
  [ "$(cat "$BATS_TEST_TMPDIR/paths")" = "/resolve?name=Fresh-1.lab.test&again=Fresh-1.lab.test" ]
}

@test "trigger --via http uses wget, then busybox wget, where curl is missing" {
  command -v wget >/dev/null && command -v busybox >/dev/null || skip "needs wget and busybox"
  http_service
  only_tools "$BATS_TEST_TMPDIR/wget-bin" wget
  PATH="$BATS_TEST_TMPDIR/wget-bin" run -0 --separate-stderr h trigger --via http --url "http://127.0.0.1:$port/r?n={name}" --name a.test
  [ "$(j 'd["data"]["http_client"]')" = wget ] && [ "$(j 'd["data"]["http_status"]')" = 502 ]
  rm "$BATS_TEST_TMPDIR/wget-bin/wget"
  PATH="$BATS_TEST_TMPDIR/wget-bin" run -0 --separate-stderr h trigger --via http --url "http://127.0.0.1:$port/r?n={name}" --name b.test
  kill "$srv"
  [ "$(j 'd["data"]["http_client"]')" = busybox ] && [ "$(j 'd["data"]["http_status"]')" = 502 ]
  [ "$(tail -n 1 "$BATS_TEST_TMPDIR/paths")" = "/r?n=b.test" ]
}

@test "trigger --via http refuses a host without curl, wget or busybox, and a bad URL, saying so" {
  only_tools "$BATS_TEST_TMPDIR/bare-bin"
  # a busybox without its wget applet (the shell under test may be busybox itself)
  rm -f "$BATS_TEST_TMPDIR/bare-bin/busybox"
  printf '#!/bin/sh\n[ "$1" != wget ] || exit 127\nexec %s "$@"\n' "$(command -v busybox)" >"$BATS_TEST_TMPDIR/bare-bin/busybox"
  chmod +x "$BATS_TEST_TMPDIR/bare-bin/busybox"
  PATH="$BATS_TEST_TMPDIR/bare-bin" run -3 --separate-stderr h trigger --via http --url 'http://127.0.0.1:1/r?n={name}' --name a.test
  [[ $stderr == *"needs curl, wget or busybox (wget)"* ]]
  run -2 --separate-stderr h trigger --via http --url 'http://127.0.0.1:1/r?n=fixed' --name a.test
  [[ $stderr == *"with {name} where the name goes"* ]]
  run -2 --separate-stderr h trigger --via http --url "http://127.0.0.1:1/r?n={name}';reboot" --name a.test
  run -2 --separate-stderr h trigger --via http --url 'http://127.0.0.1:1/r?n={name}'
}

@test "trigger --via http says when nothing answers at the URL" {
  run -1 --separate-stderr h trigger --via http --url 'http://127.0.0.1:1/r?n={name}' --name a.test --timeout 2
  [[ $stderr == *"no HTTP answer from http://127.0.0.1:1/r?n=a.test"* ]]
}
