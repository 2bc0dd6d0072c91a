#!/usr/bin/env bats
# src/17-capture.sh: capture-start, capture-verify, in a private network namespace.

load common

@test "capture-start is ready when it returns, and capture-verify finds the query to 127.0.0.1" {
  command -v tcpdump && command -v dig || skip "needs tcpdump and dig"
  run -0 fw_in_netns '
    H="$1 $2 --state-dir $3"
    ip link set lo up
    $H capture-start --run r1 --iface lo | grep -q "\"ready_ms\"" || exit 1
    dig +tries=1 +time=1 @127.0.0.1 probe-one.cutover.invalid >/dev/null
    $H capture-verify --run r1 --qname probe-one.cutover.invalid --forbid 10.9.9.1 --stop'
  output=$(printf '%s\n' "$output" | tail -n 1)
  one_json
  [ "$(j 'd["data"]["queries_to_expected"]')" -ge 1 ]
  [ "$(j 'd["data"]["packets"][0]["dst"]')" = 127.0.0.1.53 ]
}

@test "capture-verify fails (4) when the name was never asked of 127.0.0.1" {
  command -v tcpdump || skip "needs tcpdump"
  run -4 fw_in_netns '
    H="$1 $2 --state-dir $3"
    ip link set lo up
    $H capture-start --run r1 --iface lo >/dev/null
    $H capture-verify --run r1 --qname never-asked.invalid --stop 2>/dev/null'
}

@test "capture-verify finds a query sent in mixed case (libevent's evdns randomizes it, the 0x20 hack)" {
  command -v tcpdump && command -v dig || skip "needs tcpdump and dig"
  run -0 fw_in_netns '
    H="$1 $2 --state-dir $3"
    ip link set lo up
    $H capture-start --run r1 --iface lo >/dev/null || exit 1
    dig +tries=1 +time=1 @127.0.0.1 PrObE-TwO.CuToVeR.invalid >/dev/null
    $H capture-verify --run r1 --qname probe-two.cutover.invalid --stop'
  output=$(printf '%s\n' "$output" | tail -n 1)
  one_json
  [ "$(j 'd["data"]["queries_to_expected"]')" -ge 1 ]
}
