#!/usr/bin/env bats
# src/14-gdb.sh and src/15-2-refresh.sh: refresh of a running process.

load common

@test "refresh validates pid and method before doing anything" {
  run -2 --separate-stderr h refresh --run r1 1 none
  run -2 --separate-stderr h refresh --run r1 "$$" reboot
  run -3 --separate-stderr h refresh --run r1 999999 none
}

@test "refresh none checks the process and records nothing to undo" {
  sleep 30 & pid=$!
  run -0 --separate-stderr h refresh --run r1 "$pid" none
  kill "$pid"
  [ "$(j 'd["data"]["same_process"]')" = true ]
  [ "$(j 'd["changed"]')" = false ]
}

@test "refresh gdb-res-init calls __res_init in a live process, which survives" {
  command -v gdb || skip "needs gdb"
  sleep 60 & pid=$!
  run --separate-stderr h refresh --run r1 "$pid" gdb-res-init
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(j 'd["data"]["return_value"]')" = 0 ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  kill -0 "$pid"
  [ "$(cut -d' ' -f3 /proc/$pid/stat)" = S ]
  kill "$pid"
}

@test "a second identical in-process refresh is changed:false and does not attach again" {
  command -v gdb || skip "needs gdb"
  sleep 60 & pid=$!
  run -0 --separate-stderr h refresh --run r1 "$pid" gdb-res-init
  [ "$(j 'd["changed"]')" = true ]
  run -0 --separate-stderr h refresh --run r2 "$pid" gdb-res-init
  [ "$(j 'd["changed"]')" = false ]
  [ "$(j '"gdb_ms" in d["data"]')" = false ]
  kill "$pid"
}

@test "revert of an in-process refresh leaves neither its revert lock nor gdb's command file behind" {
  command -v gdb || skip "needs gdb"
  mkdir -p "$BATS_TEST_TMPDIR/tmp"
  sleep 60 & pid=$!
  TMPDIR="$BATS_TEST_TMPDIR/tmp" run -0 --separate-stderr h refresh --run r1 "$pid" gdb-res-init
  TMPDIR="$BATS_TEST_TMPDIR/tmp" run -0 --separate-stderr h revert r1
  [ "$(j '[u["result"] for u in d["data"]["undone"] if u["action"] == "refresh" and "pid" in u][0]')" = "refreshed to $(awk '$1 == "nameserver" { printf "%s%s", s, $2; s = "," }' /etc/resolv.conf)" ]
  kill -0 "$pid"
  kill "$pid"
  [ ! -e "$STATE/runs/r1/revert.lock" ]
  [ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
}

@test "an in-process call waits for the process to block in a system call; one that never does is left alone" {
  command -v gdb || skip "needs gdb"
  sh -c 'while :; do :; done' & pid=$!
  run -1 --separate-stderr h refresh --run r1 "$pid" gdb-res-init
  [[ "$stderr" == *"not idle (syscall -1 pc 0x"* ]]
  [[ "$(j 'd["error"]')" == *"was never idle"*"nothing was called"* ]]
  [ "$(cut -d' ' -f3 /proc/$pid/stat)" = R ]
  kill "$pid"
}

@test "refresh gdb-cares refuses a process without c-ares (exit 3), without attaching" {
  command -v gdb || skip "needs gdb"
  sleep 60 & pid=$!
  run -3 --separate-stderr h refresh --run r1 "$pid" gdb-cares --servers 127.0.0.1
  kill "$pid"
}

# node_with JS: a Node process running JS (which keeps it alive), once its dns module is loaded;
# ended by teardown whether the test passed or failed (a Node left running keeps bats waiting)
node_with() {
  node -e "$1" & pid=$!
  NODE_PID=$pid
  for _ in $(seq 50); do [ -e "$BATS_TEST_TMPDIR/ready" ] && break; sleep 0.1; done
}

teardown() {
  [ -z "${NODE_PID:-}" ] || kill "$NODE_PID" 2>/dev/null || true
}

@test "gdb-cares reinitialises every c-ares channel of a Node process (the default one and a dns.Resolver's), which lives on" {
  command -v gdb && command -v node || skip "needs gdb and node"
  node_with "const dns = require('dns'); const r = new dns.Resolver(); require('fs').writeFileSync('$BATS_TEST_TMPDIR/ready', ''); setInterval(() => {}, 1000)"
  run --separate-stderr h refresh --run r1 "$pid" gdb-cares
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(j 'd["data"]["call"]')" = ares_reinit ]
  [ "$(j 'len(d["data"]["channels"])')" = 2 ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  [[ "$stderr" == *"Node c-ares channels"*"wrap 0x"*"wrap 0x"* ]]
  # the servers read back from the channels while attached are resolv.conf's
  [ "$(j 'd["data"]["servers_now"]')" != null ]
  kill -0 "$pid"
  [ "$(cut -d' ' -f3 /proc/$pid/stat)" = S ]
  # the undo reinitialises again, from the resolv.conf it finds then
  run -0 --separate-stderr h revert r1
  [[ "$(j '[u["result"] for u in d["data"]["undone"] if u["action"] == "refresh" and "pid" in u][0]')" == "refreshed to "* ]]
  kill -0 "$pid"
  kill "$pid"
}

@test "gdb-cares refuses a Node process with a Worker thread (its channels would be left), attaching to nothing" {
  command -v gdb && command -v node || skip "needs gdb and node"
  node_with "const { Worker } = require('worker_threads'); new Worker('require(\"dns\"); setInterval(() => {}, 1000)', { eval: true }); require('dns'); setTimeout(() => require('fs').writeFileSync('$BATS_TEST_TMPDIR/ready', ''), 500); setInterval(() => {}, 1000)"
  run -3 --separate-stderr h refresh --run r1 "$pid" gdb-cares
  [[ "$(j 'd["error"]')" == *"event loops"*"Workers would be left on the old servers"*"nothing was called"* ]]
  [[ "$stderr" != *"gdb ran"* ]]
  kill "$pid"
}

@test "gdb-cares refuses a Node process that holds no c-ares channel yet" {
  command -v gdb && command -v node || skip "needs gdb and node"
  node_with "require('fs').writeFileSync('$BATS_TEST_TMPDIR/ready', ''); setInterval(() => {}, 1000)"
  run -3 --separate-stderr h refresh --run r1 "$pid" gdb-cares
  [[ "$(j 'd["error"]')" == *"no c-ares channel found in Node process $pid"* ]]
  [[ "$stderr" != *"gdb ran"* ]]
  kill "$pid"
}

@test "refresh go-wait returns at once when resolv.conf changed over 5 s ago, and records an undo" {
  sleep 30 & pid=$!
  [ "$(( $(date +%s) - $(stat -L -c %Y /etc/resolv.conf) ))" -gt 6 ] || skip "this machine's resolv.conf changed in the last 6 s"
  run -0 --separate-stderr h refresh --run r1 "$pid" go-wait
  kill "$pid"
  [ "$(j 'd["data"]["waited_ms"]')" = 0 ]
  [ "$(j 'd["data"]["resolv_conf_age_ms"] > 5000')" = true ]
  [ "$(j 'd["data"]["same_process"]')" = true ]
  awk -F "\t" -v p="$pid" '$3 == "refresh" && $4 == p && $6 == "go-wait" { f = 1 } END { exit !f }' "$STATE/runs/r1/undo.log"
}

@test "refresh go-wait waits until resolv.conf's change is over 5 s old, so a Go process's next lookup re-reads it" {
  [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip "needs root and unshare (a mount namespace)"
  # the process and the helper in one mount namespace whose resolv.conf has just been changed
  printf 'nameserver 127.0.0.1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
  run -0 --separate-stderr unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf || exit 1; sleep 30 & p=$!; t=$(date +%s%N)
    $2 "$3" --state-dir "$4" refresh --run r1 "$p" go-wait; echo " $(( ($(date +%s%N) - t) / 1000000 ))"; kill "$p"' \
    sh "$BATS_TEST_TMPDIR/resolv.conf" "$HELPER_SH" "$HELPER" "$STATE"
  elapsed=${output##* }
  output=${output% *}
  # it slept until the change was 5.2 s old (5 s + the coarse clock's margin), however long it took to get there
  [ "$(j 'd["data"]["waited_ms"] > 0 and d["data"]["resolv_conf_age_ms"] + d["data"]["waited_ms"] == 5200')" = true ]
  [ "$elapsed" -ge "$(j 'd["data"]["waited_ms"]')" ]
  [ "$(j 'd["data"]["nameservers_seen"]')" = '["127.0.0.1"]' ]
}
