#!/usr/bin/env bats
# src/14-gdb-evdns.sh: refresh gdb-evdns (a pgbouncer resolving with libevent's evdns). The calls
# themselves are proved on a real evdns pgbouncer in the lab (remote-helper/test/lab.sh evdns).

load common

# norm IP: evdns_ip_norm of the part itself, under $HELPER_SH
norm() { $HELPER_SH -c '. "$1"; evdns_ip_norm "$2"' norm "$BATS_TEST_DIRNAME/../src/14-gdb-evdns.sh" "$1"; }

@test "gdb-evdns refuses a process that maps no libevent (exit 3), without attaching" {
  sleep 30 & pid=$!
  run -3 --separate-stderr h refresh --run r1 "$pid" gdb-evdns
  kill "$pid"
  [[ $(j 'd["error"]') == *"no libevent with evdns mapped"* ]]
  [[ $stderr != *"gdb ran"* ]]
  [ ! -e "$STATE/runs/r1/undo.log" ] || ! grep -q gdb-evdns "$STATE/runs/r1/undo.log"
}

@test "gdb-evdns takes no --servers: the process parses resolv.conf itself" {
  sleep 30 & pid=$!
  run -3 --separate-stderr h refresh --run r1 "$pid" gdb-evdns --servers 127.0.0.1
  kill "$pid"
  [[ $(j 'd["error"]') == *"takes no --servers"* ]]
}

@test "facts of a process without evdns never pick gdb-evdns" {
  sleep 30 & pid=$!
  run -0 --separate-stderr h facts --pid "$pid"
  kill "$pid"
  [ "$(j 'd["data"]["processes"][0]["refresh_method"]')" != gdb-evdns ]
}

@test "servers read back from evdns compare with resolv.conf's: IPv6 in 8 groups, IPv4 as written" {
  [ "$(norm 10.9.9.1)" = 10.9.9.1 ]
  [ "$(norm ::1)" = 0:0:0:0:0:0:0:1 ]
  [ "$(norm 2001:DB8::53)" = 2001:db8:0:0:0:0:0:53 ]
  [ "$(norm fe80::1:0:2)" = fe80:0:0:0:0:1:0:2 ]
  [ "$(norm 2001:0db8:0000:0000:0000:ff00:0042:8329)" = 2001:db8:0:0:0:ff00:42:8329 ]
  [ "$(norm fd00::)" = fd00:0:0:0:0:0:0:0 ]
}
