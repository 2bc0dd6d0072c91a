#!/usr/bin/env bats
# src/22-serve.sh: calls served one after another by one helper process, each as its own run would answer.
load common

T=tok0123456789abcdef

# call WORDS STDIN: one served call's request as the controller writes it
call() { printf '%s\n%s\n%s%s' "$1" "$(printf '%s' "$2" | wc -c)" "$2" "$T"; }
serve() { $HELPER_SH "$HELPER" --state-dir "$STATE" serve "$T"; }
# answers: stdout of the serve split at its end markers, one python list item per call
answers() { python3 -c 'import sys,re; print(repr(re.split(r"\n'"$T"' end \d+\n", sys.stdin.read())))'; }

@test "serve answers each call like a run of its own, stdin byte for byte, status and end marker after each" {
  content=$'options { };\n\n\tlast line without newline'
  run -0 --separate-stderr serve < <(call "file-install --run r1 --target /etc/x.conf" "$content"; call "version" ""; call "file-read /etc/x.conf" "")
  [ "${lines[0]}" = "$T ready" ]
  [[ "${lines[1]}" =~ ^$T\ pid\ [0-9]+$ ]]
  [ "$(printf '%s' "$content")" = "$(cat "$ROOT/etc/x.conf")" ]
  cmp <(printf '%s' "$content") "$ROOT/etc/x.conf"
  [ "$(grep -c "^$T end 0\$" <<<"$output")" = 3 ]
  grep -q '"version":"' <<<"$output"
  # the third call read back what the first wrote, exactly
  python3 - "$output" "$content" <<'PY'
import json, sys
out, want = sys.argv[1], sys.argv[2]
reads = [json.loads(l) for l in out.splitlines() if l.startswith('{') and '"files"' in l]
assert reads[-1]["data"]["files"][0]["content"] == want, reads
PY
  [ "$(grep -c "^$T end\$" <<<"$stderr")" = 3 ]
}

@test "a failing call ends only itself: its status is reported, its stderr is its own, the next call runs with fresh globals" {
  run -0 --separate-stderr serve < <(call "file-read --help" ""; call "version" "")
  grep -q "^$T end 2\$" <<<"$output"
  grep -q "^$T end 0\$" <<<"$output"
  # the version answer carries nothing of the failed call's data or changed flag
  grep '"version"' <<<"$output" | grep -q '^{"ok":true,"changed":false,"data":{"version"'
  # stderr: the usage message before the first end marker, nothing before the second
  python3 - "$stderr" "$T" <<'PY'
import sys
err, t = sys.argv[1], sys.argv[2]
parts = err.split(t + " end")
assert "usage" in parts[0] and parts[1].strip() == "" and len(parts) == 3, parts
PY
}

@test "a call whose stdin is cut short never runs, and the serve stops" {
  run -2 --separate-stderr serve < <(printf 'file-install --run r1 --target /etc/cut.conf\n100\nonly a few bytes')
  [ ! -e "$ROOT/etc/cut.conf" ]
  grep -q "ended early" <<<"$output"
}

@test "a call's length line must be a number" {
  run -2 --separate-stderr serve < <(printf 'version\nten\n')
  grep -q "must follow its words" <<<"$output"
}

@test "serve refuses a token that is not one word of letters and digits" {
  run -2 --separate-stderr $HELPER_SH "$HELPER" --state-dir "$STATE" serve 'a b'
  grep -q "serve TOKEN" <<<"$output"
}

@test "each served call reports the pid of its own process, gone once it answered" {
  run -0 --separate-stderr serve < <(call "state r1" ""; call "state r1" "")
  pids=$(sed -n "s/^$T pid //p" <<<"$output")
  [ "$(wc -l <<<"$pids")" = 2 ]
  [ "$(sort -u <<<"$pids" | wc -l)" = 2 ]
  for p in $pids; do [ ! -e "/proc/$p" ]; done
}
