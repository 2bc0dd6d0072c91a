#!/usr/bin/env bats
# src/02-validation.sh and the output of a refusal (src/01-output.sh): usage errors, hostile arguments, paths.

load common

@test "an unknown subcommand is a usage error with one JSON object" {
  run -2 --separate-stderr h frobnicate --run r1
  one_json
  [ "$(j 'd["ok"]')" = false ]
  [ "$(j 'd["error"]')" = "usage: unknown subcommand: frobnicate" ]
}

@test "hostile arguments are refused as usage errors and never run" {
  hostile=('$(touch '"$CANARY"')' '`touch '"$CANARY"'`' 'a;touch '"$CANARY" 'a
touch '"$CANARY" '--run' '-x' 'ça' '../../etc' 'a b' "a'b" 'a"b' 'a\b' "$(printf 'a\tb')")
  for v in "${hostile[@]}"; do
    for args in "lock --owner" "state" "revert" "file-install --target /etc/x --run" "refresh --run r1" "fw-ban --run r1" \
                "capture-verify --run r1 --qname" "guard-arm --run r1" "facts --proc" "trigger --host"; do
      # an owner may legitimately contain "/", "." and spaces
      case "$args:$v" in "lock --owner:../../etc"|"lock --owner:a b") continue ;; esac
      # shellcheck disable=SC2086
      run --separate-stderr h $args "$v"
      [ "$status" -eq 2 ] || { echo "not refused: $args '$v' -> $status $output"; return 1; }
      one_json
    done
    case $v in -*) continue ;; esac # "/etc/--run" is merely an odd file name
    run --separate-stderr h file-install --run r1 --target "/etc/$v" </dev/null
    [ "$status" -eq 2 ] || { echo "target not refused: '$v'"; return 1; }
  done
  [ ! -e "$CANARY" ]
}

@test "error messages are valid JSON even with quotes, backslashes, control characters and UTF-8" {
  for v in 'say "hi"' 'back\slash' "$(printf 'bell\a tab\t cr\r')" 'line1
line2' 'ünïcødé ✓' "$(printf '\001\037')"; do
    run -2 --separate-stderr h state "$v"
    one_json
    [ "$(j 'd["error"]')" = "usage: state RUN" ] || [[ "$(j 'd["error"]')" == *"$v"* ]] || true
  done
  run -2 --separate-stderr h lock --owner 'x"y\z ü'
  one_json
  python3 -c 'import json,sys; e=json.loads(sys.argv[1])["error"]; assert "x\"y\\z ü" in e, e' "$output"
}

@test "paths outside the allowed roots and paths with .. are refused" {
  for t in /tmp/x /root/.ssh/authorized_keys /etc/../root/x /etc/./x etc/x /etc/; do
    run -2 --separate-stderr h file-install --run r1 --target "$t" </dev/null
  done
}
