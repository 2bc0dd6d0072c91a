# ------------------------------------------------------------- refresh -----

# refresh_servers PID: nameservers of the resolv.conf PID sees, comma separated
refresh_servers() {
  local ns out=''
  for ns in $(resolv_words "/proc/$1/root/etc/resolv.conf" nameserver); do
    is_ip "$ns" && out="${out:+$out,}$ns"
  done
  printf '%s' "$out"
}

# refreshed_mark PID TEXT / refreshed_is PID TEXT: what the last in-process
# refresh of this process (pid and start time) set. Only refresh changes what a
# process holds in memory, so a second identical refresh can be skipped.
refreshed_mark() {
  mkdir -p "$STATE_DIR/refreshed" && printf '%s\n' "$2" >"$STATE_DIR/refreshed/$1.$(proc_start "$1")"
}
refreshed_is() {
  local f saved
  f="$STATE_DIR/refreshed/$1.$(proc_start "$1")"
  [ -f "$f" ] && IFS= read -r saved <"$f" && [ "$saved" = "$2" ]
}

# go_wait PID: return once the resolv.conf PID sees was last changed more than 5 s ago. Go's
# resolver (net/dnsclient_unix.go, resolverConfig.tryUpdate) re-stats the file on a lookup only
# when its last check is 5 s old, and re-reads it when the mtime differs: by then any check made
# before the change is over 5 s old, so every later lookup either re-checks or follows a check made
# after the change. 200 ms more cover the file system's coarse clock (whole seconds: 1 s more).
# Sets GW_AGE_MS (the change's age before waiting) and GW_WAITED_MS.
go_wait() {
  local f="/proc/$1/root/etc/resolv.conf" m margin=200 w
  m=$(stat -L -c %.3Y "$f" 2>/dev/null | tr -d .)
  case $m in ''|*[!0-9]*) m=$(stat -L -c %Y "$f" 2>/dev/null)000 margin=1200 ;; esac
  case $m in ''|*[!0-9]*) die 3 "cannot read the modification time of $f" ;; esac
  GW_AGE_MS=$(( $(now_ms) - m ))
  w=$(( 5000 + margin - GW_AGE_MS ))
  [ "$w" -le $(( 5000 + margin )) ] || w=$(( 5000 + margin )) # a change stamped in the future: wait in full
  GW_WAITED_MS=0
  if [ "$w" -gt 0 ]; then
    sleep "$((w / 1000)).$(printf '%03d' $((w % 1000)))"
    GW_WAITED_MS=$w
  fi
}

# do_refresh PID METHOD SERVERS: the method itself; sets R_DETAIL
do_refresh() {
  local pid="$1" method="$2" servers="$3" cmds malloc free fn rc entry tries=0 busy call='' wait_fn getcsv='' freestr now_servers img ibase ipath c
  R_DETAIL='' MAIN_STACK_LO='' MAIN_STACK_HI='' R_UNDO_ARGS='' CARES_FIND=''
  [ "$method" != gdb-cares-break ] || CARES_FIND='break'
  case $method in
    none)
      R_DETAIL="nothing to do in the process: its resolver re-reads resolv.conf on the next lookup (prove it with run + capture-verify)" ;;
    go-wait)
      go_wait "$pid"
      d_num resolv_conf_age_ms "$GW_AGE_MS"
      d_num waited_ms "$GW_WAITED_MS"
      R_DETAIL="nothing to call in the process: waited ${GW_WAITED_MS} ms until resolv.conf's change was over 5 s old (Go re-checks it at most every 5 s, on a lookup): its next lookup uses the new file" ;;
    signal-*)
      kill -s "${method#signal-}" "$pid" || die 1 "cannot send SIG${method#signal-} to $pid"
      R_DETAIL="sent SIG${method#signal-}" ;;
    gdb-res-init|gdb-cares|gdb-cares-break)
      need gdb; need dd; need od
      sym_preload "/proc/$pid/root$(lib_map "$pid" '/libc[.-][^/]*so' | awk '{ print $2 }')" malloc free poll __res_init
      resolve_fn "$pid" '/libc[.-][^/]*so' malloc; malloc=$FN_ADDR
      resolve_fn "$pid" '/libc[.-][^/]*so' free; free=$FN_ADDR
      entry=$(exe_entry "$pid")
      cmds=$(mktemp "${TMPDIR:-/tmp}/cutover-gdb.XXXXXX") || die 1 "cannot create a temp file"
      remove_on_exit "$cmds"
      if [ "$method" = gdb-res-init ]; then
        resolve_fn "$pid" '/libc[.-][^/]*so' __res_init; fn=$FN_ADDR
        { gdb_idle_check "$method"
          gdb_call_prologue "$entry"
          printf 'cutover_call %s 0 0 0\nprintf "CUTOVER-RC=%%d\\n", (int)$rax\n' "$fn"
          gdb_call_epilogue; } >"$cmds"
      else
        img=$(cares_image "$pid")
        [ -n "$img" ] || die 3 "process $pid maps no c-ares (no libcares, and neither libnode nor its executable carries c-ares)"
        # shellcheck disable=SC2086 # "base path [(deleted)]"
        set -- $img
        ibase=$1 ipath=$2
        [ -z "${3:-}" ] || die 3 "$ipath mapped in $pid was deleted or replaced on disk; refusing to call into it"
        # shellcheck disable=SC2086 # gdb-cares-break: its words
        sym_preload "/proc/$pid/root$ipath" ares_reinit ares_get_servers_csv ares_free_string ares_set_servers_csv _ZTVN4node10cares_wrap11ChannelWrapE ${CARES_FIND:+$CARES_SYMS}
      fi
      if [ "$method" = gdb-res-init ]; then :
      elif [ -n "$(sym_cached "/proc/$pid/root$ipath" ares_reinit)" ]; then
        # c-ares >= 1.22: ares_reinit re-reads resolv.conf into the live channel. Never
        # ares_set_servers* there: servers set that way are pinned and a later reinit (or
        # c-ares' own reload) keeps them, so the process would stop following resolv.conf.
        [ "${SERVERS_GIVEN:-}" != true ] || die 3 "process $pid has c-ares >= 1.22: it is refreshed with ares_reinit from resolv.conf; --servers would pin its servers (ares_set_servers), refusing"
        gdb_counts_threads || die 3 "process $pid needs ares_reinit, whose background thread must be waited for while the event loop is held; this gdb has no \$_inferior_thread_count (gdb >= 13 needed)"
        resolve_in "$pid" ares_reinit "$ibase" "$ipath"; fn=$FN_ADDR
        resolve_fn "$pid" '/libc[.-][^/]*so' poll; wait_fn=$FN_ADDR
        getcsv=; freestr=
        if [ -n "$(sym_cached "/proc/$pid/root$ipath" ares_get_servers_csv)" ]; then
          resolve_in "$pid" ares_get_servers_csv "$ibase" "$ipath"; getcsv=$FN_ADDR
          resolve_in "$pid" ares_free_string "$ibase" "$ipath"; freestr=$FN_ADDR
        fi
        cares_channels "$pid" "$ibase" "$ipath"
        main_stack "$pid"
        {
          gdb_idle_check "$method"
          cares_chain_check
          gdb_call_prologue "$entry"
          cares_break_servers_cmds before "${CARES_EXPECT:-}"
          # In thread-safe builds ares_reinit returns at once and a new thread applies the
          # configuration (and may close sockets through the process's socket-state callback:
          # pgbouncer's libevent, Node's libuv). The event loop stays held, waiting in
          # poll(NULL, 0, 5) calls, until that thread is gone: the callback then never runs
          # beside the loop. At most 2 s per channel. Every channel the process holds, in turn.
          printf 'set $cutover_nthr = $_inferior_thread_count\nset $cutover_rc = 0\nset $cutover_wait = 0\n'
          for c in $(printf '%s\n' "$CH_LIST" | awk '{ print $1 }'); do
            printf 'cutover_call %s 0x%s 0 0\nset $cutover_r = (int)$rax\nset $cutover_n = 0\n' "$fn" "$c"
            printf 'if $cutover_rc == 0\n  set $cutover_rc = $cutover_r\nend\n'
            printf 'while $cutover_r == 0 && $_inferior_thread_count > $cutover_nthr && $cutover_n < 400\n  cutover_call %s 0 0 5\n  set $cutover_n = $cutover_n + 1\nend\nset $cutover_wait = $cutover_wait + $cutover_n\n' "$wait_fn"
            printf 'if $_inferior_thread_count > $cutover_nthr\n  echo CUTOVER-REINIT-PENDING\\n\nend\n'
            if [ -n "$getcsv" ]; then
              printf 'cutover_call %s 0x%s 0 0\nset $cutover_csv = $rax\n' "$getcsv" "$c"
              printf 'if $cutover_csv != 0\n  printf "CUTOVER-SERVERS=%%s\\n", (char *)$cutover_csv\n  cutover_call %s $cutover_csv 0 0\nend\n' "$freestr"
            fi
          done
          printf 'printf "CUTOVER-WAITS=%%d\\n", $cutover_wait\n'
          printf 'printf "CUTOVER-RC=%%d\\n", $cutover_rc\n'
          gdb_call_epilogue
        } >"$cmds"
        call=ares_reinit
      else
        [ -n "$servers" ] || die 3 "no nameservers to set (none in /proc/$pid/root/etc/resolv.conf and no --servers)"
        resolve_in "$pid" ares_set_servers_csv "$ibase" "$ipath"; fn=$FN_ADDR
        cares_channels "$pid" "$ibase" "$ipath"
        main_stack "$pid"
        {
          gdb_idle_check "$method"
          # the chain must still hold while stopped, else no call is made
          cares_chain_check
          gdb_call_prologue "$entry"
          cares_break_servers_cmds before "${CARES_EXPECT:-}"
          printf 'cutover_call %s %d 0 0\nset $cutover_buf = $rax\n' "$malloc" $(( ${#servers} + 1 ))
          printf 'if $cutover_buf == 0\n  echo CUTOVER-NOMEM\\n\n  delete\n  cutover_restore\n  detach\n  quit 9\nend\n'
          c_string_cmds '$cutover_buf' "$servers"
          printf 'set $cutover_rc = 0\n'
          for c in $(printf '%s\n' "$CH_LIST" | awk '{ print $1 }'); do
            printf 'cutover_call %s 0x%s $cutover_buf 0\nif $cutover_rc == 0\n  set $cutover_rc = (int)$rax\nend\n' "$fn" "$c"
          done
          printf 'cutover_call %s $cutover_buf 0 0\nprintf "CUTOVER-RC=%%d\\n", $cutover_rc\n' "$free"
          cares_break_servers_cmds after
          gdb_call_epilogue
        } >"$cmds"
        call=ares_set_servers_csv
      fi
      if [ "${method%-break}" = gdb-cares ]; then
        # shellcheck disable=SC2046 # one word per channel
        d_raw channels "$(json_arr $(printf '%s\n' "$CH_LIST" | awk '{ print "0x" $1 }'))"
        d_str channel "0x$(printf '%s\n' "$CH_LIST" | awk 'NR == 1 { print $1 }')"
      fi
      while :; do
        gdb_session "$pid" "$cmds"
        rc=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-RC=\(-\{0,1\}[0-9][0-9]*\)$/\1/p' | tail -n 1)
        case $GDB_OUT in *CUTOVER-NOT-MAIN-THREAD*)
          log "$GDB_OUT"; die 3 "gdb stopped a thread of process $pid other than its event loop's; nothing was called" ;; esac
        case $GDB_OUT in *CUTOVER-REINIT-PENDING*)
          log "$GDB_OUT"; die 1 "c-ares' reinit thread in process $pid did not finish within 2 s while the event loop was held; the loop runs again now, check the process" ;; esac
        case $GDB_OUT in *CUTOVER-NOT-A-CHANNEL*|*CUTOVER-NOT-OURS*)
          log "$GDB_OUT"; die 3 "0x$(printf '%s\n' "$CH_LIST" | awk 'NR == 1 { print $1 }') in process $pid is not the c-ares channel ${CARES_EXPECT:+set to $CARES_EXPECT }that was found (ares_get_servers: $(printf '%s\n' "$GDB_OUT" | grep -m 1 CUTOVER-NOT)); nothing was changed" ;; esac
        case $GDB_OUT in *CUTOVER-CHAIN-BROKEN*|*CUTOVER-NOMEM*|*CUTOVER-CALL-FAILED*)
          log "$GDB_OUT"; die 1 "the call in process $pid did not complete (see log); registers were restored" ;; esac
        case $GDB_OUT in *"Error in sourced command file"*)
          log "$GDB_OUT"; die 1 "gdb stopped on an error inside process $pid (see log); check that the process is healthy" ;; esac
        # Not idle (no call was made), or ARES_ENOTIMP (5): c-ares < 1.22 refuses while queries
        # are in flight. Both pass within milliseconds on a process that is not spinning.
        busy=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-BUSY //p' | tail -n 1)
        if [ -n "$busy" ] || { [ "$call" = ares_set_servers_csv ] && [ "$rc" = 5 ]; }; then
          [ $tries -lt 40 ] || die 1 "process $pid was never idle in its event loop in $tries attempts (${busy:+last stopped in $busy; }nothing was called)"
          tries=$((tries + 1)); log "${busy:+not idle ($busy)}${busy:-queries in flight}; retrying ($tries)"; sleep 0.05; continue
        fi
        break
      done
      d_num gdb_ms "$GDB_MS"
      d_num attempts $((tries + 1))
      d_strn return_value "$rc"
      [ "$rc" = 0 ] || { log "$GDB_OUT"; die 4 "the call in process $pid returned ${rc:-nothing} (expected 0)"; }
      [ "$method" != gdb-cares-break ] || cares_break_report "$servers"
      if [ "${method%-break}" = gdb-cares ]; then
        d_str call "$call"
        if [ "$call" = ares_reinit ]; then
          d_num reinit_waits "$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-WAITS=\([0-9]*\)$/\1/p' | tail -n 1)"
          now_servers=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-SERVERS=//p')
          d_strn servers_now "$(printf '%s\n' "$now_servers" | tail -n 1)"
          # verified while attached, after the reinit thread was done: what each channel now uses
          if [ -n "$getcsv" ]; then
            [ "$(printf '%s\n' "$now_servers" | grep -c .)" -eq "$(printf '%s\n' "$CH_LIST" | grep -c .)" ] ||
              die 4 "after ares_reinit process $pid reported the servers of $(printf '%s\n' "$now_servers" | grep -c .) of its $(printf '%s\n' "$CH_LIST" | grep -c .) c-ares channels"
            for c in $now_servers; do
              [ "$(cares_servers_norm "$c")" = "$servers" ] ||
                die 4 "after ares_reinit process $pid uses $c, not $servers from resolv.conf, in one of its c-ares channels (servers pinned by an earlier ares_set_servers call, e.g. Node's dns.setServers? only a restart clears that)"
            done
          fi
        fi
      fi
      refreshed_mark "$pid" "$method $servers"
      R_DETAIL="called in process${call:+ ($call)}" ;;
    gdb-evdns) evdns_refresh "$pid" "$servers" ;;
    proxy-reload|proxy-resolver) proxy_refresh "$pid" "$method" ;;
    pgbouncer-online-restart)
      online_restart "$pid"
      R_DETAIL="pgbouncer -R: process $pid handed its sockets to $R_NEWPID" ;;
    *) usage "unknown refresh method: $method (none, go-wait, gdb-res-init, gdb-cares, gdb-cares-break, gdb-evdns, pgbouncer-online-restart, proxy-reload, proxy-resolver, signal-HUP, signal-USR1, signal-USR2)" ;;
  esac
}

# online_restart PID: pgbouncer's online restart (-R): a new process takes the
# listening, client and server sockets over from PID through the unix socket
# (SHOW FDS) and reads the configuration and resolv.conf afresh. Sets R_NEWPID.
online_restart() {
  local pid="$1" exe ini uid gid n=0 p a
  need setpriv
  exe=$(readlink "/proc/$pid/exe")
  case $exe in */pgbouncer) ;; *) die 3 "process $pid is not pgbouncer ($exe)" ;; esac
  ini=
  for a in $(tr '\0' ' ' <"/proc/$pid/cmdline"); do case $a in -*) ;; *.ini) ini=$a ;; esac; done
  is_path "$ini" && [ -f "/proc/$pid/root$ini" ] || die 3 "cannot tell pgbouncer $pid's configuration file from its command line"
  uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status"); gid=$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")
  [ "$uid" != 0 ] || die 3 "pgbouncer $pid runs as root; refusing"
  log "online restart of pgbouncer $pid ($ini) as uid $uid"
  setpriv --reuid "$uid" --regid "$gid" --clear-groups "$exe" -q -d -R "$ini" >&2 || die 1 "pgbouncer -R failed (see its log)"
  R_NEWPID=
  while [ $n -lt 200 ]; do
    scan_procs
    for p in $(pids_of pgbouncer); do
      [ "$p" != "$pid" ] && proc_cmdline "$p" | grep -q -- " -R " && proc_cmdline "$p" | grep -q -- "$ini" && R_NEWPID=$p
    done
    [ -n "$R_NEWPID" ] && [ -z "$(proc_start "$pid")" ] && break
    sleep 0.01; n=$((n + 1))
  done
  [ -n "$R_NEWPID" ] || die 4 "no new pgbouncer process after -R"
  [ -z "$(proc_start "$pid")" ] || die 4 "old pgbouncer $pid still runs next to $R_NEWPID"
}

# Usage: cutover-helper refresh --run RUN PID METHOD [--servers IP,IP] [--max-lost N] [--step STEP] [--find-url URL]
# Make running process PID use the current resolver configuration without a
# restart. METHOD: none (glibc >= 2.26 getaddrinfo, musl: they re-read
# resolv.conf), go-wait (Go's resolver: returns once resolv.conf's change is
# over 5 s old, so that the next lookup uses it; data.waited_ms; on revert it
# waits for the restored file the same way), gdb-res-init (libc resolver state: __res_init()), gdb-cares
# (every c-ares channel of pgbouncer or Node: ares_reinit on c-ares >= 1.22, else
# ares_set_servers_csv with servers defaulting to the nameservers of the
# resolv.conf the process sees; data.channels), gdb-cares-break (the same for c-ares
# in any other process, on the one channel a breakpoint catches while a GET of
# --find-url URL, {name} replaced by a fresh name, makes it resolve; at most 2 s;
# data.servers_before, data.find_entry; the undo sets the old servers back on that
# channel, checked to hold what the refresh set), gdb-evdns (pgbouncer resolving with
# libevent's evdns: its evdns_base's nameservers cleared, parsed again from /etc/resolv.conf
# and resumed, in one attach; the servers read back must be the file's; data.servers_now),
# pgbouncer-online-restart
# (pgbouncer -R: a new process takes every socket over; data.new_pid; the
# old pid is gone, so "same process" means same sockets), proxy-reload (nginx,
# HAProxy master-worker: validated, then a graceful reload, waited for until new
# workers run), proxy-resolver (their own resolver's lines pointed at 127.0.0.1,
# each file backed up, then proxy-reload; the undo restores the files and reloads),
# signal-HUP|USR1|USR2.
# Afterwards verifies: same process (start time), alive, and at most N of its
# client connections (TCP sockets accepted on its listening ports) are gone
# (default 0); all sockets are counted in data too. Exit 4 if not. For nginx and
# HAProxy the sockets of the master and its workers are counted, and a reload
# closes every keep-alive client connection (at the old workers: idle ones at once,
# busy ones after their response); they are counted in client_sockets_lost, but
# only a --max-lost given explicitly fails the refresh for them.
cmd_refresh() {
  local pid='' method='' servers='' maxlost=0 maxgiven=false start after s_before s_after lost c_before clost gone peer tree
  RUN='' STEP=refresh
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --step) set_step "$@"; shift 2 ;;
      --servers) need_arg "$@"
        for s in $(printf '%s' "$2" | tr ',' ' '); do is_ip "$s" || usage "bad server address: $s"; done
        case $2 in *[!0-9A-Fa-f:.,]*|,*|*,|*,,*) usage "bad server list: $2" ;; esac
        servers=$2; SERVERS_GIVEN=true; shift 2 ;;
      --find-url) need_arg "$@"; is_name_url "$2" || usage "bad --find-url (http:// or https://, with {name} where the name goes): $2"
        CARES_FIND_URL=$2; shift 2 ;;
      --max-lost) need_arg "$@"; is_uint "$2" || usage "bad --max-lost: $2"; maxlost=$2; maxgiven=true; shift 2 ;;
      -*) usage "refresh: unknown option: $1" ;;
      *) if [ -z "$pid" ]; then is_uint "$1" && [ "$1" -gt 1 ] || usage "bad pid: $1"; pid=$1
         elif [ -z "$method" ]; then
           case $1 in none|go-wait|gdb-res-init|gdb-cares|gdb-cares-break|gdb-evdns|pgbouncer-online-restart|proxy-reload|proxy-resolver|signal-HUP|signal-USR1|signal-USR2) method=$1 ;; *) usage "unknown refresh method: $1" ;; esac
         else usage "refresh: unexpected argument: $1"; fi
         shift ;;
    esac
  done
  [ -n "$RUN" ] && [ -n "$pid" ] && [ -n "$method" ] || usage "refresh --run RUN PID METHOD [--servers IP,IP] [--max-lost N] [--find-url URL]"
  [ "$method" != gdb-cares-break ] || [ -n "${CARES_FIND_URL:-}" ] || usage "refresh METHOD gdb-cares-break needs --find-url URL (the process's URL that makes it resolve {name})"
  start=$(proc_start "$pid")
  [ -n "$start" ] || die 3 "no process $pid"
  [ -n "$servers" ] || servers=$(refresh_servers "$pid")
  d_num pid "$pid"; d_str method "$method"; d_num start_time "$start"
  d_strn servers "$servers"
  tree=$pid
  case $method in proxy-*) tree=$(proc_tree "$pid") ;; esac
  # shellcheck disable=SC2086 # a pid list
  { s_before=$(tree_sockets $tree); c_before=$(client_conns $tree); }
  ensure_run_dir "$RUN"
  R_NEWPID=
  case $method in gdb-*) refreshed_is "$pid" "$method $servers" && {
    d_str detail "already refreshed to $servers by an earlier run; not attached again"
    d_bool alive true; d_bool same_process true; d_num sockets_lost 0; d_num client_sockets_lost 0
    ok; } ;; esac
  do_refresh "$pid" "$method" "$servers"
  [ "$method" = none ] || CHANGED=true
  if [ -n "$R_NEWPID" ]; then
    # online restart: the sockets (same inodes) now live in the new process
    d_num new_pid "$R_NEWPID"
    pid=$R_NEWPID
    start=$(proc_start "$R_NEWPID")
  fi
  after=$(proc_start "$pid")
  case $method in proxy-*) tree=$(proc_tree "$pid") ;; *) tree=$pid ;; esac
  # shellcheck disable=SC2086 # a pid list: the old workers still serving are in it
  s_after=$(tree_sockets $tree)
  lost=0 clost=0
  for s in $s_before; do printf '%s\n' "$s_after" | grep -qx "$s" || lost=$((lost + 1)); done
  gone=''
  while read -r s peer; do
    [ -n "$s" ] || continue
    printf '%s\n' "$s_after" | grep -qx "$s" || { clost=$((clost + 1)); gone="${gone:+$gone, }$peer"; }
  done <<EOF_CONNS
$c_before
EOF_CONNS
  d_str detail "$R_DETAIL"
  d_bool alive "$( [ -n "$after" ] && echo true || echo false)"
  d_bool same_process "$( [ -z "$R_NEWPID" ] && [ "$after" = "$start" ] && echo true || echo false)"
  d_num sockets_before "$(printf '%s\n' "$s_before" | grep -c .)"
  d_num sockets_after "$(printf '%s\n' "$s_after" | grep -c .)"
  d_num sockets_lost "$lost"
  d_num client_sockets_before "$(printf '%s\n' "$c_before" | grep -c .)"
  d_num client_sockets_lost "$clost"
  # shellcheck disable=SC2046 # one word per nameserver
  d_raw nameservers_seen "$(json_arr $(resolv_words "/proc/$pid/root/etc/resolv.conf" nameserver))"
  if [ "$method" != none ] && [ "$CHANGED" = true ]; then
    # shellcheck disable=SC2086 # gdb-cares-break: the channel and the servers set, for the undo
    undo_add "$RUN" "$STEP" refresh "$pid" "$start" "$method" $R_UNDO_ARGS
  fi
  [ -n "$after" ] || die 4 "process $pid died during the refresh"
  [ "$after" = "$start" ] || die 4 "process $pid was replaced during the refresh (start time $start -> $after)"
  case $method in proxy-*) [ "$maxgiven" = true ] || maxlost=$clost ;; esac
  [ "$clost" -le "$maxlost" ] || die 4 "process $pid lost $clost of its client connections during the refresh (clients $gone)"
  # none and go-wait switch a process only through the resolv.conf it sees: one of another mount
  # namespace (a container) would go on asking what its own file lists (compared with the
  # helper's own view, not hp: a test root's file is no process's)
  case $method in none|go-wait) cmp -s "/proc/$pid/root/etc/resolv.conf" /etc/resolv.conf ||
    die 4 "process $pid sees another /etc/resolv.conf than the host's (its own mount namespace?): method $method does not switch it" ;; esac
  ok
}

