#!/usr/bin/env bats
# src/03-environment.sh: the test root marker, where the helper may run from.

load common

@test "CUTOVER_ROOT without the test marker is refused" {
  mkdir -p "$BATS_TEST_TMPDIR/nomarker"
  CUTOVER_ROOT="$BATS_TEST_TMPDIR/nomarker" run -2 --separate-stderr h version
  CUTOVER_ROOT=/ run -2 --separate-stderr h version
}

@test "the helper refuses to run from a world-writable file or directory" {
  mkdir -p "$BATS_TEST_TMPDIR/open" "$BATS_TEST_TMPDIR/closed"
  cp "$HELPER" "$BATS_TEST_TMPDIR/open/cutover-helper"; chmod 0777 "$BATS_TEST_TMPDIR/open"
  run -3 --separate-stderr $HELPER_SH "$BATS_TEST_TMPDIR/open/cutover-helper" --state-dir "$STATE" version
  [[ "$stderr" == *"world-writable location: $BATS_TEST_TMPDIR/open"* ]]
  cp "$HELPER" "$BATS_TEST_TMPDIR/closed/cutover-helper"; chmod 0755 "$BATS_TEST_TMPDIR/closed"
  chmod 0666 "$BATS_TEST_TMPDIR/closed/cutover-helper"
  run -3 --separate-stderr $HELPER_SH "$BATS_TEST_TMPDIR/closed/cutover-helper" --state-dir "$STATE" state r1
  [[ "$stderr" == *"world-writable location: $BATS_TEST_TMPDIR/closed/cutover-helper"* ]]
  [ ! -e "$STATE/runs" ]
  chmod 0700 "$BATS_TEST_TMPDIR/closed/cutover-helper"
  run -0 --separate-stderr $HELPER_SH "$BATS_TEST_TMPDIR/closed/cutover-helper" --state-dir "$STATE" version
  one_json
  # streamed to sh -s there is no file to distrust
  run -0 --separate-stderr sh -c "$HELPER_SH -s -- version <'$BATS_TEST_TMPDIR/open/cutover-helper'"
}
