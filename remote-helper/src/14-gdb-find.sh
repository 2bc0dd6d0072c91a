# ------------------------------------------------------ gdb: channel found by a breakpoint -----
# gdb-cares-break: c-ares in a process whose memory layout the helper does not know (not
# pgbouncer's, not Node's). Its channel is learnt from a short, bounded breakpoint on c-ares'
# lookup entry points while a GET makes the process resolve a fresh name (the channel is their
# first argument, in rdi); the call itself is then made as gdb-cares makes it, in a second attach
# while the process waits in its event loop (no c-ares frame on the stack), on that channel only.

# The entry points a lookup enters c-ares by (the channel is each one's first argument); those the
# library exports get a breakpoint (Node 20's dns.resolve4 enters at ares_query_dnsrec).
CARES_ENTRIES="ares_gethostbyname ares_getaddrinfo ares_search ares_query ares_send ares_gethostbyaddr ares_getnameinfo ares_search_dnsrec ares_query_dnsrec ares_send_dnsrec"
# What gdb-cares-break reads of the library besides gdb-cares' symbols, in the same gdb run
CARES_SYMS="$CARES_ENTRIES ares_get_servers ares_free_data"
# How long gdb waits for the breakpoint, from its start (the attach takes ~0.1 s), in seconds
CARES_FIND_BOUND_S=2

# cares_break_find PID BASE PATH: sets CH_LIST to "chan hdr word" for the one channel the process's
# lookup used (hdr: the address of its malloc chunk's size word, which must still hold while stopped
# for the call). The channel comes from CARES_FIND_CHANNEL when the undo names it (the revert needs
# no trigger: the servers read before the call must then be CARES_EXPECT, what the refresh set),
# else from a breakpoint: gdb attaches, breaks on every exported entry point, continues for at
# most CARES_FIND_BOUND_S while a GET of CARES_FIND_URL ({name}: a fresh name) makes the process
# resolve, reads rdi at the hit, deletes the breakpoints and detaches; the process is stopped only
# for the attach and at the hit. No hit within the bound: detached, nothing called, exit 3. Sets
# FIND_MS (gdb's run), FIND_ENTRY (the function hit), FIND_NAME.
cares_break_find() {
  local pid="$1" base="$2" path="$3" s brk='' pcs='' names='' cmds armed out get url_named tmo=5 hit chan
  main_stack "$pid"
  chan=${CARES_FIND_CHANNEL:-}
  FIND_MS='' FIND_ENTRY='' FIND_NAME=''
  if [ -z "$chan" ]; then
    [ -n "${CARES_FIND_URL:-}" ] || die 3 "the c-ares channel of process $pid is found by a breakpoint while a GET makes it resolve: --find-url URL is needed"
    http_tool >/dev/null || die 3 "gdb-cares-break needs curl, wget or busybox (wget) to GET $CARES_FIND_URL: none is installed on this host"
    # (read with the other c-ares symbols, CARES_SYMS: one gdb run; a function the library lacks is
    # skipped, not looked up again)
    for s in $CARES_ENTRIES; do
      [ -n "$(sym_cached "/proc/$pid/root$path" "$s")" ] || continue
      resolve_in "$pid" "$s" "$base" "$path"
      brk="${brk}break *$FN_ADDR
"
      pcs="${pcs:+$pcs || }\$pc == $FN_ADDR" names="$names $FN_ADDR:$s"
    done
    [ -n "$brk" ] || die 3 "$path exports none of c-ares' lookup functions ($CARES_ENTRIES): no breakpoint can catch the channel of process $pid"
    cmds=$(mktemp "${TMPDIR:-/tmp}/cutover-find.XXXXXX") && armed=$(mktemp -u "${TMPDIR:-/tmp}/cutover-armed.XXXXXX") &&
      out=$(mktemp "${TMPDIR:-/tmp}/cutover-findget.XXXXXX") || die 1 "cannot create a temp file"
    remove_on_exit "$cmds"; remove_on_exit "$armed"; remove_on_exit "$out"
    FIND_NAME="cutover-find-$(now_ms)-$$.invalid"
    url_named=$(printf '%s' "$CARES_FIND_URL" | sed "s/{name}/$FIND_NAME/g") # a DNS name: nothing sed would read
    # SIGINT (the bound) during `continue` stops the process; gdb does not pass it on
    { printf 'handle SIGINT stop nopass\n%sshell : >%s\ncontinue\n' "$brk" "$armed"
      printf 'if %s\n  printf "CUTOVER-HIT pc 0x%%lx channel 0x%%lx rsp %%lu\\n", $pc, $rdi, $rsp\nelse\n  echo CUTOVER-NO-HIT\\n\nend\ndelete\ndetach\n' "$pcs"
    } >"$cmds"
    # the GET once the breakpoints are in (before, the lookup could pass them unseen)
    ( i=0; while [ ! -e "$armed" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done
      [ -e "$armed" ] && http_exec ) >"$out" 2>&1 &
    get=$!
    GDB_BOUND=$CARES_FIND_BOUND_S gdb_session "$pid" "$cmds"
    FIND_MS=$GDB_MS
    hit=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-HIT //p' | tail -n 1)
    if [ -z "$hit" ]; then
      kill "$get" 2>/dev/null; wait "$get"
      log "$GDB_OUT"
      d_num find_gdb_ms "$FIND_MS"
      die 3 "process $pid made no c-ares lookup within ${CARES_FIND_BOUND_S} s of GET $url_named (is that its URL that makes it resolve?): its channel was not found, the breakpoints are removed, nothing was called"
    fi
    # the lookup the GET started must be over before the call: c-ares < 1.22 refuses new servers
    # while a query is in flight; the GET returns when the process has answered it
    wait "$get"
    log "breakpoint hit ($hit) in ${FIND_MS} ms; GET $url_named: $(tail -n 1 "$out")"
    # shellcheck disable=SC2086 # "pc 0x.. channel 0x.. rsp N"
    set -- $hit
    chan=${4#0x}
    [ "$6" -ge "$MAIN_STACK_LO" ] && [ "$6" -lt "$MAIN_STACK_HI" ] ||
      die 3 "process $pid entered c-ares from a thread other than its main one: the call is made only on the main thread, where its event loop waits; nothing was called"
    for s in $names; do [ "${s%%:*}" != $(( $2 )) ] || FIND_ENTRY=${s#*:}; done
  fi
  cares_chunk_check "$pid" "$chan"
  resolve_in "$pid" ares_get_servers "$base" "$path"; BRK_GET=$FN_ADDR
  resolve_in "$pid" ares_free_data "$base" "$path"; BRK_FREE=$FN_ADDR
}

# cares_break_report SERVERS: after the call, data for gdb-cares-break and what its undo needs
# (R_UNDO_ARGS: the channel and the servers set); the servers read back must be SERVERS
cares_break_report() {
  local chan before after want='' s
  chan=$(printf '%s\n' "$CH_LIST" | awk 'NR == 1 { print $1 }')
  before=$(cares_break_servers before) after=$(cares_break_servers after)
  d_strn find_entry "$FIND_ENTRY"; d_strn find_name "$FIND_NAME"
  [ -z "$FIND_MS" ] || d_num find_gdb_ms "$FIND_MS"
  d_strn servers_before "$before"
  R_UNDO_ARGS="$chan $1"
  [ "$call" = ares_set_servers_csv ] || return 0
  d_strn servers_now "$after"
  for s in $(printf '%s' "$1" | tr ',' ' '); do want="${want:+$want,}$(ipv6_full "$s")"; done
  [ "$after" = "$want" ] ||
    die 4 "after ares_set_servers_csv the c-ares channel 0x$chan of process $pid reports the servers ${after:-(none)}, not $1"
}

# cares_chunk_check PID CHAN: CHAN looks like a live malloc chunk (16-aligned, its size word sane):
# sets CH_LIST "chan hdr word", the size word re-checked while stopped, before any call
cares_chunk_check() {
  local w sz
  [ $(( 0x$2 % 16 )) -eq 0 ] || die 3 "0x$2 (the channel of process $1) is not a malloc'd address; nothing was called"
  w=$(dd if="/proc/$1/mem" bs=8 skip=$(( (0x$2 - 8) / 8 )) count=1 2>/dev/null | od -A n -t x8 | tr -d ' \n')
  [ -n "$w" ] || die 3 "cannot read process $1's memory at 0x$2"
  sz=$(( 0x$w & ~7 ))
  [ "$sz" -ge 64 ] && [ "$sz" -le 1048576 ] && [ $(( 0x$w & 2 )) -eq 0 ] ||
    die 3 "0x$2 in process $1 is not a live c-ares channel (its malloc chunk header reads 0x$w); nothing was called"
  CH_LIST="$2 $(printf '%x' $(( 0x$2 - 8 ))) $w"
  log "c-ares channel 0x$2 (malloc chunk of $sz bytes)"
}

# cares_break_servers_cmds TAG [EXPECT]: gdb commands (after
# gdb_call_prologue) that read the channel's servers with ares_get_servers into a slot in the
# stopped thread's unused stack (below its red zone, above the calls' frames) and print them as
# CUTOVER-SERVER-TAG lines. A call that fails means the pointer is no channel: nothing more is
# called. With EXPECT (IPv4 list), every server must be those, in order, else nothing more is
# called (CUTOVER-NOT-OURS). ares_get_servers and ares_free_data are at BRK_GET and BRK_FREE.
# Nothing unless CARES_FIND is break.
cares_break_servers_cmds() {
  local chan a
  [ "${CARES_FIND:-}" = break ] || return 0
  chan=$(printf '%s\n' "$CH_LIST" | awk 'NR == 1 { print $1 }')
  printf 'set $cutover_slot = ((long)$cutover_rsp - 512) & ~0xf\nset *(unsigned long*)$cutover_slot = 0\n'
  printf 'cutover_call %s 0x%s $cutover_slot 0\nset $cutover_g = (int)$rax\n' "$BRK_GET" "$chan"
  printf 'if $cutover_g != 0\n  printf "CUTOVER-NOT-A-CHANNEL rc %%d\\n", $cutover_g\n  delete\n  cutover_restore\n  detach\n  quit 9\nend\n'
  printf 'set $cutover_n = *(unsigned long*)$cutover_slot\nset $cutover_ok = 1\n'
  for a in $(printf '%s' "${2:-}" | tr ',' ' '); do
    printf 'if $cutover_n == 0\n  set $cutover_ok = 0\nelse\n  if *(int*)($cutover_n + 8) != 2 || *(unsigned int*)($cutover_n + 12) != %s\n    set $cutover_ok = 0\n  end\n  set $cutover_n = *(unsigned long*)$cutover_n\nend\n' \
      "$(printf '%s' "$a" | awk -F . '{ print $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 }')"
  done
  [ -z "${2:-}" ] || printf 'if $cutover_n != 0\n  set $cutover_ok = 0\nend\n'
  printf 'set $cutover_n = *(unsigned long*)$cutover_slot\nwhile $cutover_n != 0\n'
  printf '  if *(int*)($cutover_n + 8) == 2\n    printf "CUTOVER-SERVER-%s=%%u.%%u.%%u.%%u\\n", *(unsigned char*)($cutover_n + 12), *(unsigned char*)($cutover_n + 13), *(unsigned char*)($cutover_n + 14), *(unsigned char*)($cutover_n + 15)\n' "$1"
  printf '  else\n    printf "CUTOVER-SERVER-%s=%%x:%%x:%%x:%%x:%%x:%%x:%%x:%%x\\n"' "$1"
  for a in 12 14 16 18 20 22 24 26; do printf ', *(unsigned char*)($cutover_n + %d) * 256 + *(unsigned char*)($cutover_n + %d)' "$a" $((a + 1)); done
  printf '\n  end\n  set $cutover_n = *(unsigned long*)$cutover_n\nend\n'
  printf 'set $cutover_l = *(unsigned long*)$cutover_slot\nif $cutover_l != 0\n  cutover_call %s $cutover_l 0 0\nend\n' "$BRK_FREE"
  printf 'if $cutover_ok == 0\n  echo CUTOVER-NOT-OURS\\n\n  delete\n  cutover_restore\n  detach\n  quit 9\nend\n'
}

# cares_break_servers TAG: the servers gdb printed as CUTOVER-SERVER-TAG, comma separated
cares_break_servers() {
  printf '%s\n' "$GDB_OUT" | sed -n "s/^CUTOVER-SERVER-$1=//p" | paste -s -d , -
}

# ipv6_full ADDR: ADDR with every group written, no leading zeros ("fd00::1" -> "fd00:0:0:0:0:0:0:1"),
# as gdb prints a server; an IPv4 address unchanged
ipv6_full() {
  case $1 in *:*) ;; *) printf '%s' "$1"; return ;; esac
  printf '%s' "$1" | awk -F : '{
    n = 0; for (i = 1; i <= NF; i++) if ($i != "") n++
    out = ""; filled = 0
    for (i = 1; i <= NF; i++) {
      if ($i == "") { if (!filled) { for (k = 0; k < 8 - n; k++) out = out (out == "" ? "" : ":") "0"; filled = 1 }; continue }
      g = tolower($i); sub(/^0+/, "", g); if (g == "") g = "0"
      out = out (out == "" ? "" : ":") g
    }
    printf "%s", out }'
}
