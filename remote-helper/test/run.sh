#!/bin/sh
# Usage: test/run.sh [BATS-ARGS...]
# Builds the helper from its parts (build.sh), runs shellcheck on the parts, the built file and
# the test scripts (lint.sh), then every test/*.bats against the built file under dash,
# busybox sh and bash. Prints "N passed, N failed, N skipped"; exits 1 on failure. A skipped test
# (a tool or root missing) is not a pass: under CI=true, where everything the suite needs is
# installed, it counts as a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skipped=0
HELPER=$("$here/../build.sh") || { echo "not ok build"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
export HELPER
if "$here/lint.sh" "$HELPER"; then
  pass=$((pass + 1)); echo "ok shellcheck"
else
  fail=$((fail + 1)); echo "not ok shellcheck"
fi
for shell in dash "busybox sh" bash; do
  out=$(HELPER_SH="$shell" bats --tap "$@" "$here"/*.bats 2>&1)
  s=$(printf '%s\n' "$out" | grep -c '^ok .* # skip')
  p=$(( $(printf '%s\n' "$out" | grep -c '^ok ') - s ))
  f=$(printf '%s\n' "$out" | grep -c '^not ok ')
  pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
  echo "# $shell: $p passed, $f failed, $s skipped"
  [ "$f" -eq 0 ] || printf '%s\n' "$out" | awk '/^not ok /{ p = 1 } /^ok /{ p = 0 } p'
  [ "$s" -eq 0 ] || printf '%s\n' "$out" | grep '^ok .* # skip' | sed "s/^/#   skipped under $shell: /"
done
if [ "${CI:-}" = true ] && [ "$skipped" -gt 0 ]; then
  echo "# CI=true: $skipped skipped tests count as failures (install what they need)"
  fail=$((fail + skipped))
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
