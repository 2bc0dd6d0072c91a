# ------------------------------------------------------------- service -----
# named under the host's service manager. A daemon started by hand is gone after a reboot or a
# crash, and a host whose resolv.conf says 127.0.0.1 then has no DNS at all: under systemd, named is
# enabled and supervised; without a service manager (containers, the lab's namespace hosts) it is
# started by hand as before; an init system cutover does not drive is refused.

# pid1_comm: the name of PID 1 (a test root may stand in ROOT/proc/1/comm for it)
pid1_comm() {
  local c=''
  if [ -n "$ROOT" ] && [ -f "$ROOT/proc/1/comm" ]; then read -r c <"$ROOT/proc/1/comm"
  else read -r c </proc/1/comm 2>/dev/null; fi
  printf '%s' "$c"
}
# init_system PID1: systemd | none (no service manager: a shell or a container's init) | unknown.
# systemd only when PID 1 is systemd and it booted the host (sd_booted: /run/systemd/system): a
# namespace host on a systemd machine sees that directory but its PID 1 is a shell. Never under a
# test root, so a test cannot make the helper drive the machine's own systemd.
init_system() {
  case $1 in
    systemd) if [ -z "$ROOT" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo systemd; else echo unknown; fi ;;
    sh|bash|dash|ash|busybox|tini|tini-static|dumb-init|docker-init|catatonit) echo none ;;
    *) echo unknown ;;
  esac
}

# unit_show UNIT: the properties cutover reads, Key=Value per line (in systemd's order)
unit_show() { systemctl show -p Id,LoadState,UnitFileState,ActiveState,SubState,Restart,MainPID -- "$1" 2>/dev/null; }
# prop SHOW KEY: one property's value from unit_show's output
prop() { printf '%s\n' "$1" | sed -n "s/^$2=//p" | head -n 1; }
# bind_unit: the unit that runs named, aliases resolved (its Id): named.service on Debian 12/13 and
# Debian 11's updates, bind9.service on older releases; empty when neither is loaded or masked
bind_unit() {
  local u s
  for u in named.service bind9.service; do
    s=$(unit_show "$u")
    case $(prop "$s" LoadState) in loaded|masked) prop "$s" Id; return 0 ;; esac
  done
}
# restarts RESTART: systemd restarts the daemon when it dies (SIGKILL, a crash, a fatal exit).
# on-abnormal/on-abort miss a fatal exit with an error status, so they get the drop-in too.
restarts() { case $1 in always|on-failure) return 0 ;; esac; return 1; }
# The drop-in that makes systemd restart named; named zz- so it sorts after the admin's own.
restart_dropin() { printf '%s/%s.d/zz-cutover-restart.conf' /etc/systemd/system "$1"; }
restart_dropin_content() {
  printf '# Written by cutover-helper: systemd restarts named if it dies (removed by cutover-helper revert).\n[Service]\nRestart=on-failure\nRestartSec=1s\n'
}

# service_json UNIT: the unit's state for facts and bind-start's data
service_json() {
  local s
  s=$(unit_show "$1")
  printf '{"unit":%s,"load_state":%s,"unit_file_state":%s,"active_state":%s,"sub_state":%s,"restart":%s,"restarts":%s,"main_pid":%s,"restart_drop_in":%s}' \
    "$(json_str "$1")" "$(json_str "$(prop "$s" LoadState)")" "$(json_str "$(prop "$s" UnitFileState)")" \
    "$(json_str "$(prop "$s" ActiveState)")" "$(json_str "$(prop "$s" SubState)")" "$(json_str "$(prop "$s" Restart)")" \
    "$(restarts "$(prop "$s" Restart)" && echo true || echo false)" "$(prop "$s" MainPID | grep -E '^[0-9]+$' || echo null)" \
    "$( [ -f "$(restart_dropin "$1")" ] && echo true || echo false)"
}

# wait_named SECONDS: until named listens on 127.0.0.1:53 (or the time is up); sets NAMED_PID
wait_named() {
  local t=0
  while [ $t -lt $(($1 * 10)) ]; do
    scan_procs; NAMED_PID=$(pids_of named | head -n 1)
    [ -n "$NAMED_PID" ] && grep -q ' 0100007F:0035 ' /proc/net/udp 2>/dev/null && return 0
    sleep 0.1; t=$((t + 1))
  done
  return 1
}

# unit_enable_start RUN STEP UNIT: UNIT enabled and active (a oneshot with RemainAfterExit counts),
# with the same exact undo as named's unit (service-restore, no drop-in)
unit_enable_start() {
  local run="$1" step="$2" unit="$3" s fstate astate
  s=$(unit_show "$unit")
  [ "$(prop "$s" LoadState)" = loaded ] || die 3 "systemd does not know $unit (LoadState=$(prop "$s" LoadState))"
  fstate=$(prop "$s" UnitFileState) astate=$(prop "$s" ActiveState)
  d_raw previous "{\"unit_file_state\":$(json_str "$fstate"),\"active_state\":$(json_str "$astate")}"
  case $fstate in
    enabled|enabled-runtime|disabled) ;;
    *) die 3 "$unit is '$fstate' (not enabled or disabled): cutover could not restore it exactly" ;;
  esac
  if [ "${fstate%-runtime}" = enabled ] && [ "$astate" = active ]; then return 0; fi
  ensure_run_dir "$run"
  undo_add "$run" "$step" service-restore "$unit" "$fstate" "$astate" "" 0
  CHANGED=true
  [ "${fstate%-runtime}" = enabled ] || systemctl enable -- "$unit" >&2 || die 1 "systemctl enable $unit failed"
  [ "$astate" = active ] || systemctl start -- "$unit" >&2 || die 1 "systemctl start $unit failed (journalctl -u $unit)"
  [ "$(systemctl is-active -- "$unit" 2>/dev/null)" = active ] || die 4 "$unit is not active after start (journalctl -u $unit)"
}

# bind_start_systemd RUN STEP UNIT: enable and start UNIT, supervised. The undo record, written
# before anything changes, holds the state to return to; every part of the undo is harmless when
# its change never happened, so a helper killed half-way is undone from the log like any other.
bind_start_systemd() {
  local run="$1" step="$2" unit="$3" s fstate astate dropin dir newdir=0
  [ -n "$unit" ] || unit=$(bind_unit)
  [ -n "$unit" ] || die 3 "systemd has no unit for named (named.service or bind9.service): is BIND installed?"
  s=$(unit_show "$unit")
  case $(prop "$s" LoadState) in loaded|masked) ;; *) die 3 "systemd does not know $unit (LoadState=$(prop "$s" LoadState))" ;; esac
  unit=$(prop "$s" Id)
  fstate=$(prop "$s" UnitFileState) astate=$(prop "$s" ActiveState)
  d_str unit "$unit"
  d_raw previous "{\"unit_file_state\":$(json_str "$fstate"),\"active_state\":$(json_str "$astate")}"
  case $fstate in
    enabled|enabled-runtime|disabled|masked|masked-runtime) ;;
    *) die 3 "$unit is '$fstate' (not enabled, disabled or masked): cutover could not restore it exactly; enable it yourself first" ;;
  esac
  scan_procs
  if [ "$astate" != active ] && [ -n "$(pids_of named)" ]; then
    die 3 "named runs (pid $(pids_of named | head -n 1)) but not under $unit: stop it so that systemd can run it"
  fi
  if [ "${fstate%-runtime}" = enabled ] && [ "$astate" = active ] && restarts "$(prop "$s" Restart)"; then
    d_raw service "$(service_json "$unit")"
    NAMED_PID=$(prop "$s" MainPID)
    return 0
  fi
  dropin=$(restart_dropin "$unit"); dir=${dropin%/*}
  [ -d "$dir" ] || newdir=1
  ensure_run_dir "$run"
  undo_add "$run" "$step" service-restore "$unit" "$fstate" "$astate" "$dropin" "$newdir"
  CHANGED=true
  case $fstate in
    masked) systemctl unmask -- "$unit" >&2 || die 1 "systemctl unmask $unit failed" ;;
    masked-runtime) systemctl unmask --runtime -- "$unit" >&2 || die 1 "systemctl unmask --runtime $unit failed" ;;
  esac
  s=$(unit_show "$unit")
  if ! restarts "$(prop "$s" Restart)"; then
    log "$unit has Restart=$(prop "$s" Restart): adding $dropin so that systemd restarts named"
    mkdir -p "$dir" && restart_dropin_content >"$dropin" && systemctl daemon-reload >&2 || die 1 "cannot install $dropin"
    s=$(unit_show "$unit")
    restarts "$(prop "$s" Restart)" || die 4 "$unit still has Restart=$(prop "$s" Restart) after $dropin (a later drop-in overrides it?)"
    d_str restart_drop_in "$dropin"
  fi
  [ "$(systemctl is-enabled -- "$unit" 2>/dev/null)" = enabled ] || [ "$fstate" = enabled-runtime ] ||
    systemctl enable -- "$unit" >&2 || die 1 "systemctl enable $unit failed"
  [ "$astate" = active ] || systemctl start -- "$unit" >&2 || die 1 "systemctl start $unit failed (journalctl -u $unit)"
  wait_named 10 || die 4 "named did not come up under $unit (journalctl -u $unit)"
  s=$(unit_show "$unit")
  [ "$(prop "$s" ActiveState)" = active ] || die 4 "$unit is $(prop "$s" ActiveState) after start"
  case $(systemctl is-enabled -- "$unit" 2>/dev/null) in enabled|enabled-runtime) ;; *) die 4 "$unit is not enabled after enable" ;; esac
  d_raw service "$(service_json "$unit")"
  NAMED_PID=$(prop "$s" MainPID)
}

# service_restore UNIT FSTATE ASTATE DROPIN NEWDIR (undo): back to the recorded unit-file state
# (enabled, disabled, masked, also -runtime) and active state; the drop-in only if it is ours
service_restore() {
  local unit="$1" f="$2" a="$3" d="$4" nd="$5" now
  command -v systemctl >/dev/null 2>&1 || { echo no-systemctl; return 1; }
  [ "$a" = active ] || systemctl stop -- "$unit" >&2 2>/dev/null
  if [ -f "$d" ] && [ "$(cat "$d")" = "$(restart_dropin_content)" ]; then
    rm -f "$d"; [ "$nd" != 1 ] || rmdir "${d%/*}" 2>/dev/null
  fi
  case $f in
    disabled) systemctl disable -- "$unit" >&2 2>/dev/null ;;
    masked) systemctl disable -- "$unit" >&2 2>/dev/null; systemctl mask -- "$unit" >&2 ;;
    masked-runtime) systemctl disable -- "$unit" >&2 2>/dev/null; systemctl mask --runtime -- "$unit" >&2 ;;
  esac
  systemctl daemon-reload >&2
  [ "$a" = active ] || systemctl reset-failed -- "$unit" >/dev/null 2>&1
  now=$(systemctl is-enabled -- "$unit" 2>/dev/null)
  [ "$now" = "$f" ] || { echo "not-verified: $unit is $now, was $f"; return 1; }
  now=$(systemctl is-active -- "$unit" 2>/dev/null)
  if [ "$a" = active ]; then [ "$now" = active ] || { echo "not-verified: $unit is $now, was active"; return 1; }
  else [ "$now" != active ] || { echo "not-verified: $unit is still active"; return 1; }; fi
  [ ! -f "$d" ] || [ "$(cat "$d")" != "$(restart_dropin_content)" ] || { echo "not-verified: $d is still there"; return 1; }
  echo "restored $f/$(systemctl is-active -- "$unit" 2>/dev/null)"
}

