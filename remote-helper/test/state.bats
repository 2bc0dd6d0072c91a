#!/usr/bin/env bats
# src/21-state.sh: state, also of corrupted files.

load common

@test "a corrupted lock or guard file: state stays valid JSON, the lock counts as stale, no file is touched" {
  echo orig >"$ROOT/etc/one.conf"
  h file-install --run r1 --step s1 --target /etc/one.conf <<<"new" >/dev/null
  printf '12ab $(touch %s) x\n\377\001\n' "$CANARY" >"$STATE/runs/r1/guard"
  mkdir -p "$STATE/lock"
  printf 'owner=\377junk\ncreated=yesterday\nexpires=\001\nsession_pid=../1\n' >"$STATE/lock/owner"
  run -0 --separate-stderr h state r1
  one_json
  [ "$(j 'd["data"]["guard"]["status"]')" = vanished ]
  [ "$(j 'd["data"]["guard"]["pid"]')" = null ]
  [ "$(j 'd["data"]["lock"]["stale"]')" = true ]
  [[ "$(j 'd["data"]["lock"]["stale_reason"]')" == *"corrupt"* ]]
  # a new controller is refused until it asks to break the stale lock, which it may
  run -75 --separate-stderr h lock --owner "ctl=b"
  one_json
  run -0 --separate-stderr h lock --owner "ctl=b" --break-stale
  one_json
  # the block cannot be known to be guarded: a failure the controller rolls back on
  run -4 --separate-stderr h guard-disarm --run r1
  one_json
  [[ "$(j 'd["error"]')" == *"guard file of run r1 is corrupt"* ]]
  [ "$(cat "$ROOT/etc/one.conf")" = new ]
  [ ! -e "$CANARY" ]
}

@test "state of an unknown run is empty, and the guard is none" {
  run -0 --separate-stderr h state nothing-here
  [ "$(j 'd["data"]["exists"]')" = false ]
  [ "$(j 'd["data"]["guard"]["status"]')" = none ]
}
