#!/usr/bin/env bats
# src/10-file-install.sh: file-install, its backups and undo records.

load common

@test "file-install creates a file from stdin, verified, with an undo record" {
  run -0 --separate-stderr h file-install --run r1 --target /etc/bind/named.conf.options --mode 0640 <<<"options { };"
  one_json
  [ "$(j 'd["changed"]')" = true ]
  [ "$(j 'd["data"]["verified"]')" = true ]
  [ "$(cat "$ROOT/etc/bind/named.conf.options")" = "options { };" ]
  [ "$(stat -c %a "$ROOT/etc/bind/named.conf.options")" = 640 ]
  [ "$(j 'd["data"]["sha256"]')" = "$(sha256sum "$ROOT/etc/bind/named.conf.options" | cut -d' ' -f1)" ]
}

@test "file-install of identical content is changed:false and adds no undo record" {
  echo same >"$ROOT/etc/x.conf"
  run -0 --separate-stderr h file-install --run r1 --target /etc/x.conf <<<"same"
  [ "$(j 'd["changed"]')" = false ]
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["applied"]')" = 0 ]
}

@test "file-install keeps owner and mode of an existing file and backs it up" {
  echo old >"$ROOT/etc/x.conf"; chmod 0604 "$ROOT/etc/x.conf"; chown 1:1 "$ROOT/etc/x.conf"
  run -0 --separate-stderr h file-install --run r1 --target /etc/x.conf <<<"new"
  [ "$(stat -c %a:%u:%g "$ROOT/etc/x.conf")" = 604:1:1 ]
  [ "$(cat "$(j 'd["data"]["backup"]')")" = old ]
}

@test "file-install refuses content whose sha256 does not match (exit 4) and leaves the file" {
  echo old >"$ROOT/etc/x.conf"
  run -4 --separate-stderr h file-install --run r1 --target /etc/x.conf --sha256 "$(printf '%064d' 0)" <<<"new"
  [ "$(cat "$ROOT/etc/x.conf")" = old ]
}

@test "file-install takes content from --source" {
  echo fromfile >"$BATS_TEST_TMPDIR/src"
  run -0 --separate-stderr h file-install --run r1 --target /etc/y.conf --source "$BATS_TEST_TMPDIR/src"
  [ "$(cat "$ROOT/etc/y.conf")" = fromfile ]
}

@test "file-install writes through a symlink in place and keeps the link" {
  mkdir -p "$ROOT/etc/real"; echo old >"$ROOT/etc/real/resolv"
  ln -s "$ROOT/etc/real/resolv" "$ROOT/etc/linked.conf"
  ino=$(stat -c %i "$ROOT/etc/real/resolv")
  run -0 --separate-stderr h file-install --run r1 --target /etc/linked.conf <<<"new"
  [ "$(j 'd["data"]["kind"]')" = symlink ]
  [ "$(j 'd["data"]["in_place"]')" = true ]
  [ -L "$ROOT/etc/linked.conf" ]
  [ "$(cat "$ROOT/etc/real/resolv")" = new ]
  [ "$(stat -c %i "$ROOT/etc/real/resolv")" = "$ino" ]
}

@test "file-install refuses a symlink that leads outside the allowed roots" {
  mkdir -p "$ROOT/tmp"; echo x >"$ROOT/tmp/target"
  ln -s "$ROOT/tmp/target" "$ROOT/etc/evil.conf"
  run -3 --separate-stderr h file-install --run r1 --target /etc/evil.conf <<<"new"
  [ "$(cat "$ROOT/tmp/target")" = x ]
}
