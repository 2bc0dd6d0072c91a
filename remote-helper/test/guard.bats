#!/usr/bin/env bats
# src/19-guard.sh: the dead man's switch (guard-arm, -renew, -disarm, -boot).

load common

@test "guard-arm starts a detached guard in its own session that disarm ends" {
  run -0 --separate-stderr h guard-arm --run r1 60
  pid=$(j 'd["data"]["guard"]["pid"]')
  [ "$(j 'd["data"]["guard"]["status"]')" = armed ]
  [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
  run -0 --separate-stderr h guard-arm --run r1 60
  [ "$(j 'd["changed"]')" = false ]
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["guard"]["status"]')" = armed ]
  run -0 --separate-stderr h guard-disarm --run r1
  [ "$(j 'd["changed"]')" = true ]
  [ "$(j 'd["data"]["guard"]["status"]')" = disarmed ]
  ! kill -0 "$pid" 2>/dev/null
}

@test "an armed guard reverts the run after its deadline, and disarm then says it fired" {
  echo orig >"$ROOT/etc/g.conf"
  h file-install --run r1 --target /etc/g.conf <<<"changed" >/dev/null
  run -0 --separate-stderr h guard-arm --run r1 1
  for _ in $(seq 50); do [ "$(cat "$ROOT/etc/g.conf")" = orig ] && break; sleep 0.1; done
  [ "$(cat "$ROOT/etc/g.conf")" = orig ]
  sleep 0.3
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["guard"]["status"]')" = fired ]
  [ "$(j 'd["data"]["guard"]["result"]["ok"]')" = true ]
  run -4 --separate-stderr h guard-disarm --run r1
}

@test "a renewed guard fires at its new deadline, not the old one; a late or unarmed renewal is refused" {
  echo orig >"$ROOT/etc/g.conf"
  h file-install --run r1 --target /etc/g.conf <<<"changed" >/dev/null
  run -4 --separate-stderr h guard-renew --run r1 5
  run -0 --separate-stderr h guard-arm --run r1 3
  # 10 s: the check below, 4 s after the first deadline's start, has 6 s of slack on a loaded machine
  run -0 --separate-stderr h guard-renew --run r1 10
  [ "$(j 'd["changed"]')" = true ] && [ "$(j 'd["data"]["guard"]["fires_in_s"]')" -ge 9 ]
  # renewing to an earlier deadline never brings the guard forward
  run -0 --separate-stderr h guard-renew --run r1 1
  [ "$(j 'd["changed"]')" = false ]
  sleep 4   # past the first deadline: the guard waits for the renewed one
  [ "$(cat "$ROOT/etc/g.conf")" = changed ]
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["guard"]["status"]')" = armed ]
  for _ in $(seq 120); do [ "$(cat "$ROOT/etc/g.conf")" = orig ] && break; sleep 0.1; done
  [ "$(cat "$ROOT/etc/g.conf")" = orig ]
  sleep 0.3
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["guard"]["status"]')" = fired ]
  run -4 --separate-stderr h guard-renew --run r1 60
}

@test "guard-boot fires a guard the host went down with, only from its --to step, and leaves a disarmed one alone" {
  echo orig >"$ROOT/etc/g.conf"; echo keep >"$ROOT/etc/k.conf"
  h file-install --run r1 --step before --target /etc/k.conf <<<"kept" >/dev/null
  h file-install --run r1 --step block --target /etc/g.conf <<<"changed" >/dev/null
  run -0 --separate-stderr h guard-arm --run r1 --to before 600
  pid=$(j 'd["data"]["guard"]["pid"]')
  h file-install --run r2 --target /etc/other.conf <<<"r2" >/dev/null
  h guard-arm --run r2 600 >/dev/null && h guard-disarm --run r2 >/dev/null
  # a reboot: the guard process is gone without having fired
  kill -KILL "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  run -0 --separate-stderr h guard-boot
  [ "$(j '[f["run"] for f in d["data"]["fired"]]')" = '["r1"]' ]
  [ "$(cat "$ROOT/etc/g.conf")" = orig ] && [ "$(cat "$ROOT/etc/k.conf")" = kept ] && [ "$(cat "$ROOT/etc/other.conf")" = r2 ]
  run -0 --separate-stderr h state r1
  [ "$(j 'd["data"]["guard"]["status"]')" = fired ]
  [ "$(j 'd["data"]["guard"]["result"]["ok"]')" = true ]
  # the next boot finds nothing to do
  run -0 --separate-stderr h guard-boot
  [ "$(j 'd["data"]["fired"]')" = '[]' ]
}

@test "guard-arm --to-last guards only what comes after the run's newest record, and says which" {
  echo before-guard >"$ROOT/etc/a.conf"
  echo in-block >"$ROOT/etc/b.conf"
  h file-install --run r1 --target /etc/a.conf <<<"a changed" >/dev/null
  run -0 --separate-stderr h guard-arm --run r1 --to-last 600
  [ "$(j 'd["data"]["guard"]["revert_to"]')" = 1 ]
  pid=$(j 'd["data"]["guard"]["pid"]')
  h file-install --run r1 --target /etc/b.conf <<<"b changed" >/dev/null
  # fired as after a reboot (guard-boot: at once, not at a deadline a loaded machine could race)
  kill -KILL "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  run -0 --separate-stderr h guard-boot
  [ "$(cat "$ROOT/etc/b.conf")" = in-block ]
  [ "$(cat "$ROOT/etc/a.conf")" = "a changed" ]
  run -2 --separate-stderr h guard-arm --run r2 --to 1 --to-last 60
  run -0 --separate-stderr h guard-arm --run r3 --to-last 60
  [ "$(j 'd["data"]["guard"]["revert_to"]')" = 0 ]
  h guard-disarm --run r3 >/dev/null
}

@test "guard-arm refuses a --to step the run does not have" {
  run -3 --separate-stderr h guard-arm --run r1 --to no-such-step 60
  [ ! -e "$STATE/runs/r1/guard" ]
}

@test "guard-disarm will not kill a process that merely reuses the guard's pid file" {
  run -0 --separate-stderr h guard-arm --run r1 60
  pid=$(j 'd["data"]["guard"]["pid"]')
  sleep 60 & other=$!
  read -r _ st dl tok to <"$STATE/runs/r1/guard"
  printf '%s %s %s %s %s\n' "$other" "$st" "$dl" "$tok" "$to" >"$STATE/runs/r1/guard"
  run -4 --separate-stderr h guard-disarm --run r1
  kill -0 "$other"
  kill "$other" "$pid"
}
