# -------------------------------------------------------------- revert -----

mark_undone() {
  rm -f "$(undo_reserve "$1")"
  printf 'undone\t%s\t%s\t%s\n' "$2" "$(now)" "$3" >>"$(undo_log "$1")"
}
# mark_or_count SEQ RESULT (in revert): an undo that cannot be recorded (disk full) is a failure to
# report, since the log would still call the record applied
mark_or_count() {
  mark_undone "$RUN" "$1" "$2" 2>/dev/null && return 0
  failed=$((failed + 1)); log "record $1 was undone but the undo log cannot record it (disk full?)"
}
# pending_records RUN CUTOFF: records after CUTOFF not yet undone, newest first
pending_records() {
  awk -F '\t' -v cut="$2" '$1 == "undone" { done[$2] = 1; next } $1 ~ /^[0-9]+$/ { rec[$1] = $0; if ($1 > max) max = $1 }
    END { for (i = max; i > cut; i--) if ((i in rec) && !(i in done)) print rec[i] }' "$(undo_log "$1")"
}

# undo_one ACTION ARG...: undo one record; prints a result word; 1 if not verified
undo_one() {
  local act="$1" real inplace=false st
  shift
  case $act in
    file-restore) # TARGET BACKUP SHA_AFTER
      real=$(hp "$1")
      [ -f "$2" ] || { echo "backup-missing"; return 1; }
      if [ -L "$real" ]; then real=$(readlink -f "$real"); inplace=true; elif is_mountpoint_file "$1"; then inplace=true; fi
      [ "$(sha256_of "$real")" = "$3" ] || log "$1 changed after it was installed; restoring the backup anyway"
      write_file "$2" "$real" "$inplace" || { echo write-failed; return 1; }
      [ "$(sha256_of "$real")" = "$(sha256_of "$2")" ] || { echo not-verified; return 1; }
      echo restored ;;
    link-restore) # TARGET LINK SHA_AFTER: the symlink the file replaced
      real=$(hp "$1")
      [ ! -f "$real" ] || [ -L "$real" ] || [ "$(sha256_of "$real")" = "$3" ] || log "$1 changed after it was installed; restoring the symlink anyway"
      ln -s "$2" "$real.cutover.$$" && mv -f "$real.cutover.$$" "$real" || { rm -f "$real.cutover.$$"; echo link-failed; return 1; }
      [ "$(readlink "$real")" = "$2" ] || { echo not-verified; return 1; }
      echo relinked ;;
    dir-remove) # DIR (created by the install): removed once empty
      rmdir "$(hp "$1")" 2>/dev/null; [ ! -d "$(hp "$1")" ] || { echo not-empty; return 1; }; echo removed ;;
    file-remove) # TARGET SHA_AFTER
      rm -f "$(hp "$1")"; [ ! -e "$(hp "$1")" ] || { echo not-removed; return 1; }; echo removed ;;
    fw-unban) fw_unban "$1" "$2" "$3" >/dev/null; echo unbanned ;;
    named-stop) # PID START
      if [ "$(proc_start "$1")" = "$2" ]; then
        kill "$1"; st=0
        while [ "$(proc_start "$1")" = "$2" ] && [ $st -lt 100 ]; do sleep 0.05; st=$((st + 1)); done
        [ "$(proc_start "$1")" != "$2" ] || { echo still-running; return 1; }
        echo stopped
      else echo already-gone; fi ;;
    capture-stop) capture_stop "$RUN" "$1" >/dev/null; echo stopped ;;
    service-restore) service_restore "$1" "$2" "$3" "$4" "$5" ;; # UNIT FILE-STATE ACTIVE-STATE DROPIN NEWDIR
    pkg-purge) pkg_purge "$1" "$2" "$3" ;; # ADDED BEFORE POLICY
    *) echo "unknown-action"; return 1 ;;
  esac
}

# Usage: cutover-helper revert RUN [--to STEP|SEQ]
# Undo what RUN did on this host, newest first, without the controller: every
# undo record after the last record of STEP (or after record number SEQ; all
# by default). Restored files are checked against their backups, the ban is
# checked gone; BIND is reloaded and refreshed processes are refreshed again
# at the end, once the files are back. Already undone records are skipped, so
# revert can be re-run. Exit 4 if any undo could not be verified.
cmd_revert() {
  local to='' cut=0 seq step act res items='' failed=0 reload=false refreshes='' owners='' o saved rl todo
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --to) need_arg "$@"; is_run_id "$2" || usage "bad --to: $2"; to=$2; shift 2 ;;
      --run) set_run "$@"; shift 2 ;;
      -*) usage "revert: unknown option: $1" ;;
      *) [ -z "$RUN" ] && is_run_id "$1" || usage "bad run id: $1"; RUN=$1; shift ;;
    esac
  done
  [ -n "$RUN" ] || usage "revert RUN [--to STEP|SEQ]"
  d_str run "$RUN"
  [ -f "$(undo_log "$RUN")" ] || { d_raw undone '[]'; ok; }
  if [ -n "$to" ]; then
    if is_uint "$to"; then cut=$to
    else cut=$(awk -F '\t' -v s="$to" '$1 ~ /^[0-9]+$/ && $2 == s { c = $1 } END { print c + 0 }' "$(undo_log "$RUN")")
      [ "$cut" -gt 0 ] || die 3 "run $RUN has no record of step $to"
    fi
  fi
  rl="$(run_dir "$RUN")/revert.lock"
  if ! mkdir "$rl" 2>/dev/null; then
    read -r saved <"$rl/pid" 2>/dev/null
    if [ -n "$saved" ] && [ -d "/proc/$saved" ]; then die 75 "another revert of $RUN is running (pid $saved)"; fi
    rm -rf "$rl"; mkdir "$rl" || die 1 "cannot take the revert lock"
  fi
  # The pid is advisory (a full disk must not stop a revert); the records to undo are kept in memory,
  # not in a file: with /var/lib/cutover full, an empty todo file made revert undo nothing and say ok.
  echo "$$" >"$rl/pid" 2>/dev/null || true
  remove_on_exit "$rl"
  d_num to_seq "$cut"
  todo=$(pending_records "$RUN" "$cut") || die 1 "cannot read the undo log of run $RUN"
  while IFS="$TAB" read -r seq step act a1 a2 a3 a4 a5; do
    [ -n "$seq" ] || continue
    case $act in
      rndc-reload) reload=true; res='reload-at-end'; mark_or_count "$seq" deferred-reload ;;
      owner-reload) owners="$owners $a1"; res='reload-at-end'; mark_or_count "$seq" deferred-reload ;;
      refresh) refreshes="$refreshes $a1/$a2/$a3/$a4/$a5"; res='refresh-at-end'; mark_or_count "$seq" deferred-refresh ;;
      *) if res=$(undo_one "$act" "$a1" "$a2" "$a3" "$a4" "$a5"); then mark_or_count "$seq" "$res"
         else failed=$((failed + 1)); log "undo of record $seq ($act $a1) failed: $res"; fi ;;
    esac
    CHANGED=true
    items="${items:+$items,}{\"seq\":$seq,\"step\":$(json_str "$step"),\"action\":$(json_str "$act"),\"target\":$(json_str "$a1"),\"result\":$(json_str "$res")}"
  done <<EOF
$todo
EOF
  # the owner reads its restored configuration (and rewrites resolv.conf from it) before processes
  # are refreshed from resolv.conf
  for o in $owners; do
    if owner_reload "$o"; then res=reloaded; else res='reload-failed'; failed=$((failed + 1)); fi
    items="${items:+$items,}{\"action\":\"owner-reload\",\"target\":$(json_str "$o"),\"result\":\"$res\"}"
  done
  if [ "$reload" = true ]; then
    scan_procs
    if [ -z "$(pids_of named)" ]; then res='not-running'
    elif rndc reload >&2; then res=reloaded; else res='reload-failed'; failed=$((failed + 1)); fi
    items="${items:+$items,}{\"action\":\"rndc-reload\",\"result\":\"$res\"}"
  fi
  for r in $refreshes; do
    # shellcheck disable=SC2046 # pid start method [channel servers-set] (gdb-cares-break)
    set -- $(printf '%s' "$r" | tr '/' ' ')
    if [ "$(proc_start "$1")" = "$2" ]; then
      saved=$DATA; DATA=
      res=$(refresh_servers "$1")
      # proxy-resolver's files are restored by now: what remains is the reload that reads them
      # gdb-cares-break: the channel the refresh found, which must still hold what it set
      CARES_FIND_CHANNEL=${4:-} CARES_EXPECT=${5:-}
      if [ "$3" = proxy-resolver ]; then do_refresh "$1" proxy-reload "$res"; else do_refresh "$1" "$3" "$res"; fi
      CARES_FIND_CHANNEL='' CARES_EXPECT=
      DATA=$saved
      if [ "$(proc_start "$1")" = "$2" ]; then res="refreshed to $res"
      else res="process died during the refresh"; failed=$((failed + 1)); fi
    else res=process-gone; fi
    items="${items:+$items,}{\"action\":\"refresh\",\"pid\":$1,\"result\":$(json_str "$res")}"
  done
  d_raw undone "[$items]"
  d_num failed "$failed"
  [ "$failed" -eq 0 ] || die 4 "$failed undo actions of run $RUN could not be verified"
  ok
}

