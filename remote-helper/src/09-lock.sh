# ---------------------------------------------------------------- lock -----

# session_of PID: the sshd process this command runs under ("" if none)
session_of() {
  local p="$1" c stat n=0
  while [ "$p" -gt 1 ] && [ $n -lt 32 ]; do
    read -r c <"/proc/$p/comm" 2>/dev/null || return 0
    case $c in sshd|sshd-session) printf '%s' "$p"; return 0 ;; esac
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    p=$2; n=$((n + 1))
  done
}

lock_dir() { printf '%s/lock' "$STATE_DIR"; }
# lock_read: sets L_OWNER L_CREATED L_EXPIRES L_SPID L_SSTART L_STALE L_WHY
lock_read() {
  local k v f
  f="$(lock_dir)/owner"
  L_OWNER='' L_CREATED='' L_EXPIRES='' L_SPID='' L_SSTART='' L_STALE=false L_WHY=''
  [ -f "$f" ] || return 1
  while IFS='=' read -r k v; do
    case $k in owner) L_OWNER=$v ;; created) L_CREATED=$v ;; expires) L_EXPIRES=$v ;; session_pid) L_SPID=$v ;; session_start) L_SSTART=$v ;; esac
  done <"$f"
  # the file is ours, but a disk or a hand may have damaged it: numbers must be numbers
  is_uint "$L_CREATED" || L_CREATED=''
  is_uint "$L_SPID" || L_SPID=''
  is_uint "$L_SSTART" || L_SSTART=''
  if ! is_uint "$L_EXPIRES"; then
    L_EXPIRES=''; L_STALE=true; L_WHY="the lock file is corrupt (no valid expiry)"
  elif [ -n "$L_SPID" ] && [ "$(proc_start "$L_SPID")" != "$L_SSTART" ]; then
    L_STALE=true; L_WHY="owner's SSH session (pid $L_SPID) is gone"
  elif is_uint "$L_EXPIRES" && [ "$(now)" -ge "$L_EXPIRES" ]; then
    L_STALE=true; L_WHY="lease expired at $L_EXPIRES"
  fi
  return 0
}
lock_json() {
  printf '{"owner":%s,"created":%s,"expires":%s,"session_pid":%s,"stale":%s,"stale_reason":%s}' \
    "$(json_str "$L_OWNER")" "${L_CREATED:-null}" "${L_EXPIRES:-null}" "${L_SPID:-null}" "$L_STALE" \
    "$( [ -n "$L_WHY" ] && json_str "$L_WHY" || echo null)"
}
is_owner() { case $1 in ''|-*|*[!A-Za-z0-9._:@=,/\ -]*) return 1 ;; esac; [ "${#1}" -le 200 ]; }

# Usage: cutover-helper file-read PATH...
# Read-only: the current content of files the controller would change, for the
# plan's diffs (paths under the allowed roots, at most 1 MiB each). Works
# streamed (sh -s -- file-read PATH); writes nothing.
cmd_file_read() {
  [ $# -gt 0 ] || usage "file-read PATH..."
  readable_targets "$@"
  files_data "$@"
  ok
}

# readable_targets PATH...: every path one the controller may read (and change), or a usage error
readable_targets() {
  local p
  for p in "$@"; do allowed_target "$p" || usage "path must be a plain path under /etc, /var/lib/cutover or /var/cache/bind: $p"; done
}

# files_data PATH...: the data's `files`, each path's current content byte for byte or absent
# (file-read, and facts --file: the plan's diffs in the same call as its facts)
files_data() {
  local p f sep='' items='' size c
  for p in "$@"; do
    f=$(hp "$p")
    if [ -f "$f" ] && [ -r "$f" ]; then
      size=$(wc -c <"$f")
      [ "$size" -le 1048576 ] || die 3 "$p is $size bytes; file-read reads at most 1 MiB"
      # The x keeps trailing newlines through $( ) and json_str's line handling; it is cut from the JSON.
      c=$(cat "$f"; echo x)
      c=$(json_str "$c")
      items="$items$sep{\"path\":$(json_str "$p"),\"exists\":true,\"sha256\":$(json_str "$(sha256_of "$f")"),\"content\":${c%x\"}\"}"
    else
      items="$items$sep{\"path\":$(json_str "$p"),\"exists\":false,\"sha256\":null,\"content\":null}"
    fi
    sep=,
  done
  d_raw files "[$items]"
}

# Usage: cutover-helper lock --owner OWNER [--ttl SECONDS] [--break-stale]
# Take the host lock (one controller per host). OWNER names the controller host,
# pid and run, e.g. "ctl=build1 pid=4242 run=r1". Re-locking by the same owner
# renews the lease (changed:false). A lock held by another owner exits 75 with
# data.holder; a stale one (lease expired, or the owner's SSH session gone) is
# reported as stale and only taken over with --break-stale.
cmd_lock() {
  local owner='' ttl=900 brk=false spid='' sstart='' ld
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) need_arg "$@"; is_owner "$2" || usage "bad owner (allowed: A-Za-z0-9._:@=,/ space -): $2"; owner=$2; shift 2 ;;
      --ttl) need_arg "$@"; is_uint "$2" || usage "bad ttl: $2"; ttl=$2; shift 2 ;;
      --break-stale) brk=true; shift ;;
      *) usage "lock: unknown argument: $1" ;;
    esac
  done
  [ -n "$owner" ] || usage "lock --owner OWNER [--ttl SECONDS] [--break-stale]"
  mkdir -p "$STATE_DIR" || die 1 "cannot create $STATE_DIR"
  ld=$(lock_dir)
  spid=$(session_of "$PPID")
  [ -n "$spid" ] && sstart=$(proc_start "$spid")
  if ! mkdir "$ld" 2>/dev/null; then
    if lock_read; then
      if [ "$L_OWNER" = "$owner" ]; then
        printf 'owner=%s\ncreated=%s\nexpires=%s\nsession_pid=%s\nsession_start=%s\n' "$owner" "$L_CREATED" "$(( $(now) + ttl ))" "$spid" "$sstart" >"$ld/owner.tmp" && mv -f "$ld/owner.tmp" "$ld/owner"
        lock_read; d_raw lock "$(lock_json)"; d_bool renewed true; ok
      fi
      d_raw holder "$(lock_json)"
      if [ "$L_STALE" = true ] && [ "$brk" = true ]; then
        d_raw broken "$(lock_json)"
        log "breaking stale lock of '$L_OWNER': $L_WHY"
      elif [ "$L_STALE" = true ]; then
        die 75 "lock held by '$L_OWNER' is stale ($L_WHY); re-run with --break-stale to take it over"
      else
        die 75 "lock held by '$L_OWNER' since $L_CREATED"
      fi
    else
      # a lock dir without owner: a crash between mkdir and write
      d_raw broken null
    fi
  fi
  printf 'owner=%s\ncreated=%s\nexpires=%s\nsession_pid=%s\nsession_start=%s\n' "$owner" "$(now)" "$(( $(now) + ttl ))" "$spid" "$sstart" >"$ld/owner.tmp" &&
    mv -f "$ld/owner.tmp" "$ld/owner" || die 1 "cannot write $ld/owner"
  CHANGED=true
  lock_read; d_raw lock "$(lock_json)"
  ok
}

# Usage: cutover-helper unlock --owner OWNER [--force]
# Release the host lock. Only its owner may release it; --force releases a
# lock that is stale. Unlocking a free lock is ok, changed:false.
cmd_unlock() {
  local owner='' force=false
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) need_arg "$@"; is_owner "$2" || usage "bad owner: $2"; owner=$2; shift 2 ;;
      --force) force=true; shift ;;
      *) usage "unlock: unknown argument: $1" ;;
    esac
  done
  [ -n "$owner" ] || usage "unlock --owner OWNER [--force]"
  lock_read || { [ -d "$(lock_dir)" ] && rm -rf "$(lock_dir)" && CHANGED=true; ok; }
  d_raw holder "$(lock_json)"
  if [ "$L_OWNER" != "$owner" ]; then
    [ "$force" = true ] && [ "$L_STALE" = true ] || die 75 "lock is held by '$L_OWNER', not '$owner'"
  fi
  rm -rf "$(lock_dir)" || die 1 "cannot remove lock"
  CHANGED=true
  ok
}

