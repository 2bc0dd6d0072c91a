# --------------------------------------------------------------- guard -----

self_abs() {
  case $SELF in /*) printf '%s' "$SELF" ;; */*) printf '%s/%s' "$(cd "${SELF%/*}" && pwd)" "${SELF##*/}" ;; *) command -v "$SELF" ;; esac
}
guard_file() { printf '%s/guard' "$(run_dir "$1")"; }
# guard_read RUN: sets G_PID G_START G_DEADLINE G_TOKEN G_TO; 1 if none
guard_read() {
  G_PID='' G_START='' G_DEADLINE='' G_TOKEN='' G_TO=''
  [ -s "$(guard_file "$1")" ] || return 1
  read -r G_PID G_START G_DEADLINE G_TOKEN G_TO <"$(guard_file "$1")"
  # damaged: a guard that cannot be identified is not alive (status vanished)
  is_uint "$G_PID" && is_uint "$G_START" && is_uint "$G_DEADLINE" || G_PID='' G_START='' G_DEADLINE=''
  is_run_id "$G_TOKEN" || G_TOKEN=''
  is_run_id "$G_TO" || G_TO=''
  return 0
}
guard_alive() { # guard_alive RUN: the recorded guard process is still that process
  [ -n "$G_PID" ] && [ -n "$G_TOKEN" ] && [ "$(proc_start "$G_PID")" = "$G_START" ] &&
    proc_cmdline "$G_PID" | grep -q "guard-wait --run $1 --token $G_TOKEN"
}
# guard_revert RUN TO: what a guard does when it fires (at its deadline, or at boot): revert RUN,
# from undo record TO on ("-" or empty: all of it), the result kept in guard.result
guard_revert() {
  if [ -z "$2" ] || [ "$2" = - ]; then "$(self_abs)" --state-dir "$STATE_DIR" revert "$1" >"$(run_dir "$1")/guard.result"
  else "$(self_abs)" --state-dir "$STATE_DIR" revert "$1" --to "$2" >"$(run_dir "$1")/guard.result"; fi
}
guard_json() { # guard_json RUN
  local st=none
  if [ -d "$(run_dir "$1")/guard.fired" ]; then st=fired
  elif [ -d "$(run_dir "$1")/guard.disarmed" ]; then st=disarmed
  elif guard_read "$1"; then if guard_alive "$1"; then st=armed; else st=vanished; fi; fi
  guard_read "$1" || true
  printf '{"status":"%s","pid":%s,"deadline":%s,"fires_in_s":%s,"revert_to":%s,"result":%s}' "$st" "${G_PID:-null}" "${G_DEADLINE:-null}" \
    "$( [ "$st" = armed ] && echo $((G_DEADLINE - $(now))) || echo null)" \
    "$( [ -n "$G_TO" ] && json_str "$G_TO" || echo null)" \
    "$( [ -s "$(run_dir "$1")/guard.result" ] && head -n 1 "$(run_dir "$1")/guard.result" || echo null)"
}

# A reboot ends the guard process with the block half done (the alternate forwarders on disk, say),
# and nothing would revert it. Under systemd, an armed guard therefore also leaves a boot unit that
# runs `guard-boot` early at the next boot, before named; the unit is removed once no guard of this
# state dir is armed. Written as plain files (no daemon-reload: only the next boot reads it).
BOOT_UNIT=cutover-guard-boot.service
boot_unit_path() { printf '/etc/systemd/system/%s' "$BOOT_UNIT"; }
boot_unit_link() { printf '/etc/systemd/system/multi-user.target.wants/%s' "$BOOT_UNIT"; }
boot_unit_install() {
  [ "$(init_system "$(pid1_comm)")" = systemd ] || return 0
  [ -f "$(boot_unit_path)" ] && [ -L "$(boot_unit_link)" ] && return 0
  mkdir -p "$(dirname "$(boot_unit_link)")" &&
  printf '%s\n' "# Written by cutover-helper while a guarded block runs; removed when it ends." \
    "[Unit]" "Description=cutover: revert a guarded block a reboot interrupted" \
    "After=local-fs.target" "Before=named.service bind9.service nss-lookup.target network-online.target" \
    "[Service]" "Type=oneshot" "ExecStart=/bin/sh $(self_abs) --state-dir $STATE_DIR guard-boot" \
    "[Install]" "WantedBy=multi-user.target" >"$(boot_unit_path).tmp" &&
  mv -f "$(boot_unit_path).tmp" "$(boot_unit_path)" && ln -sf "$(boot_unit_path)" "$(boot_unit_link)" ||
    die 1 "cannot write $(boot_unit_path) (the guard would not survive a reboot)"
}
# boot_unit_remove_if_idle: no guard of this state dir is armed any more
boot_unit_remove_if_idle() {
  local d r
  [ -f "$(boot_unit_path)" ] || [ -L "$(boot_unit_link)" ] || return 0
  for d in "$STATE_DIR"/runs/*/; do
    [ -f "${d}guard" ] || continue
    r=${d%/}; r=${r##*/}
    [ -d "${d}guard.fired" ] || [ -d "${d}guard.disarmed" ] || { guard_read "$r" && guard_alive "$r" && return 0; }
  done
  rm -f "$(boot_unit_link)" "$(boot_unit_path)"
}

# Usage: cutover-helper guard-boot
# At boot (the unit guard-arm leaves under systemd): every guard that was armed when the host went
# down fires now, reverting its block as it would have at its deadline; then the unit is removed.
cmd_guard_boot() {
  local d r rd items='' res
  [ $# -eq 0 ] || usage "guard-boot takes no arguments"
  for d in "$STATE_DIR"/runs/*/; do
    [ -f "${d}guard" ] || continue
    r=${d%/}; r=${r##*/}; rd=${d%/}
    is_run_id "$r" || continue
    [ -d "$rd/guard.disarmed" ] && continue
    guard_read "$r" || continue
    guard_alive "$r" && continue
    mkdir "$rd/guard.fired" 2>/dev/null || continue
    log "run $r: its guard was armed when the host went down: reverting${G_TO:+ to $G_TO} now"
    guard_revert "$r" "$G_TO"
    res=$?
    items="${items:+$items,}{\"run\":$(json_str "$r"),\"revert_exit\":$res}"
    CHANGED=true
  done
  boot_unit_remove_if_idle
  d_raw fired "[$items]"
  ok
}

# Usage: cutover-helper guard-arm --run RUN [--to STEP | --to-last] SECONDS
# Arm the dead man's switch: a detached process (own session, survives the SSH
# session and the controller) that runs `revert RUN [--to STEP]` SECONDS from
# now unless disarmed; under systemd also at the next boot if the host goes down
# first (guard-boot). --to-last: STEP is the run's newest undo record (0: none),
# so the guard reverts only what comes after this call; data.guard.revert_to says
# which (the controller needs no `state` call first). Arming an armed guard is ok,
# changed:false.
cmd_guard_arm() {
  local secs='' to=- last=false deadline token self n=0 rd
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --to) need_arg "$@"; is_run_id "$2" || usage "bad step: $2"; to=$2; shift 2 ;;
      --to-last) last=true; shift ;;
      -*) usage "guard-arm: unknown option: $1" ;;
      *) [ -z "$secs" ] && is_uint "$1" && [ "$1" -gt 0 ] && [ "$1" -le 86400 ] || usage "bad deadline seconds: $1"; secs=$1; shift ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$secs" ] || usage "guard-arm --run RUN [--to STEP | --to-last] SECONDS"
  if [ "$last" = true ]; then
    [ "$to" = - ] || usage "guard-arm: --to and --to-last exclude each other"
    to=$(( $(next_seq "$RUN") - 1 ))
  fi
  need setsid
  self=$(self_abs)
  [ -f "$self" ] || die 3 "the guard needs the helper as a file (it was streamed)"
  ensure_run_dir "$RUN"
  rd=$(run_dir "$RUN")
  # a guard that cannot find its --to step at the deadline would revert nothing
  if [ "$to" != - ] && ! is_uint "$to"; then
    awk -F '\t' -v s="$to" '$1 ~ /^[0-9]+$/ && $2 == s { f = 1 } END { exit !f }' "$(undo_log "$RUN")" 2>/dev/null ||
      die 3 "run $RUN has no record of step $to to revert to"
  fi
  if guard_read "$RUN" && guard_alive "$RUN"; then d_raw guard "$(guard_json "$RUN")"; ok; fi
  rm -rf "$rd/guard.fired" "$rd/guard.disarmed" "$rd/guard.result" "$(guard_file "$RUN")"
  boot_unit_install
  deadline=$(( $(now) + secs ))
  token="$(now_ms)-$$"
  setsid sh "$self" --state-dir "$STATE_DIR" guard-wait --run "$RUN" --token "$token" --deadline "$deadline" --to "$to" \
    </dev/null >>"$rd/guard.log" 2>&1 &
  while ! guard_read "$RUN" && [ $n -lt 200 ]; do sleep 0.01; n=$((n + 1)); done
  guard_alive "$RUN" || die 1 "the guard process did not start (see $rd/guard.log)"
  CHANGED=true
  d_raw guard "$(guard_json "$RUN")"
  ok
}

# Usage: cutover-helper guard-renew --run RUN SECONDS
# A controller that is alive and making progress moves the armed guard's deadline to SECONDS from
# now (never earlier than it is), so that a slow but live rollout is not reverted under it, while
# a controller that dies or loses its link is still reverted at most SECONDS after its last renewal.
# Exit 4 if no guard of RUN is armed, or if its deadline is less than a second away: the guard
# process reads its deadline once a second, and a renewal that late could come after it fired.
cmd_guard_renew() {
  local secs='' deadline
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      -*) usage "guard-renew: unknown option: $1" ;;
      *) [ -z "$secs" ] && is_uint "$1" && [ "$1" -gt 0 ] && [ "$1" -le 86400 ] || usage "bad deadline seconds: $1"; secs=$1; shift ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$secs" ] || usage "guard-renew --run RUN SECONDS"
  guard_read "$RUN" && guard_alive "$RUN" && [ ! -d "$(run_dir "$RUN")/guard.fired" ] ||
    die 4 "run $RUN has no armed guard to renew: $(guard_json "$RUN")"
  [ $(( G_DEADLINE - $(now) )) -ge 1 ] || die 4 "the guard of run $RUN fires in under a second: too late to renew it"
  deadline=$(( $(now) + secs ))
  if [ "$deadline" -gt "$G_DEADLINE" ]; then
    printf '%s %s %s %s %s\n' "$G_PID" "$G_START" "$deadline" "$G_TOKEN" "${G_TO:--}" >"$(guard_file "$RUN").tmp" &&
      mv -f "$(guard_file "$RUN").tmp" "$(guard_file "$RUN")" || die 1 "cannot write the guard file of run $RUN"
    CHANGED=true
  fi
  d_raw guard "$(guard_json "$RUN")"
  ok
}

# guard-wait (internal): the guard process itself
cmd_guard_wait() {
  local token='' deadline='' to=- rd left
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --token) need_arg "$@"; token=$2; shift 2 ;;
      --deadline) need_arg "$@"; is_uint "$2" || usage "bad deadline"; deadline=$2; shift 2 ;;
      --to) [ $# -ge 2 ] || usage "--to needs a value"; to=$2; shift 2 ;;
      *) usage "guard-wait: unknown argument: $1" ;;
    esac
  done
  trap '' HUP INT
  rd=$(run_dir "$RUN")
  printf '%s %s %s %s %s\n' "$$" "$(proc_start "$$")" "$deadline" "$token" "$to" >"$(guard_file "$RUN").tmp" &&
    mv -f "$(guard_file "$RUN").tmp" "$(guard_file "$RUN")"
  while :; do
    # guard-renew moves the deadline in the guard file while the controller makes progress
    guard_read "$RUN" && [ "$G_TOKEN" = "$token" ] && [ -n "$G_DEADLINE" ] && deadline=$G_DEADLINE
    left=$(( deadline - $(now) ))
    [ "$left" -gt 0 ] || break
    sleep 1
  done
  # whoever creates guard.fired/guard.disarmed first wins against disarm
  mkdir "$rd/guard.fired" 2>/dev/null || exit 0
  [ -d "$rd/guard.disarmed" ] && exit 0
  log "guard for run $RUN fired at $(now): reverting${to:+ to $to}"
  guard_revert "$RUN" "$to"
  G_PID=; boot_unit_remove_if_idle
  exit 0
}

# Usage: cutover-helper guard-disarm --run RUN
# Disarm the guard: ends exactly the recorded guard process (PID, start time
# and command line checked). Exit 4 if the guard already fired (data.guard.result
# holds its revert) or vanished. Disarming with no guard is ok, changed:false.
cmd_guard_disarm() {
  local rd n=0
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      *) usage "guard-disarm: unknown argument: $1" ;;
    esac
  done
  [ -n "$RUN" ] || usage "guard-disarm --run RUN"
  rd=$(run_dir "$RUN")
  guard_read "$RUN" || { d_raw guard "$(guard_json "$RUN")"; ok; }
  [ -d "$rd/guard.disarmed" ] && { d_raw guard "$(guard_json "$RUN")"; ok; }
  if ! mkdir "$rd/guard.disarmed" 2>/dev/null || [ -d "$rd/guard.fired" ]; then
    rmdir "$rd/guard.disarmed" 2>/dev/null
    d_raw guard "$(guard_json "$RUN")"; die 4 "the guard already fired: the block was reverted"
  fi
  if guard_alive "$RUN"; then
    kill -TERM -- "-$G_PID" 2>/dev/null || kill -TERM "$G_PID"
    while [ "$(proc_start "$G_PID")" = "$G_START" ] && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
    [ "$(proc_start "$G_PID")" != "$G_START" ] || die 1 "guard process $G_PID did not end"
    CHANGED=true
    boot_unit_remove_if_idle
  else
    d_raw guard "$(guard_json "$RUN")"
    [ -n "$G_PID" ] || die 4 "the guard file of run $RUN is corrupt: no guard can be confirmed (treat the block as unguarded)"
    die 4 "the guard process $G_PID vanished before it was disarmed"
  fi
  d_raw guard "$(guard_json "$RUN")"
  ok
}

