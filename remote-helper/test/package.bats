#!/usr/bin/env bats
# src/13-package.sh: bind-install and its undo.

load common

@test "facts names the package and apt's candidate when BIND is missing" {
  # /usr/sbin (named, rndc) left out of PATH: to the helper, BIND is not installed
  PATH=/usr/bin:/bin run -0 --separate-stderr h facts --proc no-such-proc
  [ "$(j 'd["data"]["bind"]["installed"]')" = false ]
  [ "$(j 'd["data"]["bind"]["package"]["name"]')" = bind9 ]
  [ "$(j 'd["data"]["bind"]["package"]["manager"]')" = apt ]
  [ "$(j 'd["data"]["bind"]["package"]["candidate"]')" = "$(apt-cache policy bind9 | awk '$1 == "Candidate:" { print $2 }')" ]
  [ ! -e "$STATE/runs" ]
}

@test "bind-install does nothing and records nothing when named is installed" {
  command -v named
  run -0 --separate-stderr h bind-install --run r1
  [ "$(j 'd["changed"]')" = false ]
  [ "$(j 'd["data"]["packages"]')" = '[]' ]
  [ ! -e "$STATE/runs/r1" ]
}

@test "bind-install refuses (exit 3) when no package source has the package, before changing anything" {
  PATH=/usr/bin:/bin run -3 --separate-stderr h bind-install --run r1 --package cutover-no-such-package
  [[ "$(j 'd["error"]')" == *"no package source of this host has cutover-no-such-package"* ]]
  [ ! -e "$STATE/runs/r1" ]
}

@test "bind-install refuses a candidate other than the one the plan showed" {
  PATH=/usr/bin:/bin run -3 --separate-stderr h bind-install --run r1 --version 0.0.1
  [[ "$(j 'd["error"]')" == *"the plan said bind9 0.0.1"* ]]
  [ ! -e "$STATE/runs/r1" ]
}

@test "bind-install validates package and version" {
  run -2 --separate-stderr h bind-install --run r1 --package '-bind9'
  run -2 --separate-stderr h bind-install --run r1 --package 'bind9;id'
  run -2 --separate-stderr h bind-install --run r1 --version '1:9$(id)'
  run -2 --separate-stderr h bind-install --run r1 --version 'x1'
}

@test "the undo of an install removes the policy-rc.d it wrote, never one that is not its own" {
  mkdir -p "$ROOT/usr/sbin" "$STATE/runs/r1" "$STATE/runs/r2"
  : >"$STATE/runs/r1/pkg-1.added"; : >"$STATE/runs/r2/pkg-1.added"
  printf '1\tbind-install\tpkg-purge\t%s\t%s\t/usr/sbin/policy-rc.d\n' "$STATE/runs/r1/pkg-1.added" "$STATE/runs/r1/pkg-1.before" >"$STATE/runs/r1/undo.log"
  printf '1\tbind-install\tpkg-purge\t%s\t%s\t/usr/sbin/policy-rc.d\n' "$STATE/runs/r2/pkg-1.added" "$STATE/runs/r2/pkg-1.before" >"$STATE/runs/r2/undo.log"
  printf '#!/bin/sh\nexit 0\n' >"$ROOT/usr/sbin/policy-rc.d"
  run -0 --separate-stderr h revert r1
  [ "$(j 'd["data"]["undone"][0]["result"]')" = nothing-installed ]
  [ "$(cat "$ROOT/usr/sbin/policy-rc.d")" = "$(printf '#!/bin/sh\nexit 0')" ]
  # the helper's own (what bind-install writes, from the helper's text)
  awk '/^policy_rc_content\(\)/ { sub(/^[^'"'"']*'"'"'/, ""); sub(/'"'"'; }$/, ""); print }' "$HELPER" | xargs -0 printf >"$ROOT/usr/sbin/policy-rc.d"
  grep -q 'Written by cutover-helper bind-install' "$ROOT/usr/sbin/policy-rc.d"
  run -0 --separate-stderr h revert r2
  [ ! -e "$ROOT/usr/sbin/policy-rc.d" ]
}
