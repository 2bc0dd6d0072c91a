# ----------------------------------------------------------- gdb-evdns -----

# A pgbouncer built without c-ares resolves with libevent's evdns ("adns: evdns2"), which parses
# resolv.conf once, into its evdns_base, and never again. gdb-evdns does, in one attach, what
# libevent offers for this (evdns.h): evdns_base_clear_nameservers_and_suspend (the servers are
# freed; requests in flight wait, to be sent again), evdns_base_resolv_conf_parse of
# /etc/resolv.conf with DNS_OPTION_NAMESERVERS (its nameservers only: the search list and options
# stay as pgbouncer read them, and /etc/hosts is not loaded a second time), evdns_base_resume (the
# waiting requests go to the new servers), then reads the servers back
# (evdns_base_get_nameserver_addr) for the helper to compare with the file.

EVDNS_FNS='evdns_base_clear_nameservers_and_suspend evdns_base_resolv_conf_parse evdns_base_resume evdns_base_count_nameservers evdns_base_get_nameserver_addr'

# evdns_image PID: "base path [(deleted)]" of the libevent PID maps that carries evdns
evdns_image() { lib_map "$1" '/libevent(_extra)?-[^/]*so'; }

# evdns_unsafe PID: why gdb-evdns must not be used on PID (nothing when it can be): no libevent
# with every function it calls, a library replaced on disk, or a pgbouncer told to read another
# file than /etc/resolv.conf (resolv_conf in its configuration: the cutover does not change that one)
evdns_unsafe() {
  local m f a ini='' rc
  # shellcheck disable=SC2046 # "base path [(deleted)]"
  set -- "$1" $(evdns_image "$1")
  [ -n "${3:-}" ] || { echo "no libevent with evdns mapped: its functions cannot be found"; return; }
  [ -z "${4:-}" ] || { echo "$3 was replaced on disk after the process started (an upgrade?): the code it runs is not the file, so no call is made into it"; return; }
  for f in $EVDNS_FNS; do
    grep -a -q -m 1 -F "$f" "/proc/$1/root$3" 2>/dev/null || { echo "$3 has no $f (libevent older than 2.1?)"; return; }
  done
  for a in $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null); do case $a in -*) ;; *.ini) ini=$a ;; esac; done
  [ -n "$ini" ] && [ -f "/proc/$1/root$ini" ] || { echo "its configuration file is not on its command line: the resolv.conf it parsed cannot be told"; return; }
  rc=$(awk -F '=' '$1 ~ /^[ \t]*resolv_conf[ \t]*$/ { v = $2; gsub(/^[ \t]+|[ \t]+$/, "", v) } END { print v }' "/proc/$1/root$ini")
  [ -z "$rc" ] || [ "$rc" = /etc/resolv.conf ] || echo "its configuration ($ini) sets resolv_conf = $rc: evdns parsed that file, not the /etc/resolv.conf the cutover changes"
}

# evdns_find_base PID: find pgbouncer's evdns_base without stopping it. The search rests on what
# pgbouncer keeps (a global pointer to its DNS context, whose edns member, among its first words,
# is the evdns_base) and on the one part of libevent's layout that is its purpose: each nameserver
# object starts with its socket and then its address (a sockaddr with port 53), and points back
# to its base; the base points to its first nameserver. So: global -> ctx -> B, B's malloc chunk
# holds a pointer to S, S holds a port-53 sockaddr at offset 8 and, within its chunk, B. The
# globals and the heap are read through /proc/PID/mem; anything but exactly one such B is "not
# found" (exit 3). Sets CH_LIST "base global ctx slot base" (hex): the words that must still hold
# while the process is stopped (cares_chain_check), and EV_BASE.
evdns_find_base() {
  local pid="$1" maps hs he
  maps=$(image_maps "$pid")
  hs=$(printf '%s\n' "$maps" | awk '$1 == "HEAP" { print $2 }')
  he=$(printf '%s\n' "$maps" | awk '$1 == "HEAP" { print $3 }')
  [ -n "$hs" ] && printf '%s\n' "$maps" | grep -q '^DATA ' || die 3 "cannot read the memory map of process $pid"
  # shellcheck disable=SC2016
  CH_LIST=$(printf '%s\n' "$maps" | while read -r kind s e; do
      case $kind in DATA|BSS) echo "G $s" ;; HEAP) echo "H $s" ;; *) continue ;; esac
      dd if="/proc/$pid/mem" bs=4096 skip=$(( 0x$s / 4096 )) count=$(( (0x$e - 0x$s) / 4096 )) 2>/dev/null | od -A n -v -t x8
    done | LC_ALL=C awk -v HS="$(printf '%016x' $((0x$hs)))" -v HE="$(printf '%016x' $((0x$he)))" '
    function num(h,   i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
    function hex(n,   s, d) { s = ""; while (n > 0) { d = n % 16; s = substr("0123456789abcdef", d + 1, 1) s; n = (n - d) / 16 }; return substr("0000000000000000", 1, 16 - length(s)) s }
    function inheap(w) { return ("x" w) >= ("x" HS) && ("x" w) < ("x" HE) && index("08", substr(w, 16, 1)) }
    # the malloc chunk of heap pointer w: sets ci (its first word) and cn (its words); 0 if none
    function chunk(w,   sz) { ci = (num(w) - hsn) / 8; sz = num(h[ci - 1]); sz -= sz % 8; cn = sz / 8 - 1; return sz >= 32 && ci + cn <= nh }
    $1 == "G" { sec = "G"; ga = num($2); next }
    $1 == "H" { sec = "H"; hsn = num(HS); next }
    sec == "G" { for (i = 1; i <= NF; i++) { g[ng] = $i; gaddr[ng++] = ga; ga += 8 }; next }
    sec == "H" { for (i = 1; i <= NF; i++) h[nh++] = $i; next }
    END {
      for (i = 0; i < ng; i++) {
        x = g[i]
        if (!inheap(x) || (x in seen) || !chunk(x)) continue
        seen[x] = 1; xi = ci
        for (k = 0; k <= 8 && k < cn; k++) {
          b = h[xi + k]
          if (!inheap(b) || (b in found) || !chunk(b) || cn < 16) continue
          bi = ci; bn = cn
          for (j = bi; j < bi + bn; j++) {
            s = h[j]
            if (!inheap(s) || s == b || !chunk(s) || cn < 4) continue
            w = substr(h[ci + 1], 9, 8)
            if (w != "35000002" && w != "3500000a") continue
            back = 0
            for (q = ci; q < ci + cn; q++) if (h[q] == b) back = 1
            if (!back) continue
            found[b] = 1; nf++
            print b, hex(gaddr[i]), x, hex(hsn + (xi + k) * 8), b
            break
          }
        }
      }
    }')
  [ -n "$CH_LIST" ] || die 3 "evdns base of process $pid not found (not a pgbouncer that resolves with evdns?)"
  [ "$(printf '%s\n' "$CH_LIST" | wc -l)" -eq 1 ] || die 3 "evdns base of process $pid is ambiguous: $(printf '%s\n' "$CH_LIST" | awk '{ printf "%s0x%s", s, $1; s = ", " }')"
  EV_BASE=$(printf '%s\n' "$CH_LIST" | awk '{ print $1 }')
  log "evdns base 0x$EV_BASE (global 0x$(printf '%s\n' "$CH_LIST" | awk '{ print $2 }') -> ctx 0x$(printf '%s\n' "$CH_LIST" | awk '{ print $3 }'))"
}

# evdns_cmds ENTRY MALLOC FREE CLEAR PARSE RESUME COUNT GETADDR: the gdb commands of one refresh of
# EV_BASE: clear and suspend, parse /etc/resolv.conf's nameservers, resume (always, once suspended),
# then every server it now has, printed as CUTOVER-NS=ADDRESS (IPv4 dotted, IPv6 as 8 hex groups)
evdns_cmds() {
  local b="0x$EV_BASE"
  gdb_idle_check gdb-evdns
  cares_chain_check
  gdb_call_prologue "$1"
  # 0..63 the file name, 64..191 a sockaddr_storage for the servers read back
  printf 'cutover_call %s 192 0 0\nset $cutover_buf = $rax\n' "$2"
  printf 'if $cutover_buf == 0\n  echo CUTOVER-NOMEM\\n\n  delete\n  cutover_restore\n  detach\n  quit 9\nend\n'
  c_string_cmds '$cutover_buf' /etc/resolv.conf
  printf 'cutover_call %s %s 0 0\nset $cutover_clear = (int)$rax\n' "$4" "$b"
  printf 'cutover_call %s %s 2 $cutover_buf\nset $cutover_rc = (int)$rax\n' "$5" "$b"
  printf 'cutover_call %s %s 0 0\n' "$6" "$b"
  printf 'cutover_call %s %s 0 0\nset $cutover_count = (int)$rax\nset $cutover_sa = $cutover_buf + 64\nset $cutover_i = 0\n' "$7" "$b"
  printf 'while $cutover_i < $cutover_count && $cutover_i < 32\n'
  gdb_set_reg rcx 128
  printf '  cutover_call %s %s $cutover_i $cutover_sa\n' "$8" "$b"
  printf '  if (int)$rax > 0 && *(unsigned short*)$cutover_sa == 2\n'
  printf '    printf "CUTOVER-NS=%%d.%%d.%%d.%%d\\n", *(unsigned char*)($cutover_sa+4), *(unsigned char*)($cutover_sa+5), *(unsigned char*)($cutover_sa+6), *(unsigned char*)($cutover_sa+7)\n'
  printf '  end\n  if (int)$rax > 0 && *(unsigned short*)$cutover_sa == 10\n    printf "CUTOVER-NS='
  printf '%%x:%%x:%%x:%%x:%%x:%%x:%%x:%%x\\n"'
  for q in 8 10 12 14 16 18 20 22; do printf ', *(unsigned char*)($cutover_sa+%d) * 256 + *(unsigned char*)($cutover_sa+%d)' "$q" $((q + 1)); done
  printf '\n  end\n  set $cutover_i = $cutover_i + 1\nend\n'
  printf 'cutover_call %s $cutover_buf 0 0\n' "$3"
  printf 'printf "CUTOVER-CLEAR=%%d\\nCUTOVER-COUNT=%%d\\nCUTOVER-RC=%%d\\n", $cutover_clear, $cutover_count, $cutover_rc\n'
  gdb_call_epilogue
}

# evdns_ip_norm IP: an IPv6 address as evdns_cmds prints it (8 groups, no zeros left out), IPv4 as is
evdns_ip_norm() {
  case $1 in
    *:*) printf '%s\n' "$1" | awk -F : '{ n = 0; for (i = 1; i <= NF; i++) if ($i != "") n++
        o = ""; z = 0
        for (i = 1; i <= NF; i++) {
          if ($i == "") { if (!z) { for (k = 0; k < 8 - n; k++) o = o ":0"; z = 1 }; continue }
          v = tolower($i); sub(/^0+/, "", v); o = o ":" (v == "" ? "0" : v)
        }
        print substr(o, 2) }' ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# evdns_refresh PID SERVERS: the gdb-evdns method on PID, whose resolv.conf lists SERVERS
# (comma separated); sets R_DETAIL and data fields, dies (3: refused, nothing called) otherwise
evdns_refresh() {
  local pid="$1" servers="$2" why img ibase ipath cmds entry malloc free fn clear parse resume count getaddr rc tries=0 busy now want s
  [ "${SERVERS_GIVEN:-}" != true ] || die 3 "gdb-evdns makes process $pid parse /etc/resolv.conf again; it takes no --servers"
  [ -n "$servers" ] || die 3 "no nameservers in /proc/$pid/root/etc/resolv.conf: evdns would fall back to 127.0.0.1 on its own; refusing"
  need gdb; need dd; need od
  why=$(evdns_unsafe "$pid")
  [ -z "$why" ] || die 3 "process $pid cannot be refreshed with gdb-evdns: $why"
  img=$(evdns_image "$pid")
  # shellcheck disable=SC2086 # "base path"
  set -- $img
  ibase=$1 ipath=$2
  # shellcheck disable=SC2086 # a word list
  sym_preload "/proc/$pid/root$ipath" $EVDNS_FNS
  sym_preload "/proc/$pid/root$(lib_map "$pid" '/libc[.-][^/]*so' | awk '{ print $2 }')" malloc free
  resolve_fn "$pid" '/libc[.-][^/]*so' malloc; malloc=$FN_ADDR
  resolve_fn "$pid" '/libc[.-][^/]*so' free; free=$FN_ADDR
  resolve_in "$pid" evdns_base_clear_nameservers_and_suspend "$ibase" "$ipath"; clear=$FN_ADDR
  resolve_in "$pid" evdns_base_resolv_conf_parse "$ibase" "$ipath"; parse=$FN_ADDR
  resolve_in "$pid" evdns_base_resume "$ibase" "$ipath"; resume=$FN_ADDR
  resolve_in "$pid" evdns_base_count_nameservers "$ibase" "$ipath"; count=$FN_ADDR
  resolve_in "$pid" evdns_base_get_nameserver_addr "$ibase" "$ipath"; getaddr=$FN_ADDR
  entry=$(exe_entry "$pid")
  evdns_find_base "$pid"
  main_stack "$pid"
  cmds=$(mktemp "${TMPDIR:-/tmp}/cutover-gdb.XXXXXX") || die 1 "cannot create a temp file"
  remove_on_exit "$cmds"
  evdns_cmds "$entry" "$malloc" "$free" "$clear" "$parse" "$resume" "$count" "$getaddr" >"$cmds"
  d_str evdns_base "0x$EV_BASE"
  while :; do
    gdb_session "$pid" "$cmds"
    case $GDB_OUT in *CUTOVER-NOT-MAIN-THREAD*)
      log "$GDB_OUT"; die 3 "gdb stopped a thread of process $pid other than its event loop's; nothing was called" ;; esac
    case $GDB_OUT in *CUTOVER-CHAIN-BROKEN*|*CUTOVER-NOMEM*|*CUTOVER-CALL-FAILED*|*"Error in sourced command file"*)
      log "$GDB_OUT"; die 1 "the calls in process $pid did not complete (see log); registers were restored: check its nameservers (SHOW DNS_HOSTS, a lookup)" ;; esac
    busy=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-BUSY //p' | tail -n 1)
    [ -n "$busy" ] || break
    [ $tries -lt 40 ] || die 1 "process $pid was never idle in its event loop in $tries attempts (last stopped in $busy; nothing was called)"
    tries=$((tries + 1)); log "not idle ($busy); retrying ($tries)"; sleep 0.05
  done
  rc=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-RC=\(-\{0,1\}[0-9][0-9]*\)$/\1/p' | tail -n 1)
  now=$(printf '%s\n' "$GDB_OUT" | sed -n 's/^CUTOVER-NS=//p' | paste -s -d , -)
  d_num gdb_ms "$GDB_MS"
  d_num attempts $((tries + 1))
  d_strn return_value "$rc"
  d_str call evdns_base_resolv_conf_parse
  d_strn servers_now "$now"
  [ "$rc" = 0 ] || { log "$GDB_OUT"; die 4 "evdns_base_resolv_conf_parse in process $pid returned ${rc:-nothing} (expected 0); its servers now: ${now:-none}"; }
  want=''
  for s in $(printf '%s' "$servers" | tr ',' ' '); do want="${want:+$want,}$(evdns_ip_norm "$s")"; done
  [ "$now" = "$want" ] || die 4 "after the parse process $pid uses ${now:-no servers}, not $servers from resolv.conf"
  refreshed_mark "$pid" "gdb-evdns $servers"
  R_DETAIL="called in process (evdns_base_clear_nameservers_and_suspend, evdns_base_resolv_conf_parse, evdns_base_resume): its evdns now asks $now"
}
