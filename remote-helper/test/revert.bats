#!/usr/bin/env bats
# src/04-undo-log.sh and src/20-revert.sh: revert, a full state dir, a corrupted undo log.

load common

@test "revert restores every file byte for byte, removes new ones, and can be re-run" {
  printf 'a\0b\nc' >"$ROOT/etc/one.conf"; cp "$ROOT/etc/one.conf" "$BATS_TEST_TMPDIR/one.orig"
  cp "$ROOT/etc/resolv.conf" "$BATS_TEST_TMPDIR/resolv.orig"
  h file-install --run r1 --step s1 --target /etc/one.conf <<<"first" >/dev/null
  h file-install --run r1 --step s2 --target /etc/one.conf <<<"second" >/dev/null
  h file-install --run r1 --step s3 --target /etc/new.conf <<<"brand new" >/dev/null
  h resolv-install --run r1 --step s4 <<<"nameserver 127.0.0.1" >/dev/null
  run -0 --separate-stderr h revert r1
  one_json
  [ "$(j 'len(d["data"]["undone"])')" = 4 ]
  cmp "$ROOT/etc/one.conf" "$BATS_TEST_TMPDIR/one.orig"
  cmp "$ROOT/etc/resolv.conf" "$BATS_TEST_TMPDIR/resolv.orig"
  [ ! -e "$ROOT/etc/new.conf" ]
  run -0 --separate-stderr h revert r1
  [ "$(j 'd["changed"]')" = false ]
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["applied"]')" = 0 ]
}

@test "revert with the state dir full still undoes every record, and fails loudly if it cannot record that" {
  [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip "needs root and unshare (a tmpfs in a private mount namespace)"
  echo one >"$ROOT/etc/one.conf"; echo two >"$ROOT/etc/two.conf"
  h file-install --run r1 --step s1 --target /etc/one.conf <<<"changed one" >/dev/null
  h file-install --run r1 --step s2 --target /etc/two.conf <<<"changed two" >/dev/null
  cp -a "$STATE" "$BATS_TEST_TMPDIR/state.copy"
  # The state dir becomes a small tmpfs holding the same files, filled to the last byte.
  run unshare -m sh -c 'mount -t tmpfs -o size=256k tmpfs "$1" && cp -a "$2/." "$1/" &&
      { dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$1/fill2" bs=1 2>/dev/null; true; } &&
      $3 "$4" --state-dir "$1" revert r1' sh "$STATE" "$BATS_TEST_TMPDIR/state.copy" "$HELPER_SH" "$HELPER"
  [ "$(cat "$ROOT/etc/one.conf")" = one ]
  [ "$(cat "$ROOT/etc/two.conf")" = two ]
  json=$(printf '%s\n' "$output" | grep '^{')
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert len(d["data"]["undone"]) == 2 or d["data"]["failed"] > 0, d' "$json"
  # it never claims success without having undone both records
  [ "$status" -ne 0 ] || python3 -c 'import json,sys; assert len(json.loads(sys.argv[1])["data"]["undone"]) == 2' "$json"
}

@test "a full state dir: a change is made only with its undo record (reserved room), else refused before it is made" {
  [ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip "needs root and unshare (a tmpfs in a private mount namespace)"
  echo one >"$ROOT/etc/one.conf"; echo three >"$ROOT/etc/three.conf"
  # one.conf with room to spare; the disk filled to the last byte; new.conf (no backup needed) is
  # recorded in the reserved room; three.conf's backup finds no room, and a new run no room for
  # its log: both refused, three.conf unchanged; revert, on the still-full disk, undoes and
  # records both changes
  run unshare -m sh -c 'mount -t tmpfs -o size=256k tmpfs "$1" || exit 9
      echo "changed one" | $2 "$3" --state-dir "$1" file-install --run r1 --step s1 --target /etc/one.conf >/dev/null || exit 10
      { dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$1/fill2" bs=1 2>/dev/null; true; }
      echo "new" | $2 "$3" --state-dir "$1" file-install --run r1 --step s2 --target /etc/new.conf >/dev/null || exit 11
      echo "changed three" | $2 "$3" --state-dir "$1" file-install --run r1 --step s3 --target /etc/three.conf && exit 12
      echo "changed three" | $2 "$3" --state-dir "$1" file-install --run r2 --step s1 --target /etc/three.conf && exit 13
      $2 "$3" --state-dir "$1" revert r1' sh "$STATE" "$HELPER_SH" "$HELPER"
  [ "$status" -eq 0 ]
  [[ "$output" == *'{"ok":false,"changed":false,"data":{"target":"/etc/three.conf"'* ]]
  # a run with no room set aside yet is refused before its first change
  [[ "$output" == *"no room for the undo log in $STATE/runs/r2 (disk full?); nothing was changed"* ]]
  [ "$(cat "$ROOT/etc/one.conf")" = one ]
  [ "$(cat "$ROOT/etc/three.conf")" = three ]
  [ ! -e "$ROOT/etc/new.conf" ]
  json=$(printf '%s\n' "$output" | grep '^{"ok":true' | tail -n 1)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert len(d["data"]["undone"]) == 2 and d["data"]["failed"] == 0, d' "$json"
}

@test "a corrupted undo log: revert skips junk, undoes what it knows, and fails loudly on the rest" {
  echo orig >"$ROOT/etc/one.conf"
  h file-install --run r1 --step s1 --target /etc/one.conf <<<"new" >/dev/null
  printf 'garbage\tline\n\377\001junk\n7\tstep\tunknown-act\tx\n' >>"$STATE/runs/r1/undo.log"
  run -0 --separate-stderr h state r1
  one_json
  run -4 --separate-stderr h revert r1
  one_json
  [ "$(cat "$ROOT/etc/one.conf")" = orig ]
  [ "$(j 'd["data"]["failed"]')" = 1 ]
  [[ "$stderr" == *"record 7 (unknown-act x) failed"* ]]
}

@test "revert --to STEP undoes only what came after that step" {
  echo orig >"$ROOT/etc/one.conf"
  h file-install --run r1 --step install --target /etc/one.conf <<<"v1" >/dev/null
  h file-install --run r1 --step swap --target /etc/one.conf <<<"v2" >/dev/null
  run -0 --separate-stderr h revert r1 --to install
  [ "$(cat "$ROOT/etc/one.conf")" = v1 ]
  run -0 --separate-stderr h state r1
  [ "$(j '[r["applied"] for r in d["data"]["records"]]')" = '[true, false]' ]
  run -3 --separate-stderr h revert r1 --to no-such-step
}
