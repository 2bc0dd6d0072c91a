# ----------------------------------------------------------- environment --

# CUTOVER_ROOT (tests only): host paths are taken under this prefix. Only a
# directory holding a .cutover-test-root marker is accepted, so a stray
# variable can never redirect a real host's actions.
ROOT=${CUTOVER_ROOT:-}
STATE_DIR=${CUTOVER_STATE_DIR:-/var/lib/cutover}

setup_env() {
  if [ -n "$ROOT" ]; then
    is_path "$ROOT" && [ "$ROOT" != / ] && [ -f "$ROOT/.cutover-test-root" ] ||
      usage "CUTOVER_ROOT must be a test root holding .cutover-test-root: $ROOT"
  fi
  is_path "$STATE_DIR" || usage "state dir must be an absolute plain path: $STATE_DIR"
  check_self_location
}

# The helper runs as root: one that anybody could have replaced must not run. Refuse when the file
# or its directory is world-writable. Streamed to `sh -s` there is no file, nothing to check.
# Every call pays for this check, so it starts one program (`ls` for both paths), not three: each
# program started costs a call ~3 ms of the host's CPU, and a rollout makes ~20 calls per host.
check_self_location() {
  local dir line bad=''
  case $SELF in *cutover-helper) [ -f "$SELF" ] || return 0 ;; *) return 0 ;; esac
  case $SELF in */*) dir=${SELF%/*}; dir=${dir:-/} ;; *) dir=. ;; esac
  while IFS= read -r line; do
    case $line in
      ????????w*) case $line in *" $SELF") bad=$SELF ;; *) bad=${bad:-$dir} ;; esac ;;
    esac
  done <<EOF
$(ls -ldL -- "$SELF" "$dir" 2>/dev/null)
EOF
  [ -z "$bad" ] || die 3 "refusing to run from a world-writable location: $bad (anyone could have replaced the helper); use a directory only root can write, e.g. /var/lib/cutover/bin"
}
hp() { printf '%s%s' "$ROOT" "$1"; } # host path

now() { date +%s; }
now_ms() { local t; t=$(date +%s%N 2>/dev/null); case $t in *N) echo $(( $(date +%s) * 1000 )) ;; *) echo $((t / 1000000)) ;; esac; }
sha256_of() { [ -f "$1" ] || { echo; return; }; sha256sum "$1" | { read -r h _; echo "$h"; }; }

run_dir() { printf '%s/runs/%s' "$STATE_DIR" "$1"; }
# Room for the undo log is set aside before anything changes (a 32 KiB file, released just before
# each append): a change whose record cannot be written cannot be undone, and a full disk once
# left named.conf.options changed with no record of it.
ensure_run_dir() {
  # after a run's first change the directory exists: no program started for it (most calls)
  [ -d "$(run_dir "$1")/backup" ] || mkdir -p "$(run_dir "$1")/backup" || die 1 "cannot create $(run_dir "$1")"
  chmod 700 "$STATE_DIR" "$STATE_DIR/runs" 2>/dev/null || true
  [ -f "$(undo_reserve "$1")" ] || reserve_undo_space "$1" ||
    die 1 "no room for the undo log in $(run_dir "$1") (disk full?); nothing was changed"
}
undo_reserve() { printf '%s/undo.reserve' "$(run_dir "$1")"; }
reserve_undo_space() {
  dd if=/dev/zero of="$(undo_reserve "$1")" bs=1024 count=32 2>/dev/null && return 0
  rm -f "$(undo_reserve "$1")"
  return 1
}

# proc_start PID: start time (clock ticks since boot), empty if gone. Read with the shell's own
# `read`, not `cat`: wait loops (capture-start, the guard, refresh) call it every 10-50 ms, and a
# program started each time was most of capture-start's host CPU. A comm with a newline in it
# leaves a first line too short to be the whole stat: then the whole file, as before.
proc_start() {
  local stat pid="$1"
  IFS= read -r stat 2>/dev/null <"/proc/$pid/stat" || return 0
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  if [ $# -lt 20 ]; then
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
  fi
  shift 19
  printf '%s' "$1"
}
proc_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

