#!/bin/sh
# Usage: test/run.sh [BATS-ARGS...]
# Runs shellcheck on the helper and the test scripts, then the bats suite under
# dash, busybox sh and bash. Prints "N passed, N failed"; exits 1 on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
if shellcheck -s sh "$here/../cutover-helper" "$here/run.sh" "$here/lab.sh" "$here/lab/sandbox.sh"; then
  pass=$((pass + 1)); echo "ok shellcheck"
else
  fail=$((fail + 1)); echo "not ok shellcheck"
fi
for shell in dash "busybox sh" bash; do
  out=$(HELPER_SH="$shell" bats --tap "$@" "$here/helper.bats" 2>&1)
  p=$(printf '%s\n' "$out" | grep -c '^ok ')
  f=$(printf '%s\n' "$out" | grep -c '^not ok ')
  pass=$((pass + p)); fail=$((fail + f))
  echo "# $shell: $p passed, $f failed"
  [ "$f" -eq 0 ] || printf '%s\n' "$out" | awk '/^not ok /{ p = 1 } /^ok /{ p = 0 } p'
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
