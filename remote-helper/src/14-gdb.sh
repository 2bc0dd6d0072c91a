# ----------------------------------------------------------------- gdb -----


# lib_map PID REGEX: "base path" of the first mapping (offset 0) of a library
lib_map() {
  awk -v re="$2" '$6 ~ re && $3 == "00000000" { split($1, a, "-"); print a[1], $6, $7; exit }' "/proc/$1/maps"
}
# image_map PID PATH: the same for the mapped file PATH (the executable, say)
image_map() {
  awk -v p="$2" '$6 == p && $3 == "00000000" { split($1, a, "-"); print a[1], $6, $7; exit }' "/proc/$1/maps"
}
# sym_offset FILE SYMBOL: the symbol's address in FILE (hex), read offline. A file with
# debug information (Node's official builds) says "is a function at address". Symbols
# read ahead by sym_preload come from its cache (one gdb run per file: gdb takes 0.5-1 s
# on libc or Node's executable on a busy host).
sym_offset() {
  local c
  c=$(sym_cached "$@")
  [ -n "$c" ] || c=$(sym_read "$@" | awk '{ print $2; exit }')
  printf '%s\n' "$c"
}
# sym_cached FILE SYMBOL: the symbol's address if sym_preload read it (nothing: not read, or absent)
sym_cached() { printf '%s\n' "${SYM_CACHE:-}" | awk -F '\t' -v f="$1" -v s="$2" '$1 == f && $2 == s { print $3; exit }'; }
# sym_read FILE SYMBOL...: "symbol 0xaddr" for each symbol FILE has, one gdb run
sym_read() {
  local f="$1" s args=''
  shift
  for s in "$@"; do args="$args -ex 'info address $s'"; done
  eval "gdb -nx -batch -iex 'set debug-file-directory /nonexistent' -iex 'set auto-load off' $args \"\$f\"" 2>/dev/null |
    sed -n -e 's/^Symbol "\([^"]*\)" is at \(0x[0-9a-f]*\) .*/\1 \2/p' -e 's/^Symbol "\([^"]*\)" is a function at address \(0x[0-9a-f]*\)\..*/\1 \2/p'
}
# sym_preload FILE SYMBOL...: read these symbols of FILE at once into SYM_CACHE
sym_preload() {
  local l
  l=$(sym_read "$@" | awk -v f="$1" '{ printf "%s\t%s\t%s\n", f, $1, $2 }')
  SYM_CACHE="${SYM_CACHE:-}
$l"
}
# sym_addr BASE FILE OFF: absolute address (decimal) of a symbol at OFF in FILE mapped at BASE.
# A fixed-address executable (ET_EXEC, no PIE: Node's official builds) is linked at its address.
sym_addr() {
  case $(od -A n -t u2 -j 16 -N 2 "$2" | tr -d ' ') in 2) echo $(( $3 )) ;; *) echo $(( 0x$1 + $3 )) ;; esac
}
# code_bytes_match PID ADDR FILE PATH: the process has FILE's bytes at ADDR. The file offset
# comes from the mapping of PATH that holds ADDR (start, offset), as the kernel mapped it.
code_bytes_match() {
  local a b fo
  fo=$(awk -v p="$4" '$6 == p { split($1, r, "-"); print r[1], r[2], $3 }' "/proc/$1/maps" | while read -r s e o; do
    [ "$2" -ge $((0x$s)) ] && [ "$2" -lt $((0x$e)) ] && { echo $(( $2 - 0x$s + 0x$o )); break; }
  done)
  [ -n "$fo" ] || return 1
  a=$(dd if="/proc/$1/mem" bs=1 skip="$2" count=16 2>/dev/null | od -A n -t x1 | tr -d ' \n')
  b=$(dd if="$3" bs=1 skip="$fo" count=16 2>/dev/null | od -A n -t x1 | tr -d ' \n')
  [ -n "$a" ] && [ "$a" = "$b" ]
}
# resolve_fn PID LIBREGEX SYMBOL: absolute address (decimal) of SYMBOL in the
# process, checked against the library's code; sets FN_ADDR, dies otherwise.
resolve_fn() {
  local m
  m=$(lib_map "$1" "$2")
  [ -n "$m" ] || die 3 "process $1 has no library matching $2 mapped"
  # shellcheck disable=SC2086 # split "base path [deleted]"
  resolve_in "$1" "$3" $m
}
# resolve_in PID SYMBOL BASE PATH [DELETED]: the same in the mapped file PATH at BASE
resolve_in() {
  local off
  [ -z "${5:-}" ] || die 3 "$4 mapped in $1 was deleted or replaced on disk; refusing to call into it"
  off=$(sym_offset "/proc/$1/root$4" "$2")
  [ -n "$off" ] || die 3 "symbol $2 not found in $4"
  FN_ADDR=$(sym_addr "$3" "/proc/$1/root$4" "$off")
  code_bytes_match "$1" "$FN_ADDR" "/proc/$1/root$4" "$4" ||
    die 3 "code of $2 in process $1 differs from $4 (a different build is mapped); not calling it"
  log "resolved $2 = $(printf '0x%x' "$FN_ADDR") in $4"
}

# cares_image PID: "base path [(deleted)]" of the mapped file that carries c-ares'
# functions: libcares, else libnode or the executable itself where c-ares is linked in
# statically (Node's official builds export the ares_* symbols from the executable).
cares_image() {
  local m exe
  m=$(lib_map "$1" '/libcares[^/]*so')
  [ -n "$m" ] || m=$(lib_map "$1" '/libnode\.so')
  if [ -z "$m" ]; then
    exe=$(readlink "/proc/$1/exe" 2>/dev/null)
    [ -n "$exe" ] && grep -a -q -m 1 -F ares_init_options "/proc/$1/exe" 2>/dev/null && m=$(image_map "$1" "${exe% (deleted)}")
  fi
  printf '%s' "$m"
}

# image_maps PID: the executable's mappings and the heap, one "KIND start end" line each (hex):
# TEXT (executable), DATA (writable), BSS (the anonymous mapping right after DATA), and HEAP (from
# the first [heap] mapping's start to the last one's end), for the finders that read globals and heap
image_maps() {
  awk -v exe="$(readlink "/proc/$1/exe")" '
    $6 == exe && $2 ~ /x/ { split($1, a, "-"); print "TEXT", a[1], a[2] }
    $6 == exe && $2 ~ /^rw/ { split($1, a, "-"); print "DATA", a[1], a[2]; rwend = a[2]; next }
    rwend != "" { split($1, a, "-"); if (a[1] == rwend && $6 == "") print "BSS", a[1], a[2]; rwend = "" }
    $6 == "[heap]" { split($1, a, "-"); if (hs == "") hs = a[1]; he = a[2] }
    END { if (hs != "") print "HEAP", hs, he }' "/proc/$1/maps"
}

# cares_find_channel PID: find pgbouncer's c-ares channel without stopping it.
# The search rests on what pgbouncer itself keeps, not on c-ares' private
# layout (which changed between 1.17, 1.18 and 1.34): pgbouncer's DNS context
# (ctx) is a global; ctx->edns is its XaresMeta, whose first member is the
# ares_channel; pgbouncer hands ctx to c-ares as the data of two callbacks
# (ares_init_options' sock_state_cb and ares_set_socket_callback), so the
# channel's own allocation holds at least two [pgbouncer code ptr, ctx] pairs.
# Where they sit inside the channel is c-ares' business (adjacent in 1.17/1.18,
# 48 bytes apart in 1.34); we only require both inside the channel's malloc
# chunk (size from the chunk header). We read the globals and the heap through
# /proc/PID/mem; anything but exactly one such chain is "not found" (exit 3).
# Sets CHAN META CTX (hex).
cares_find_channel() {
  local pid="$1" maps ts te hs he out
  maps=$(image_maps "$pid")
  ts=$(printf '%s\n' "$maps" | awk '$1 == "TEXT" { print $2; exit }')
  te=$(printf '%s\n' "$maps" | awk '$1 == "TEXT" { e = $3 } END { print e }')
  hs=$(printf '%s\n' "$maps" | awk '$1 == "HEAP" { print $2 }')
  he=$(printf '%s\n' "$maps" | awk '$1 == "HEAP" { print $3 }')
  [ -n "$ts" ] && [ -n "$hs" ] || die 3 "cannot read the memory map of process $pid"
  out=$(
    printf '%s\n' "$maps" | while read -r kind s e; do
      case $kind in DATA|BSS) ;; *) continue ;; esac
      echo "G $s"
      dd if="/proc/$pid/mem" bs=4096 skip=$(( 0x$s / 4096 )) count=$(( (0x$e - 0x$s) / 4096 )) 2>/dev/null | od -A n -v -t x8
    done
    echo "H $hs"
    dd if="/proc/$pid/mem" bs=4096 skip=$(( 0x$hs / 4096 )) count=$(( (0x$he - 0x$hs) / 4096 )) 2>/dev/null | od -A n -v -t x8
  ) || true
  # shellcheck disable=SC2016
  CHAN=$(printf '%s\n' "$out" | LC_ALL=C awk -v TS="$(printf '%016x' $((0x$ts)))" -v TE="$(printf '%016x' $((0x$te)))" \
      -v HS="$(printf '%016x' $((0x$hs)))" -v HE="$(printf '%016x' $((0x$he)))" '
    function num(h,   i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
    function inheap(w) { return ("x" w) >= ("x" HS) && ("x" w) < ("x" HE) }
    function intext(w) { return ("x" w) >= ("x" TS) && ("x" w) < ("x" TE) }
    $1 == "G" { sec = "G"; next }
    $1 == "H" { sec = "H"; hsn = num(HS); nh = 0; next }
    sec == "G" { for (i = 1; i <= NF; i++) g[ng++] = $i; next }
    sec == "H" { for (i = 1; i <= NF; i++) h[nh++] = $i; next }
    END {
      # heap words X that follow a pointer into pgbouncer code: callback data candidates
      for (j = 0; j + 1 < nh; j++) if (intext(h[j]) && inheap(h[j+1])) cb[h[j+1]] = 1
      found = 0
      for (i = 0; i < ng; i++) {
        x = g[i]
        if (!(x in cb) || (x in seen)) continue
        seen[x] = 1
        xi = (num(x) - hsn) / 8
        for (k = 0; k <= 8; k++) {
          y = h[xi + k]; if (!inheap(y)) continue
          z = h[(num(y) - hsn) / 8]; if (!inheap(z) || (z in res)) continue
          zi = (num(z) - hsn) / 8
          # glibc chunk header before z: size with the 3 flag bits; mmapped chunks are not on the heap
          sz = num(h[zi - 1]); sz -= sz % 8
          if (sz < 64 || zi + sz / 8 > nh) continue
          n = 0
          for (j = zi; j + 1 < zi + sz / 8 - 1; j++) if (h[j+1] == x && intext(h[j])) n++
          if (n >= 2) { res[z] = 1; found++; print z, y, x }
        }
      }
    }')
  [ -n "$CHAN" ] || die 3 "c-ares channel of process $pid not found (not a pgbouncer built with c-ares?)"
  [ "$(printf '%s\n' "$CHAN" | wc -l)" -eq 1 ] || die 3 "c-ares channel of process $pid is ambiguous: $CHAN"
  # shellcheck disable=SC2086 # split "chan meta ctx"
  set -- $CHAN
  CHAN=$1 META=$2 CTX=$3
  log "c-ares channel 0x$CHAN (meta 0x$META, ctx 0x$CTX)"
}

# node_find_channels PID BASE PATH: find every c-ares channel of a Node process without
# stopping it. The search rests on Node's own objects, not on c-ares' layout: each channel
# belongs to a ChannelWrap (src/cares_wrap.cc), a C++ object whose first word is its
# vtable (the exported symbol _ZTVN4node10cares_wrap11ChannelWrapE + 16) and which holds
# the channel pointer; Node hands the ChannelWrap to c-ares as the data of its
# sock_state_cb, so the channel's malloc chunk holds a [pointer into Node's code,
# ChannelWrap] pair. A freed ChannelWrap has lost its vtable word (malloc's free list
# overwrites it). One channel per live ChannelWrap on the main thread's heap (a Worker
# thread's are in its own arena: not found, see docs); a ChannelWrap whose chain is not
# exactly one channel is "not found". Sets CH_LIST: "chan W vtable W+8k chan" per channel
# (hex), the words re-checked while the process is stopped.
node_find_channels() {
  local pid="$1" base="$2" path="$3" vt off ts te hs he loops tries
  loops=$(node_event_loops "$pid")
  [ "$loops" -le "$NODE_LOOPS_WITHOUT_WORKERS" ] ||
    die 3 "Node process $pid runs $loops event loops, more than the $NODE_LOOPS_WITHOUT_WORKERS of a Node without Worker threads: the c-ares channels of its Workers would be left on the old servers (only the main thread's are found); nothing was called"
  off=$(sym_offset "/proc/$pid/root$path" _ZTVN4node10cares_wrap11ChannelWrapE)
  [ -n "$off" ] || die 3 "Node's ChannelWrap vtable is not exported by $path: the channels of process $pid cannot be found"
  vt=$(printf '%016x' $(( $(sym_addr "$base" "/proc/$pid/root$path" "$off") + 16 )))
  # A scan that finds no live ChannelWrap at all is made again, at most twice: one was seen to come
  # back empty once on a loaded host, and the next scan of the same process found its channels.
  tries=0
  while :; do
    # shellcheck disable=SC2046 # "start end" pairs
    set -- $(awk -v p="$path" '$6 == p && $2 ~ /x/ { split($1, a, "-"); if (s == "") s = a[1]; e = a[2] }
      $6 == "[heap]" { split($1, a, "-"); if (hs == "") hs = a[1]; he = a[2] } END { print s, e, hs, he }' "/proc/$pid/maps")
    ts=${1:-} te=${2:-} hs=${3:-} he=${4:-}
    [ -n "$ts" ] && [ -n "$hs" ] || die 3 "cannot read the memory map of process $pid"
    CH_LIST=$(dd if="/proc/$pid/mem" bs=4096 skip=$(( 0x$hs / 4096 )) count=$(( (0x$he - 0x$hs) / 4096 )) 2>/dev/null |
      od -A n -v -t x8 | LC_ALL=C awk -v VT="$vt" -v TS="$(printf '%016x' $((0x$ts)))" -v TE="$(printf '%016x' $((0x$te)))" \
        -v HS="$(printf '%016x' $((0x$hs)))" -v HE="$(printf '%016x' $((0x$he)))" '
      function num(h,   i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
      function hex(n,   s, d) { s = ""; while (n > 0) { d = n % 16; s = substr("0123456789abcdef", d + 1, 1) s; n = (n - d) / 16 }; return s }
      function inheap(w) { return ("x" w) >= ("x" HS) && ("x" w) < ("x" HE) }
      function intext(w) { return ("x" w) >= ("x" TS) && ("x" w) < ("x" TE) }
      { for (i = 1; i <= NF; i++) { h[nh] = $i; if ($i == VT) wl[nw++] = nh; nh++ } }
      END {
        hsn = num(HS)
        for (q = 0; q < nw; q++) {
          wi = wl[q]; w = hex(hsn + wi * 8); w = substr("0000000000000000", 1, 16 - length(w)) w
          wsz = num(h[wi - 1]); wsz -= wsz % 8
          n = 0; hit = ""
          for (k = 1; k < wsz / 8 - 1 && wi + k < nh; k++) {
            z = h[wi + k]; if (!inheap(z) || num(z) % 8) continue
            zi = (num(z) - hsn) / 8
            sz = num(h[zi - 1]); sz -= sz % 8
            if (sz < 64 || zi + sz / 8 > nh) continue
            for (j = zi; j + 1 < zi + sz / 8 - 1; j++) if (h[j+1] == w && intext(h[j])) { n++; hit = z " " w " " VT " " hex(hsn + (wi + k) * 8) " " z; break }
          }
          if (n == 1) print hit; else print "AMBIGUOUS", w, n
        }
      }')
    [ -z "$CH_LIST" ] && [ "$tries" -lt 2 ] || break
    tries=$((tries + 1)); log "no live ChannelWrap on the heap of Node process $pid ($hs-$he); reading it again ($tries)"; sleep 0.1
  done
  case $CH_LIST in
    '') die 3 "no c-ares channel found in Node process $pid (no live ChannelWrap on its heap)" ;;
    *AMBIGUOUS*) die 3 "c-ares channels of Node process $pid cannot be told apart (a ChannelWrap that leads to no or several channels: $(printf '%s\n' "$CH_LIST" | grep AMBIGUOUS | tr '\n' ' '))" ;;
  esac
  log "Node c-ares channels (channel ChannelWrap ...): $(printf '%s\n' "$CH_LIST" | awk '{ printf "%s0x%s (wrap 0x%s)", s, $1, $2; s = ", " }')"
}

# node_image PID: "base path" of the file holding Node's own code (libnode where Debian
# builds it so, else the executable) when it exports Node's ChannelWrap vtable
node_image() {
  local m exe
  m=$(lib_map "$1" '/libnode\.so')
  if [ -z "$m" ]; then exe=$(readlink "/proc/$1/exe" 2>/dev/null); m=$(image_map "$1" "${exe% (deleted)}"); fi
  # shellcheck disable=SC2086 # "base path"
  set -- "$1" $m
  [ -n "${3:-}" ] && grep -a -q -m 1 -F _ZTVN4node10cares_wrap11ChannelWrapE "/proc/$1/root$3" 2>/dev/null && printf '%s %s' "$2" "$3"
}

# node_event_loops PID: how many epoll instances (libuv loops) a Node process holds. Node 20
# without Worker threads holds 3 (measured: with or without an HTTP server); each Worker adds
# its own loop, and its c-ares channels live in its own malloc arena, where
# node_find_channels does not look.
NODE_LOOPS_WITHOUT_WORKERS=3
node_event_loops() {
  local f n=0
  for f in "/proc/$1/fd/"*; do [ "$(readlink "$f" 2>/dev/null)" != 'anon_inode:[eventpoll]' ] || n=$((n + 1)); done
  echo "$n"
}

# cares_channels PID BASE PATH: the c-ares channels of PID, found without stopping it,
# where the process's layout is known (pgbouncer's DNS context, Node's ChannelWrap), or with
# CARES_FIND=break (gdb-cares-break) the one a breakpoint catches (14-gdb-find.sh). Sets
# CH_LIST: one line per channel, "chan [addr value]...": words that must still hold while
# the process is stopped, else nothing is called (hex).
cares_channels() {
  local comm m
  read -r comm <"/proc/$1/comm" 2>/dev/null
  if [ "${CARES_FIND:-}" = break ]; then
    cares_break_find "$1" "$2" "$3"
  elif [ "$comm" = pgbouncer ]; then
    cares_find_channel "$1"; CH_LIST="$CHAN $META $CHAN"
  elif m=$(node_image "$1") && [ -n "$m" ]; then
    # shellcheck disable=SC2086 # "base path"
    node_find_channels "$1" $m
  else
    die 3 "c-ares channel of process $1 ($comm) not found: its channel is found only in pgbouncer's and Node's memory layout"
  fi
}

# cares_chain_check: gdb commands that detach without calling anything unless every word of
# CH_LIST still holds (the channel was not destroyed or replaced since it was found)
cares_chain_check() {
  printf '%s\n' "$CH_LIST" | while read -r c a1 v1 a2 v2; do
    [ -z "$a1" ] || printf 'if *(unsigned long*)0x%s != 0x%s\n  echo CUTOVER-CHAIN-BROKEN\\n\n  detach\n  quit 9\nend\n' "$a1" "$v1"
    [ -z "$a2" ] || printf 'if *(unsigned long*)0x%s != 0x%s\n  echo CUTOVER-CHAIN-BROKEN\\n\n  detach\n  quit 9\nend\n' "$a2" "$v2"
  done
}

# gdb_session PID CMDFILE: one attach, run CMDFILE, detach; output in GDB_OUT.
# No symbol files are read (addresses were resolved before attaching), not even the
# executable's, no
# libthread_db, no auto-load: the process is stopped only for the calls. With GDB_BOUND
# (seconds), gdb gets SIGINT after that long: a `continue` waiting for a breakpoint stops there.
gdb_session() {
  local t0
  t0=$(now_ms)
  # as root, gdb runs at a higher priority: the process is stopped while gdb
  # waits for a CPU, so on a busy host a descheduled gdb is a longer stall
  # No executable either (a sysroot where it cannot be found): gdb read Node's 98 MB of
  # symbols after attaching, and the process stood still for 1.2-1.4 s.
  GDB_OUT=$(${GDB_BOUND:+timeout -s INT "$GDB_BOUND"} nice -n -10 gdb -nx -batch -iex 'set debug-file-directory /nonexistent' -iex 'set auto-load off' \
    -iex 'set sysroot /nonexistent' -iex 'set auto-solib-add off' -iex 'set libthread-db-search-path /nonexistent' \
    -iex 'set pagination off' -iex 'set confirm off' -p "$1" -x "$2" </dev/null 2>&1)
  GDB_MS=$(( $(now_ms) - t0 ))
  log "gdb ran for ${GDB_MS} ms (start, attach, calls, detach)"
}

# exe_entry PID: absolute address (decimal) of the executable's entry point.
# Called functions return there, where a breakpoint stops them: _start never
# runs again in a live process.
exe_entry() {
  local base type entry exe
  exe="/proc/$1/exe"
  type=$(od -A n -t u2 -j 16 -N 2 "$exe" | tr -d ' ')
  entry=$(od -A n -t u8 -j 24 -N 8 "$exe" | tr -d ' ')
  base=$(awk -v e="$(readlink "$exe")" '$6 == e && $3 == "00000000" { split($1, a, "-"); print a[1]; exit }' "/proc/$1/maps")
  [ -n "$entry" ] && [ -n "$base" ] || die 3 "cannot read the entry point of process $1"
  case $type in 3) echo $(( 0x$base + entry )) ;; *) echo "$entry" ;; esac
}

# gdb_call_prologue ENTRY: save the stopped thread's registers and define
# cutover_call FN ARG1 ARG2 ARG3. We do not use gdb's own inferior calls: they
# save and restore the whole XSAVE area, and gdb 13 cannot write it back on
# CPUs whose XSAVE area is larger than it knows (AMX: "Couldn't write extended
# state status: Bad address"). A call by hand only writes general registers;
# the thread is stopped inside a system call (gdb_idle_check), where the ABI
# lets a callee clobber every vector register anyway.
# Every register write is preceded by `select-frame 0`: after a write gdb
# reselects "the same" frame by its id in the new backtrace, and without
# symbols the id of the stop at the entry point can match the outermost frame
# (_start) of the real stack; the writes then went to frame 21's saved slots
# on the stack and $rsp failed as unmodifiable, leaving pgbouncer to resume
# with the call's registers and die (seen right after a trigger).
gdb_call_prologue() {
  local r
  for r in rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 rip eflags orig_rax; do
    printf 'set $cutover_%s = $%s\n' "$r" "$r"
  done
  printf 'handle SIGSEGV nopass\nhandle SIGBUS nopass\nhandle SIGILL nopass\nhandle SIGFPE nopass\n'
  printf 'break *%s\n' "$1"
  printf 'define cutover_restore\n'
  gdb_set_reg pc '$cutover_rip'
  for r in rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 eflags; do
    gdb_set_reg "$r" "\$cutover_$r"
  done
  # after $pc: writing $pc resets orig_rax, the kernel needs it to restart the syscall
  gdb_set_reg orig_rax '$cutover_orig_rax'
  printf 'end\n'
  printf 'define cutover_call\n'
  # The return address is written through a convenience variable, never through $rsp: after
  # the $rsp write gdb may have reselected another frame, whose $rsp is not the new one. Under
  # client load on pgbouncer 1.24 the write went elsewhere, the call returned to a stale 0x2
  # on the stack and faulted (caught: SIGSEGV is not passed, the registers were restored).
  printf '  set $cutover_sp = (((long)$cutover_rsp - 1024) & ~0xf) - 8\n'
  printf '  set *(unsigned long*)$cutover_sp = %s\n' "$1"
  gdb_set_reg rsp '$cutover_sp'
  gdb_set_reg rdi '$arg1'
  gdb_set_reg rsi '$arg2'
  gdb_set_reg rdx '$arg3'
  gdb_set_reg rax 0
  gdb_set_reg pc '$arg0'
  printf '  continue\n'
  printf '  if $pc != %s\n    echo CUTOVER-CALL-FAILED\\n\n    cutover_restore\n    detach\n    quit 9\n  end\nend\n' "$1"
}
gdb_set_reg() { printf '  select-frame 0\n  set $%s = %s\n' "$1" "$2"; }

# gdb_idle_check METHOD: gdb commands that detach without calling anything unless the stopped
# thread sits in a system call where a call is safe. gdb-cares: only the event loop's wait
# (epoll_wait, epoll_pwait, epoll_pwait2, poll, ppoll, select, pselect6): anywhere else c-ares
# may be on the stack (a sendto inside ares_process, say), and ares_set_servers_csv would free
# the server its caller is using; pgbouncer died that way when refreshed right after a lookup.
# gdb-evdns: the same wait (evdns_base_clear_nameservers_and_suspend frees the servers too).
# gdb-res-init: any system call; in user code the call would clobber vector registers the
# interrupted code still holds. ($orig_rax is -1 outside a system call; x86_64 numbers.)
# With several threads (every Debian pgbouncer has a second one, parked on a condition
# variable in pgbouncer's own code; c-ares >= 1.22 may start a reinit thread), gdb's all-stop
# attach stops them all and selects the thread whose id is the pid: the event loop's. The
# call must run there (c-ares is only used from that loop), so the stopped thread's stack
# pointer must lie in the main stack (MAIN_STACK_LO..HI from /proc/PID/maps, read before
# attaching); anything else detaches without calling (CUTOVER-NOT-MAIN-THREAD).
gdb_idle_check() {
  local cond
  if [ -n "${MAIN_STACK_HI:-}" ]; then
    printf 'if $rsp < %s || $rsp >= %s
  printf "CUTOVER-NOT-MAIN-THREAD rsp 0x%%lx\\n", $rsp
  detach
  quit 9
end
' "$MAIN_STACK_LO" "$MAIN_STACK_HI"
  fi
  case $1 in
    gdb-cares|gdb-evdns) cond='$orig_rax != 232 && $orig_rax != 281 && $orig_rax != 441 && $orig_rax != 7 && $orig_rax != 271 && $orig_rax != 23 && $orig_rax != 270' ;;
    *) cond='$orig_rax < 0' ;;
  esac
  printf 'if %s
  printf "CUTOVER-BUSY syscall %%ld pc 0x%%lx\\n", $orig_rax, $pc
  detach
  quit 9
end
' "$cond"
}

gdb_call_epilogue() {
  printf 'delete\ncutover_restore\ndetach\n'
}

# main_stack PID: sets MAIN_STACK_LO/HI (decimal) around the main thread's [stack] mapping.
# 1 MiB of slack below: the mapping grows down on a fault between this read and the attach.
main_stack() {
  local r
  r=$(awk '$6 == "[stack]" { split($1, a, "-"); print a[1], a[2]; exit }' "/proc/$1/maps")
  [ -n "$r" ] || die 3 "process $1 has no [stack] mapping; cannot tell its main thread"
  # shellcheck disable=SC2086 # "lo hi"
  set -- $r
  MAIN_STACK_LO=$(( 0x$1 - 1048576 )) MAIN_STACK_HI=$(( 0x$2 ))
}

# gdb_counts_threads: this gdb has $_inferior_thread_count (gdb >= 13), which the reinit
# path needs to wait for c-ares' reinit thread while the event loop is held
gdb_counts_threads() {
  case $(gdb -nx -batch -ex 'print $_inferior_thread_count' 2>/dev/null) in *"= "[0-9]*) return 0 ;; esac
  return 1
}

# cares_servers_norm LIST: "a:53,[b]:53" (ares_get_servers_csv) -> "a,b"
cares_servers_norm() {
  printf '%s' "$1" | tr ',' '\n' | sed -e 's/^\[\(.*\)\]:53$/\1/' -e 's/^\([0-9.]*\):53$/\1/' | paste -s -d , -
}

# c_string_cmds ADDR STRING: gdb commands that write STRING (NUL-terminated) at ADDR
c_string_cmds() {
  printf '%s' "$2" | od -A n -v -t u1 | awk -v a="$1" '{ for (i = 1; i <= NF; i++) printf "set {unsigned char}(%s+%d) = %d\n", a, n++, $i } END { printf "set {unsigned char}(%s+%d) = 0\n", a, n }'
}

