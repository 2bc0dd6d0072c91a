#!/usr/bin/env bats
# src/11-bind.sh: bind-check.

load common

@test "bind-check runs named-checkconf inside the root" {
  command -v named-checkconf || skip "needs named-checkconf"
  mkdir -p "$ROOT/var/cache/bind"
  printf 'options { directory "/var/cache/bind"; };\n' >"$ROOT/etc/bind/named.conf"
  run --separate-stderr h bind-check
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  printf 'options { nonsense; };\n' >"$ROOT/etc/bind/named.conf"
  run -4 --separate-stderr h bind-check
  one_json
}
