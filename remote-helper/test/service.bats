#!/usr/bin/env bats
# src/12-service.sh: the init system, bind-start.

load common

# pid1 NAME: the test root's stand-in for /proc/1/comm (the helper reads it only under a test root)
pid1() { mkdir -p "$ROOT/proc/1"; echo "$1" >"$ROOT/proc/1/comm"; }

@test "facts: a shell as PID 1 is no service manager, another PID 1 an init system cutover does not know" {
  pid1 sh
  run -0 --separate-stderr h facts --proc no-such-proc
  [ "$(j 'd["data"]["init"]')" = '{"system": "none", "pid1": "sh"}' ]
  [ "$(j 'd["data"]["bind"]["service"]')" = null ]
  pid1 runit
  run -0 --separate-stderr h facts --proc no-such-proc
  [ "$(j 'd["data"]["init"]')" = '{"system": "unknown", "pid1": "runit"}' ]
  # systemd as PID 1 inside a test root is never taken for systemd: the machine's own would be driven
  pid1 systemd; mkdir -p "$ROOT/run/systemd/system"
  run -0 --separate-stderr h facts --proc no-such-proc
  [ "$(j 'd["data"]["init"]["system"]')" = unknown ]
}

@test "bind-start refuses an init system it does not know, before changing anything" {
  pid1 openrc-init
  run -3 --separate-stderr h bind-start --run r1
  one_json
  [[ "$(j 'd["error"]')" == *"PID 1 is 'openrc-init'"* ]]
  [ ! -e "$STATE/runs/r1" ]
}

@test "bind-start refuses a host whose init is not the one the plan was made for" {
  pid1 sh
  run -3 --separate-stderr h bind-start --run r1 --init systemd
  [[ "$(j 'd["error"]')" == *"made for init 'systemd'"* ]]
  [ ! -e "$STATE/runs/r1" ]
}

@test "bind-start validates --init and --unit before doing anything" {
  run -2 --separate-stderr h bind-start --run r1 --init upstart
  run -2 --separate-stderr h bind-start --run r1 --unit 'named;reboot'
  run -2 --separate-stderr h bind-start --run r1 --unit named.socket
  [ ! -e "$STATE/runs/r1" ]
}
