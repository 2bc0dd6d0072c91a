#!/usr/bin/env bats
# src/14-gdb-find.sh: gdb-cares-break, the c-ares channel of a process whose layout is not known,
# caught by a bounded breakpoint while a GET makes it resolve. The real cases run the lab's C
# service (lab/services/cares-app.c, Debian's libc-ares) in a private network namespace.

load common

@test "gdb-cares-break needs a --find-url with {name}, before anything is read" {
  run -2 --separate-stderr h refresh --run r1 "$$" gdb-cares-break
  [[ "$(j 'd["error"]')" == *"gdb-cares-break needs --find-url URL"* ]]
  run -2 --separate-stderr h refresh --run r1 "$$" gdb-cares-break --find-url 'http://127.0.0.1:8085/resolve'
  run -2 --separate-stderr h refresh --run r1 "$$" gdb-cares-break --find-url 'ftp://x/{name}'
}

# in_cares_app SCRIPT: SCRIPT (bash) in a private network namespace where the lab's c-ares service
# listens on 127.0.0.1:8085 ($app: its pid); its stdout is the test's
in_cares_app() {
  command -v gdb && command -v gcc && command -v curl && [ -f /usr/include/ares.h ] || skip "needs gdb, gcc, curl and libc-ares-dev"
  unshare -n true 2>/dev/null || skip "needs a private network namespace (root)"
  gcc -O2 -o "$BATS_TEST_TMPDIR/cares-app" "$BATS_TEST_DIRNAME/../../lab/services/cares-app.c" -lcares
  cat >"$BATS_TEST_TMPDIR/case.sh" <<CASE
ip link set lo up
"$BATS_TEST_TMPDIR/cares-app" >/dev/null 2>&1 &
app=\$!
for i in \$(seq 100); do curl -s -o /dev/null http://127.0.0.1:8085/ && break; sleep 0.05; done
$1
kill \$app
CASE
  run --separate-stderr unshare -n bash "$BATS_TEST_TMPDIR/case.sh"
}

@test "gdb-cares-break catches the channel at ares_gethostbyname, sets the servers on it and reads them back; the service lives on" {
  in_cares_app "$HELPER_SH $HELPER --state-dir $STATE refresh --run r1 \$app gdb-cares-break --servers 127.0.0.1 --find-url 'http://127.0.0.1:8085/resolve?name={name}'
    curl -s -o /dev/null -w ' HTTP %{http_code}' 'http://127.0.0.1:8085/resolve?name=localhost'"
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  output=${output% HTTP 200}
  [ "$(j 'd["data"]["find_entry"]')" = ares_gethostbyname ]
  [ "$(j 'd["data"]["call"]')" = ares_set_servers_csv ]
  [ "$(j 'd["data"]["servers_now"]')" = 127.0.0.1 ]
  [ "$(j 'd["data"]["servers_before"] != "127.0.0.1"')" = true ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  grep -q 'refresh.*gdb-cares-break	[0-9a-f]*	127.0.0.1$' "$STATE/runs/r1/undo.log"
}

@test "gdb-cares-break refuses (exit 3) when the GET makes no lookup within 2 s; nothing is called, no breakpoint is left" {
  in_cares_app "$HELPER_SH $HELPER --state-dir $STATE refresh --run r1 \$app gdb-cares-break --servers 127.0.0.1 --find-url 'http://127.0.0.1:8085/other?name={name}'
    printf ' EXIT %s' \$?
    curl -s -o /dev/null -w ' HTTP %{http_code}' 'http://127.0.0.1:8085/resolve?name=localhost'"
  echo "$output $stderr"
  [[ "$output" == *" EXIT 3 HTTP 200" ]]
  output=${output% EXIT 3 HTTP 200}
  [[ "$(j 'd["error"]')" == *"made no c-ares lookup within 2 s of GET"*"nothing was called"* ]]
  [ "$(j 'd["data"]["find_gdb_ms"] < 4000')" = true ]
  [ ! -f "$STATE/runs/r1/undo.log" ] || ! grep -q refresh "$STATE/runs/r1/undo.log"
}

@test "the undo sets the old servers back on the channel it recorded, and refuses one that no longer holds what the refresh set" {
  in_cares_app "$HELPER_SH $HELPER --state-dir $STATE refresh --run r1 \$app gdb-cares-break --servers 127.0.0.1 --find-url 'http://127.0.0.1:8085/resolve?name={name}' >/dev/null
    sed -i 's/127.0.0.1\$/127.0.0.9/' $STATE/runs/r1/undo.log
    $HELPER_SH $HELPER --state-dir $STATE revert r1; printf ' EXIT %s' \$?
    curl -s -o /dev/null -w ' HTTP %{http_code}' 'http://127.0.0.1:8085/resolve?name=localhost'"
  echo "$output $stderr"
  [[ "$output" == *" EXIT 3 HTTP 200" ]]
  [[ "$output" == *"CUTOVER-NOT-OURS"* ]] || [[ "$stderr" == *"CUTOVER-NOT-OURS"* ]]
}

@test "facts pick gdb-cares-break for c-ares in a process whose layout is not known, saying it needs the find_url" {
  in_cares_app "$HELPER_SH $HELPER --state-dir $STATE facts --pid \$app"
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(j 'd["data"]["processes"][0]["refresh_method"]')" = gdb-cares-break ]
  [[ "$(j 'd["data"]["processes"][0]["refresh_why"]')" == "c-ares "*" in cares-app, whose memory layout is not known → gdb-cares-break (ares_set_servers_csv on the channel a breakpoint"*"find_url"*"only that channel"* ]]
}
