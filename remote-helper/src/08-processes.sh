# ----------------------------------------------------------- processes -----

# scan_procs: "pid comm" for every process of this host, once. A process in
# another PID namespace runs in a container on this host (nspawn, Docker): its
# dhclient does not manage our resolv.conf, its pgbouncer is not ours to refresh.
PROCS_ALL=
scan_procs() {
  local d c out='' mine others
  mine=$(stat -L -c %i /proc/self/ns/pid 2>/dev/null)
  [ -z "$mine" ] || others=$(stat -L -c '%i %n' /proc/[0-9]*/ns/pid 2>/dev/null |
    awk -v m="$mine" '$1 != m { split($2, a, "/"); printf " %s ", a[3] }')
  for d in /proc/[0-9]*; do
    case $others in *" ${d#/proc/} "*) continue ;; esac
    read -r c <"$d/comm" 2>/dev/null || continue
    out="$out
${d#/proc/} $c"
  done
  PROCS_ALL=$out
}
pids_of() { printf '%s\n' "$PROCS_ALL" | awk -v n="$1" '$2 == n { print $1 }'; }

user_of_uid() {
  local name uid rest
  while IFS=: read -r name _ uid rest; do
    [ "$uid" = "$1" ] && { printf '%s' "$name"; return; }
  done </etc/passwd
  printf '%s' "$1"
}

# proc_sockets PID: socket inodes held by PID, one per line
proc_sockets() {
  # shellcheck disable=SC2012 # fd names are numbers; we want the link targets
  ls -l "/proc/$1/fd" 2>/dev/null | awk '{ l = $NF } l ~ /^socket:\[/ { gsub(/[^0-9]/, "", l); print l }' | sort -u
}

# proc_tcp PID: "inode state localport remote" for the TCP sockets in PID's
# network namespace (hex ports/addresses as in /proc/net/tcp)
proc_tcp() {
  cat "/proc/$1/net/tcp" "/proc/$1/net/tcp6" 2>/dev/null | awk 'NR > 0 && $10 ~ /^[0-9]+$/ { split($2, l, ":"); print $10, $4, l[2], $3 }'
}
# client_conns PID [PID...]: "inode peer" of the established connections the PIDs hold that were
# accepted on one of their listening ports (their clients), one per line (nginx and HAProxy: the
# master and its workers, which hold the clients). A connection its client has already closed
# (CLOSE_WAIT and the other closing states) is no client a refresh could lose.
client_conns() {
  proc_tcp "$1" | awk -v mine="$(tree_sockets "$@" | tr '\n' ' ')" '
    function hex(h,   i, n) { n = 0; for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789ABCDEF", toupper(substr(h, i, 1))) - 1; return n }
    function peer(a,   h) { split(a, h, ":"); if (length(h[1]) != 8) return a
      return hex(substr(h[1], 7, 2)) "." hex(substr(h[1], 5, 2)) "." hex(substr(h[1], 3, 2)) "." hex(substr(h[1], 1, 2)) ":" hex(h[2]) }
    BEGIN { n = split(mine, m, " "); for (i = 1; i <= n; i++) own[m[i]] = 1 }
    ($1 in own) && $2 == "0A" { listen[$3] = 1 }
    ($1 in own) && $2 == "01" { port[$1] = $3; from[$1] = $4 }
    END { for (i in port) if (port[i] in listen) print i, peer(from[i]) }'
}

# facts_targets NAMES PIDS PIDFILES: which running processes each asked-for target
# names. Sets FT_PIDS (each pid once, in order), FT_MAP ("pid target" lines) and
# FT_JSON (one {"target","kind","pids","problem"} per target: why it names no process).
# A pidfile is read as the host sees it; a pid it names must be a process of this host.
facts_targets() {
  local t p pid problem found kind list names="$1" ids="$2" files="$3"
  FT_PIDS='' FT_MAP='' FT_JSON=''
  for kind in name pid pidfile; do
    case $kind in name) list=$names ;; pid) list=$ids ;; *) list=$files ;; esac
    for t in $list; do
      found='' problem=''
      case $kind in
        name) found=$(pids_of "$t"); [ -n "$found" ] || problem="no running process is named $t" ;;
        pid) if proc_here "$t"; then found=$t; else problem="no process $t runs on this host"; fi ;;
        pidfile)
          pid=
          if [ ! -e "$(hp "$t")" ]; then problem="pidfile $t does not exist"
          elif ! read -r pid <"$(hp "$t")" 2>/dev/null && [ -z "$pid" ]; then problem="pidfile $t cannot be read or is empty"
          elif ! is_uint "$pid"; then problem="pidfile $t does not hold a pid"
          elif ! proc_here "$pid"; then problem="pidfile $t names pid $pid, which is not running on this host (stale pidfile?)"
          else found=$pid; fi ;;
      esac
      for p in $found; do
        FT_MAP="$FT_MAP
$p $t"
        case " $FT_PIDS " in *" $p "*) ;; *) FT_PIDS="${FT_PIDS:+$FT_PIDS }$p" ;; esac
      done
      # shellcheck disable=SC2086
      FT_JSON="${FT_JSON:+$FT_JSON,}{\"target\":$(json_str "$t"),\"kind\":\"$kind\",\"pids\":[$(echo $found | tr ' ' ',')],\"problem\":$( [ -n "$problem" ] && json_str "$problem" || echo null)}"
    done
  done
}
# proc_here PID: PID is a running process of this host (not of a container on it)
proc_here() { printf '%s\n' "$PROCS_ALL" | awk -v p="$1" '$1 == p { f = 1 } END { exit !f }'; }

# proc_facts PID [TARGET...]: one JSON object describing a target process; TARGETs
# are the names and pidfiles it was asked for by. What decides its resolver: the
# libraries it maps (resolver), its runtime, for nginx/HAProxy the servers their own
# config names (own_resolver); and the method that switches it (refresh_method, null
# where none is implemented yet) with why, in one line: "FACT → method (reason)".
proc_facts() {
  local pid="$1" comm exe uid start libs kind adns resolv seen_ns same alts line targets root
  read -r comm <"/proc/$pid/comm" 2>/dev/null || return 0
  shift
  targets=$(json_arr "$@")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  root="/proc/$pid/root"
  start=$(proc_start "$pid")
  uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
  libs=$(grep -oE '/[^ ]*/(libc\.so\.6|libc-[0-9.]+\.so|libcares[^ /]*|libevent[^ /]*|libresolv[^ /]*|ld-musl[^ /]*|libc\.musl[^ /]*|libjvm\.so|libnode\.so[^ /]*)' "/proc/$pid/maps" 2>/dev/null | sort -u)
  kind=glibc
  case $libs in *musl*) kind=musl ;; *libc.so.6*|*/libc-[0-9]*) ;; *) kind=none ;; esac
  adns=
  if [ "$comm" = pgbouncer ]; then
    line=$("/proc/$pid/exe" -V 2>/dev/null | grep -i '^adns:')
    adns=${line#*: }
  fi
  resolv="$root/etc/resolv.conf"
  seen_ns=$(resolv_words "$resolv" nameserver)
  same=false
  cmp -s "$resolv" "$(hp /etc/resolv.conf)" 2>/dev/null && same=true
  proc_resolver "$pid" "$libs" "$adns"
  proc_runtime "$pid" "$comm" "$exe" "$libs"
  proc_own_resolver "$pid" "$comm"
  proc_method "$pid" "$comm" "$adns"
  alts=$PM_ALTS
  # shellcheck disable=SC2086
  printf '{"pid":%s,"name":%s,"targets":%s,"start_time":%s,"exe":%s,"uid":%s,"user":%s,"libc":%s,"adns":%s,"libs":%s,"resolver":%s,"runtime":%s,"own_resolver":%s,"resolv_conf_seen":{"path":%s,"nameservers":%s,"same_as_host":%s},"cares":%s,"refresh_method":%s,"refresh_why":%s,"refresh_alternatives":%s}' \
    "$pid" "$(json_str "$comm")" "$targets" "${start:-null}" "$(json_str "$exe")" "${uid:-null}" "$(json_str "$(user_of_uid "$uid")")" \
    "$(json_str "$kind")" "$( [ -n "$adns" ] && json_str "$adns" || echo null)" "$(json_arr $libs)" \
    "$PR_JSON" "$RT_JSON" "$OR_JSON" \
    "$(json_str "$resolv")" "$(json_arr $seen_ns)" "$same" "$PM_CARES" "$( [ -n "$PM_METHOD" ] && json_str "$PM_METHOD" || echo null)" \
    "$(json_str "$PM_WHY")" "$(json_arr $alts)"
}

# file_version FILE PATTERN: the first string in FILE matching the (grep -E) PATTERN
file_version() { grep -a -o -m 1 -E "$2" "$1" 2>/dev/null | head -n 1; }

# proc_resolver PID LIBS ADNS: the resolver libraries PID maps, with their versions.
# Sets PR_GLIBC, PR_MUSL, PR_CARES (version or "" ; "linked" when only the file is
# known), PR_CARES_LIB, PR_EVENT (libevent version), PR_EVDNS (true when evdns
# resolves: pgbouncer says so; else libevent's full library is only mapped) and PR_JSON.
proc_resolver() {
  local pid="$1" libs="$2" adns="$3" l v
  PR_GLIBC='' PR_MUSL=false PR_CARES='' PR_CARES_LIB='' PR_EVENT='' PR_EVDNS=false
  for l in $libs; do
    case ${l##*/} in
      libc.so.6|libc-[0-9]*) v=$(file_version "/proc/$pid/root$l" 'release version [0-9]+\.[0-9]+'); PR_GLIBC=${v#release version } ;;
      ld-musl*|libc.musl*) PR_MUSL=true ;;
      libcares*) PR_CARES_LIB=$l ;;
      libevent-*|libevent_core-*) v=${l##*/libevent}; v=${v#_core}; v=${v#-}; PR_EVENT=${v%%.so*} ;;
    esac
  done
  case $adns in
    "c-ares "*) PR_CARES=${adns#c-ares } ;;
    evdns*) PR_EVDNS=true ;;
  esac
  if [ -n "$PR_CARES_LIB" ] && [ -z "$PR_CARES" ]; then
    # the library's own version string ("1.18.1") is in its package on Debian; else the file is all we know
    v=$(dpkg-query -S "$PR_CARES_LIB" 2>/dev/null | awk -F: 'NR == 1 { print $1 }')
    [ -z "$v" ] || v=$(dpkg-query -W -f='${Version}' "$v" 2>/dev/null)
    v=${v#*:}; PR_CARES=${v%%-*}
    [ -n "$PR_CARES" ] || PR_CARES=linked
  fi
  PR_JSON="{\"glibc\":$( [ -n "$PR_GLIBC" ] && json_str "$PR_GLIBC" || echo null),\"musl\":$PR_MUSL,\"cares\":$( [ -n "$PR_CARES" ] && json_str "$PR_CARES" || echo null),\"libevent\":$( [ -n "$PR_EVENT" ] && json_str "$PR_EVENT" || echo null),\"evdns\":$PR_EVDNS}"
}

# proc_runtime PID COMM EXE LIBS: what runs the process, where it resolves its own way.
# Sets RT_KIND (jvm, go, node or native), RT_VERSION, RT_TTL (JVM: seconds its answer
# cache keeps a name, -1 forever; RT_TTL_FROM says where that came from; RT_NTTL and
# RT_NTTL_FROM the same for a name that failed), RT_CARES (Node:
# its bundled c-ares) and RT_JSON. A static Go binary maps no libc: the build-info
# section ("\377 Go buildinf:") or the runtime's version string in the file tells it.
proc_runtime() {
  local pid="$1" comm="$2" exe="$3" libs="$4" f home v
  RT_KIND=native RT_VERSION='' RT_TTL='' RT_TTL_FROM='' RT_NTTL='' RT_NTTL_FROM='' RT_CARES=''
  f="/proc/$pid/exe"
  case $libs in
    */libjvm.so*)
      RT_KIND=jvm
      home=$(printf '%s\n' "$libs" | sed -n 's#^\(.*\)/lib/server/libjvm\.so$#\1#p;s#^\(.*\)/lib/[a-z0-9_]*/server/libjvm\.so$#\1#p' | head -n 1)
      RT_VERSION=$(kv_file "/proc/$pid/root$home/release" JAVA_VERSION)
      # networkaddress.cache.ttl (a security property) wins over -Dsun.net.inetaddr.ttl; unset: 30 s
      v=$(sed -n 's/^networkaddress\.cache\.ttl=[[:space:]]*\([-0-9]*\).*/\1/p' "/proc/$pid/root$home/conf/security/java.security" 2>/dev/null | tail -n 1)
      if [ -n "$v" ]; then RT_TTL=$v RT_TTL_FROM="$home/conf/security/java.security"
      else
        v=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dsun\.net\.inetaddr\.ttl=\([-0-9]*\)$/\1/p' | tail -n 1)
        if [ -n "$v" ]; then RT_TTL=$v RT_TTL_FROM=-Dsun.net.inetaddr.ttl; else RT_TTL=30 RT_TTL_FROM="the JDK's default (no SecurityManager)"; fi
      fi
      # names that failed: networkaddress.cache.negative.ttl, else -Dsun.net.inetaddr.negative.ttl, else 10 s
      v=$(sed -n 's/^networkaddress\.cache\.negative\.ttl=[[:space:]]*\([-0-9]*\).*/\1/p' "/proc/$pid/root$home/conf/security/java.security" 2>/dev/null | tail -n 1)
      if [ -n "$v" ]; then RT_NTTL=$v RT_NTTL_FROM="$home/conf/security/java.security"
      else
        v=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Dsun\.net\.inetaddr\.negative\.ttl=\([-0-9]*\)$/\1/p' | tail -n 1)
        if [ -n "$v" ]; then RT_NTTL=$v RT_NTTL_FROM=-Dsun.net.inetaddr.negative.ttl; else RT_NTTL=10 RT_NTTL_FROM="the JDK's default"; fi
      fi ;;
    *)
      if [ "$comm" = node ] || [ "$comm" = nodejs ] || case $libs in *libnode.so*) true ;; *) false ;; esac; then
        RT_KIND=node
        v=$(timeout 5 "$f" -p 'process.versions.node+" "+process.versions.ares' 2>/dev/null)
        RT_VERSION=${v%% *}; RT_CARES=${v#* }; [ "$RT_CARES" != "$v" ] || RT_CARES=
      elif grep -a -q -m 1 'Go buildinf:' "$f" 2>/dev/null; then
        RT_KIND=go
        RT_VERSION=$(file_version "$f" 'go1\.[0-9]+(\.[0-9]+)?')
      fi ;;
  esac
  RT_JSON="{\"kind\":\"$RT_KIND\",\"version\":$( [ -n "$RT_VERSION" ] && json_str "$RT_VERSION" || echo null)"
  [ "$RT_KIND" != jvm ] || RT_JSON="$RT_JSON,\"dns_cache_ttl_s\":$RT_TTL,\"dns_cache_ttl_from\":$(json_str "$RT_TTL_FROM"),\"dns_negative_ttl_s\":$RT_NTTL,\"dns_negative_ttl_from\":$(json_str "$RT_NTTL_FROM")"
  [ "$RT_KIND" != node ] || RT_JSON="$RT_JSON,\"cares\":$( [ -n "$RT_CARES" ] && json_str "$RT_CARES" || echo null)"
  RT_JSON="$RT_JSON}"
}

# proc_own_resolver PID COMM: for nginx and HAProxy, the DNS servers their own config names
# (nginx `resolver`, HAProxy `nameserver` lines of `resolvers` sections), which they ask
# instead of resolv.conf. The config is the one on the command line (-c / -f), else the
# distribution's, read as the process sees it, with the files it includes (one level of
# globs). Sets OR_CONF, OR_SERVERS (addresses, port stripped), OR_RESOLVCONF (HAProxy's
# parse-resolv-conf: it read resolv.conf once at start), OR_FILES (the files read, as paths under
# /proc/PID/root) and OR_JSON (null for others).
proc_own_resolver() {
  local pid="$1" comm="$2" root="/proc/$1/root" files f inc a prev=''
  OR_CONF='' OR_SERVERS='' OR_RESOLVCONF=false OR_JSON=null OR_FILES=''
  case $comm in nginx|haproxy) ;; *) return 0 ;; esac
  for a in $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null); do
    case $prev in -c|-f) is_path "$a" && OR_CONF=$a ;; esac
    prev=$a
  done
  [ -n "$OR_CONF" ] || { if [ "$comm" = nginx ]; then OR_CONF=/etc/nginx/nginx.conf; else OR_CONF=/etc/haproxy/haproxy.cfg; fi; }
  files="$root$OR_CONF"
  if [ "$comm" = nginx ]; then
    # shellcheck disable=SC2013 # include paths are single words
    for inc in $(sed -n 's/^[[:space:]]*include[[:space:]][[:space:]]*\([^;[:space:]]*\);.*/\1/p' "$root$OR_CONF" 2>/dev/null); do
      case $inc in /*) ;; *) inc="${OR_CONF%/*}/$inc" ;; esac
      for f in "$root"$inc; do [ -f "$f" ] && files="$files $f"; done
    done
    # one directive per line (a directive may follow `{` on its line)
    # shellcheck disable=SC2086,SC2020 # one file per word; each of {}; becomes a newline
    OR_SERVERS=$(sed 's/#.*//' $files 2>/dev/null | tr '{};' '\n\n\n' | sed -n 's/^[[:space:]]*resolver[[:space:]]//p' |
      tr -s ' \t' '\n' | grep -v -e '=' -e '^$' | sed 's/^\[\(.*\)\]\(:[0-9]*\)\{0,1\}$/\1/; s/^\([0-9.]*\):[0-9]*$/\1/' | sort -u)
  else
    OR_SERVERS=$(awk '{ sub(/#.*/, "") } $1 ~ /^(global|defaults|frontend|backend|listen|resolvers|peers|userlist|program|mailers|cache|ring|http-errors)$/ { s = $1 }
      s == "resolvers" && $1 == "nameserver" && NF >= 3 { a = $3; sub(/^(udp|tcp)[46]?@/, "", a); sub(/:[0-9]+$/, "", a); print a }' "$root$OR_CONF" 2>/dev/null | sort -u)
    grep -q '^[[:space:]]*parse-resolv-conf' "$root$OR_CONF" 2>/dev/null && OR_RESOLVCONF=true
  fi
  OR_FILES=$files
  # shellcheck disable=SC2086
  OR_JSON="{\"config\":$(json_str "$OR_CONF"),\"config_read\":$( [ -r "$root$OR_CONF" ] && echo true || echo false),\"servers\":$(json_arr $OR_SERVERS),\"parse_resolv_conf\":$OR_RESOLVCONF}"
}

# proc_method PID COMM ADNS: the refresh method for a process from the facts above (PR_*,
# RT_*, OR_*). Sets PM_METHOD (empty: nothing implemented switches it safely: the host is
# refused), PM_WHY ("FACT → method (reason)"), PM_ALTS and PM_CARES (the c-ares facts).
proc_method() {
  local pid="$1" comm="$2" adns="$3" servers loops why
  PM_METHOD='' PM_WHY='' PM_ALTS='' PM_CARES=null
  servers=$(printf '%s' "$OR_SERVERS" | tr '\n' ' ' | sed 's/ $//')
  if [ "$comm" = named ]; then
    PM_METHOD=n/a PM_WHY="named is the local cache itself: not refreshed"
  elif [ "$comm" = nginx ] || [ "$comm" = haproxy ]; then
    proxy_method "$pid" "$comm" "$servers"
  elif [ "$RT_KIND" = go ]; then
    # Go's resolver (net/dnsclient_unix.go, resolverConfig.tryUpdate) re-stats resolv.conf on a
    # lookup at most every 5 s and re-reads it when its mtime changed: every lookup that starts more
    # than 5 s after the change uses the new file. A cgo build hands some lookups to glibc, which
    # re-reads at once; Go >= 1.21 honours "options no-reload": then it never re-reads.
    if case " $(resolv_words "/proc/$pid/root/etc/resolv.conf" options) " in *" no-reload "*) true ;; *) false ;; esac; then
      PM_WHY="Go ${RT_VERSION:-binary}: options no-reload in the resolv.conf it sees: its resolver never re-reads the file → no safe method (a restart)"
      PM_ALTS=restart
    else
      PM_METHOD=go-wait PM_ALTS=restart
      PM_WHY="Go ${RT_VERSION:-binary}${PR_GLIBC:+ with cgo (glibc $PR_GLIBC, which re-reads at once, for the lookups Go hands it)}: its own resolver re-checks resolv.conf's mtime at most every 5 s, on a lookup → go-wait (returns once the change is over 5 s old: every later lookup uses the new file)"
    fi
  elif [ "$RT_KIND" = node ]; then
    cares_facts "$pid" "${RT_CARES:+c-ares $RT_CARES}"
    PM_CARES="{\"version\":$(json_str "$CF_VERSION"),\"library\":$(json_str "$CF_LIB"),\"call\":$(json_str "$CF_CALL")}"
    PM_ALTS=restart
    loops=$(node_event_loops "$pid")
    why="Node ${RT_VERSION}: dns.lookup follows resolv.conf (glibc ${PR_GLIBC:-of unknown version}), but dns.resolve* use c-ares $CF_VERSION channels, which never re-read it"
    if [ -n "$CF_UNSAFE" ]; then
      PM_WHY="$why → no safe method ($CF_UNSAFE)"
    elif [ -z "$(node_image "$pid")" ]; then
      PM_WHY="$why → no safe method (its executable exports no ChannelWrap vtable, by which the channels are found)"
    elif [ "$loops" -gt "$NODE_LOOPS_WITHOUT_WORKERS" ]; then
      PM_WHY="$why → no safe method ($loops event loops: Worker threads, whose channels are not found, would be left on the old servers)"
    else
      PM_METHOD=gdb-cares
      PM_WHY="$why → gdb-cares ($CF_CALL in every channel: the default one and one per dns.Resolver, found through Node's ChannelWrap objects)"
    fi
  elif [ -n "$PR_CARES" ] || [ -n "$PR_CARES_LIB" ]; then
    cares_facts "$pid" "$adns"
    PM_CARES="{\"version\":$(json_str "$CF_VERSION"),\"library\":$(json_str "$CF_LIB"),\"call\":$(json_str "$CF_CALL")}"
    if [ "$comm" != pgbouncer ] && [ -n "$CF_UNSAFE" ]; then
      PM_WHY="c-ares ${PR_CARES:-$CF_VERSION} in $comm → no safe method ($CF_UNSAFE)"
      PM_ALTS=restart
    elif [ "$comm" != pgbouncer ]; then
      # its memory layout is not known: the channel is caught by a breakpoint while a GET makes it
      # resolve, so the refresh needs that URL (the controller refuses the process without one)
      PM_METHOD=gdb-cares-break PM_ALTS=restart
      PM_WHY="c-ares ${PR_CARES:-$CF_VERSION} in $comm, whose memory layout is not known → gdb-cares-break ($CF_CALL on the channel a breakpoint on c-ares' lookup functions catches while a GET of the refresh's find_url makes it resolve, at most ${CARES_FIND_BOUND_S} s; only that channel: one the process holds beside it stays on the old servers)"
    elif [ -n "$CF_UNSAFE" ]; then
      # the in-process call cannot be made safely. The online restart (-R) is not picked for the
      # operator: it replaces the process, and it lost a client connection in 1 of 5 benchmark runs
      PM_ALTS="pgbouncer-online-restart restart"
      PM_WHY="c-ares $CF_VERSION → no safe method ($CF_UNSAFE; pgbouncer-online-restart would replace the process and once lost a client connection: name it in refresh_method to accept that, see docs/resolver-refresh.md)"
    else
      PM_METHOD=gdb-cares PM_ALTS="pgbouncer-online-restart restart"
      if [ "$CF_CALL" = ares_reinit ]; then
        PM_WHY="c-ares $CF_VERSION → gdb-cares (ares_reinit: re-reads resolv.conf into the live channel; ares_set_servers* would pin the servers)"
      else
        PM_WHY="c-ares $CF_VERSION → gdb-cares (ares_set_servers_csv with resolv.conf's servers: no ares_reinit before c-ares 1.22)"
      fi
    fi
  elif [ "$PR_EVDNS" = true ]; then
    PM_ALTS="pgbouncer-online-restart restart"
    why=$(evdns_unsafe "$pid")
    if [ -n "$why" ]; then
      PM_WHY="libevent ${PR_EVENT} evdns parses resolv.conf once → no safe method ($why)"
    else
      PM_METHOD=gdb-evdns
      PM_WHY="libevent ${PR_EVENT} evdns parses resolv.conf once → gdb-evdns (its evdns_base's nameservers cleared, parsed again from /etc/resolv.conf, resumed: requests in flight are sent again to the new servers)"
    fi
  elif [ "$PR_MUSL" = true ]; then
    PM_METHOD=none PM_WHY="musl → none (musl reads resolv.conf on every lookup)"
  elif [ -n "$PR_GLIBC" ]; then
    if awk -v v="$PR_GLIBC" 'BEGIN { split(v, a, "."); exit !(a[1] > 2 || (a[1] == 2 && a[2] >= 26)) }'; then
      PM_METHOD=none PM_ALTS=gdb-res-init
      PM_WHY="glibc $PR_GLIBC → none (glibc >= 2.26 re-reads resolv.conf when it changes)"
      [ "$RT_KIND" != jvm ] || PM_WHY="$PM_WHY; JVM ${RT_VERSION}: a name it resolved before is answered from its cache for $RT_TTL s ($RT_TTL_FROM), one that failed for $RT_NTTL s ($RT_NTTL_FROM): neither asks the old servers, and the proof's fresh name is in neither"
    else
      PM_METHOD=gdb-res-init
      PM_WHY="glibc $PR_GLIBC → gdb-res-init (glibc < 2.26 keeps the resolver state it read: __res_init() re-reads resolv.conf)"
    fi
  elif [ "$kind" = glibc ]; then
    PM_METHOD=none PM_ALTS=gdb-res-init
    PM_WHY="glibc (version not read) → none (every glibc this helper supports re-reads resolv.conf when it changes)"
  else
    PM_WHY="no libc mapped and no runtime recognised (a static binary?) → no safe method yet (how it resolves is unknown)"
  fi
}

# proxy_method PID COMM SERVERS: proc_method for nginx and HAProxy (OR_* read). Names resolved at
# load → proxy-reload. An own resolver naming only servers resolv.conf lists (the ones the cutover
# replaces and bans) or 127.0.0.1 → proxy-resolver. One naming other servers is refused: they are
# not the ones being replaced (a dedicated DNS for service discovery?), so cutover neither keeps
# them (the proof would fail with them banned) nor rewrites them unasked; naming proxy-resolver in
# refresh_method points them at 127.0.0.1 anyway.
KEEPALIVE_NOTE="keep-alive client connections are closed by the old workers: idle ones at once, busy ones after their response; clients reconnect, responses in flight complete"
proxy_method() {
  local pid="$1" comm="$2" servers="$3" problem s known other=''
  problem=$(proxy_master_problem "$pid" "$comm")
  if [ -n "$problem" ]; then
    PM_WHY="$comm → no safe method ($problem)"
    return 0
  fi
  if [ -z "$servers" ]; then
    PM_METHOD=proxy-reload PM_ALTS=restart
    if [ "$comm" = haproxy ] && [ "$OR_RESOLVCONF" = true ]; then
      PM_WHY="haproxy's resolvers take resolv.conf's servers once, at config parse (parse-resolv-conf in $OR_CONF) → proxy-reload (a graceful reload parses it again; $KEEPALIVE_NOTE)"
    else
      PM_WHY="$comm resolves the names in $OR_CONF once, when it loads it (getaddrinfo) → proxy-reload (a graceful reload resolves them again; $KEEPALIVE_NOTE)"
    fi
    return 0
  fi
  if [ "$servers" = 127.0.0.1 ]; then
    PM_METHOD=proxy-reload PM_ALTS=restart
    PM_WHY="$comm asks the resolver 127.0.0.1 named in $OR_CONF, and resolves the names in it when it loads it (getaddrinfo) → proxy-reload (a graceful reload resolves them again; $KEEPALIVE_NOTE)"
    return 0
  fi
  known=" 127.0.0.1 $(resolv_words "$(hp /etc/resolv.conf)" nameserver | tr '\n' ' ') "
  for s in $servers; do case $known in *" $s "*) ;; *) other="${other:+$other }$s" ;; esac; done
  if [ -n "$other" ]; then
    PM_ALTS=proxy-resolver
    PM_WHY="$comm asks the resolver $servers named in $OR_CONF itself; $other is not a server resolv.conf lists → no safe method (not a server this cutover replaces: point it at 127.0.0.1 yourself, or name proxy-resolver in refresh_method to have every resolver line rewritten)"
  else
    PM_METHOD=proxy-resolver PM_ALTS=restart
    PM_WHY="$comm asks the resolver $servers named in $OR_CONF itself, not resolv.conf → proxy-resolver (those lines rewritten to 127.0.0.1, backed up for the undo, then a graceful reload; $KEEPALIVE_NOTE)"
  fi
}

# cares_facts PID ADNS: how gdb-cares would refresh PID's c-ares channel, read without
# attaching. Sets CF_VERSION (pgbouncer -V's "c-ares X.Y.Z" or Node's process.versions.ares,
# else the library's file name), CF_LIB (libcares, or the file c-ares is linked into:
# Node's executable), CF_CALL (ares_reinit where that file exports it: c-ares >= 1.22, else
# ares_set_servers_csv) and CF_UNSAFE (why the in-process call must not be made).
cares_facts() {
  local m path del
  CF_VERSION=${2#c-ares } CF_LIB='' CF_CALL='' CF_UNSAFE=''
  case $2 in "c-ares "*) ;; *) CF_VERSION= ;; esac
  m=$(cares_image "$1")
  # shellcheck disable=SC2086 # "base path [(deleted)]"
  set -- "$1" $m
  path=${3:-} del=${4:-}
  CF_LIB=$path
  [ -n "$CF_VERSION" ] || CF_VERSION=${path##*/}
  if [ -z "$path" ]; then CF_UNSAFE="no libcares mapped, and its executable carries no c-ares: its functions cannot be found"; return; fi
  if [ -n "$del" ]; then CF_UNSAFE="$path was replaced on disk after the process started (an upgrade?): the code it runs is not the file, so no call is made into it"; return; fi
  if grep -a -q -m 1 -F ares_reinit "/proc/$1/root$path" 2>/dev/null; then
    CF_CALL=ares_reinit
    command -v gdb >/dev/null 2>&1 && ! gdb_counts_threads &&
      CF_UNSAFE="ares_reinit applies the change from a thread that must be waited for with the event loop held, and this gdb cannot count threads (\$_inferior_thread_count, gdb >= 13)"
  else
    CF_CALL=ares_set_servers_csv
  fi
}

# Usage: cutover-helper facts [--proc NAME]... [--pid PID]... [--pidfile PATH]... [--file PATH]...
# Read-only facts about the host and its target processes (default: pgbouncer, named),
# and with --file the current content of those files as file-read gives it (one call
# for a plan's facts and diffs). Works when streamed (sh -s -- facts); writes nothing.
cmd_facts() {
  local procs='' pids='' pidfiles='' files='' p f t0 rc real libc_kind libc_ver fwb ipt_v named_pids named_ver layout conf listening tools plist sep fwd
  local pid1 init svc pkg unit cand mgr ups
  t0=$(now_ms)
  while [ $# -gt 0 ]; do
    case $1 in
      --proc) need_arg "$@"; is_name "$2" || usage "bad process name: $2"; procs="$procs $2"; shift 2 ;;
      --pid) need_arg "$@"; is_uint "$2" || usage "bad pid: $2"; pids="$pids $2"; shift 2 ;;
      --pidfile) need_arg "$@"; is_path "$2" || usage "bad pidfile path: $2"; pidfiles="$pidfiles $2"; shift 2 ;;
      --file) need_arg "$@"; readable_targets "$2"; files="$files $2"; shift 2 ;;
      *) usage "facts: unknown argument: $1" ;;
    esac
  done
  [ -n "$procs$pids$pidfiles" ] || procs="pgbouncer named"
  scan_procs
  facts_targets "$procs" "$pids" "$pidfiles"

  d_raw os "{\"id\":$(json_str "$(kv_file "$(hp /etc/os-release)" ID)"),\"version_id\":$(json_str "$(kv_file "$(hp /etc/os-release)" VERSION_ID)"),\"pretty_name\":$(json_str "$(kv_file "$(hp /etc/os-release)" PRETTY_NAME)")}"
  read -r p </proc/sys/kernel/osrelease
  d_str kernel "$p"
  libc_ver=$(getconf GNU_LIBC_VERSION 2>/dev/null) && libc_kind=glibc && libc_ver=${libc_ver#glibc }
  if [ -z "$libc_ver" ]; then
    libc_kind=unknown
    for f in /lib/ld-musl-*.so.1; do [ -e "$f" ] && libc_kind=musl; done
  fi
  d_raw libc "{\"kind\":$(json_str "$libc_kind"),\"version\":$(json_str "$libc_ver"),\"getaddrinfo_rereads_resolv_conf\":$( [ "$libc_kind" = musl ] && echo true || awk -v v="$libc_ver" 'BEGIN { split(v, a, "."); print (a[1] > 2 || (a[1] == 2 && a[2] >= 26)) ? "true" : "false" }')}"

  f=$(hp /etc/resolv.conf)
  real=$(readlink -f "$f" 2>/dev/null)
  mgr=$(resolv_manager "$f")
  # the servers the host asks today: behind systemd-resolved's stub, the ones resolved asks
  if [ "$mgr" = systemd-resolved ]; then ups=$(resolved_upstreams); else ups=$(resolv_words "$f" nameserver); fi
  # shellcheck disable=SC2046,SC2086
  d_raw resolv_conf "{\"path\":\"/etc/resolv.conf\",\"real_path\":$(json_str "${real#"$ROOT"}"),\"exists\":$( [ -e "$f" ] && echo true || echo false),\"symlink\":$( [ -L "$f" ] && echo true || echo false),\"bind_mount\":$(is_mountpoint_file /etc/resolv.conf && echo true || echo false),\"manager\":$(json_str "$mgr"),\"owner_state\":$(owner_state "$mgr"),\"owner_file\":$(owner_file_json "$mgr"),\"nameservers\":$(json_arr $(resolv_words "$f" nameserver)),\"upstreams\":$(json_arr $ups),\"search\":$(json_arr $(search_domains "$f")),\"options\":$(json_arr $(resolv_words "$f" options)),\"sha256\":$(json_str "$(sha256_of "$f")")}"

  named_ver=; layout=none; conf=
  command -v named >/dev/null 2>&1 && named_ver=$(named -v 2>/dev/null)
  if [ -f "$(hp /etc/bind/named.conf)" ]; then layout=debian; conf=/etc/bind/named.conf
  elif [ -f "$(hp /etc/named.conf)" ]; then layout=rhel; conf=/etc/named.conf; fi
  fwd=$(bind_forwarders "$(hp /etc/bind/named.conf.options)" "$(hp /etc/named.conf)")
  named_pids=$(pids_of named)
  listening=false
  # 0100007F:0035 is 127.0.0.1:53 in /proc/net/{udp,tcp}
  grep -q ' 0100007F:0035 ' /proc/net/udp 2>/dev/null && listening=true
  rc=false
  command -v rndc >/dev/null 2>&1 && { [ -r "$(hp /etc/bind/rndc.key)" ] || [ -r "$(hp /etc/rndc.key)" ] || [ -r "$(hp /etc/bind/rndc.conf)" ] || [ -r "$(hp /etc/rndc.conf)" ]; } && rc=true
  pid1=$(pid1_comm); init=$(init_system "$pid1")
  d_raw init "{\"system\":$(json_str "$init"),\"pid1\":$(json_str "$pid1")}"
  svc=null; pkg=null
  if [ "$init" = systemd ]; then unit=$(bind_unit); [ -z "$unit" ] || svc=$(service_json "$unit"); fi
  if [ -z "$named_ver" ]; then
    pkg="{\"manager\":null,\"name\":\"bind9\",\"candidate\":null,\"source\":null}"
    if command -v apt-cache >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
      cand=$(apt_candidate bind9)
      pkg="{\"manager\":\"apt\",\"name\":\"bind9\",\"candidate\":$( [ -n "$cand" ] && json_str "${cand%% *}" || echo null),\"source\":$( [ -n "$cand" ] && json_str "${cand#* }" || echo null)}"
    fi
  fi
  # shellcheck disable=SC2086
  d_raw bind "{\"installed\":$( [ -n "$named_ver" ] && echo true || echo false),\"version\":$( [ -n "$named_ver" ] && json_str "$named_ver" || echo null),\"layout\":\"$layout\",\"config\":$( [ -n "$conf" ] && json_str "$conf" || echo null),\"running\":$( [ -n "$named_pids" ] && echo true || echo false),\"pids\":[$(echo $named_pids | tr ' ' ',')],\"rndc_usable\":$rc,\"listening_127_0_0_1_53\":$listening,\"forwarders\":$(json_arr $fwd),\"service\":$svc,\"package\":$pkg}"

  fwb=none; ipt_v=
  if command -v iptables >/dev/null 2>&1; then
    ipt_v=$(iptables -V 2>/dev/null)
    case $ipt_v in *nf_tables*) fwb=iptables-nft ;; *legacy*) fwb=iptables-legacy ;; *) fwb=iptables ;; esac
  fi
  command -v nft >/dev/null 2>&1 && [ "$fwb" = none ] && fwb=nft
  d_raw firewall "{\"backend\":\"$fwb\",\"nft\":$(command -v nft >/dev/null 2>&1 && echo true || echo false),\"iptables\":$( [ -n "$ipt_v" ] && json_str "$ipt_v" || echo null),\"ban_backend\":$(command -v nft >/dev/null 2>&1 && echo '"nft"' || { [ -n "$ipt_v" ] && echo '"iptables"' || echo null; })}"

  tools=
  for t in gdb tcpdump psql timeout setsid dig rndc named-checkconf nft iptables ip6tables sha256sum dd od curl wget busybox; do
    tools="${tools:+$tools,}\"$t\":$(command -v "$t" >/dev/null 2>&1 && echo true || echo false)"
  done
  d_raw tools "{$tools}"

  plist=; sep=
  for p in $FT_PIDS; do
    # shellcheck disable=SC2046 # the targets that named this pid, one word each
    f=$(proc_facts "$p" $(printf '%s\n' "$FT_MAP" | awk -v p="$p" '$1 == p { print $2 }'))
    [ -z "$f" ] || { plist="$plist$sep$f"; sep=,; } # empty: it ended meanwhile
  done
  d_raw processes "[$plist]"
  d_raw refresh_targets "[$FT_JSON]"
  # shellcheck disable=SC2086 # plain paths (readable_targets), one word each
  [ -z "$files" ] || files_data $files
  d_raw helper "{\"version\":\"$VERSION\",\"state_dir\":$(json_str "$STATE_DIR"),\"elapsed_ms\":$(( $(now_ms) - t0 ))}"
  ok
}

