# ------------------------------------------------------------- proxies -----

# nginx and HAProxy resolve the names of their configuration when they load it (getaddrinfo), and
# ask the servers of their own resolver (nginx `resolver`, HAProxy `resolvers` sections) at run
# time. A graceful reload makes the master load its configuration again in new workers: names are
# looked up afresh through resolv.conf, and the own resolver's servers are read from the files.

# proc_children PID: the pids of PID's children, one per line
proc_children() {
  awk -v p="$1" 'FNR == 1 { s = $0; sub(/^.*\) /, "", s); split(s, f, " "); if (f[2] == p) { split(FILENAME, n, "/"); print n[3] } }' \
    /proc/[0-9]*/stat 2>/dev/null
}
# proc_tree PID: PID and its children, space separated (nginx/HAProxy workers hold the clients)
proc_tree() { printf '%s %s' "$1" "$(proc_children "$1" | tr '\n' ' ')" | sed 's/ *$//'; }
# tree_sockets PIDS: the socket inodes every process of PIDS holds, each once
tree_sockets() {
  local p
  for p in "$@"; do proc_sockets "$p"; done | sort -u
}

# proxy_master_problem PID COMM: why PID is not the master of an nginx or HAProxy this helper can
# reload (empty: it is). A worker's parent is its master; HAProxy reloads in place only in
# master-worker mode (-W, or master-worker in its global section): otherwise a reload starts a
# new process (-sf) and the pid a user named is gone.
proxy_master_problem() {
  local pid="$1" comm="$2" ppid pcomm
  ppid=$(awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[2] }' "/proc/$pid/stat" 2>/dev/null)
  read -r pcomm <"/proc/$ppid/comm" 2>/dev/null || pcomm=
  if [ "$pcomm" = "$comm" ]; then
    printf '%s' "process $pid is one of $comm's workers (its master is $ppid): name the master, e.g. by its pidfile"; return
  fi
  [ "$comm" = haproxy ] || return 0
  tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qx -e -W -e -Ws && return 0
  [ -n "$OR_CONF" ] && awk '{ sub(/#.*/, "") } $1 ~ /^[a-z]/ && $1 != "master-worker" { s = $1 } s == "global" && $1 == "master-worker" { f = 1 } END { exit !f }' \
    "/proc/$pid/root$OR_CONF" 2>/dev/null && return 0
  printf '%s' "haproxy $pid does not run in master-worker mode (-W): its reload would start a new process (-sf); not implemented"
}

# proxy_check PID COMM: validate the configuration PID would load (nginx -t, haproxy -c) with the
# binary it runs; 1 with the checker's output in PX_CHECK if it does not validate. A process of
# another root (a container) is not checked from here: 1 as well.
proxy_check() {
  local pid="$1" comm="$2" exe
  PX_CHECK=''
  [ "$(stat -L -c %d:%i "/proc/$pid/root" 2>/dev/null)" = "$(stat -L -c %d:%i / 2>/dev/null)" ] ||
    { PX_CHECK="process $pid runs in another root (a container): its configuration is not checked from the host"; return 1; }
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  if [ "$comm" = nginx ]; then PX_CHECK=$(timeout 30 "$exe" -t -q -c "$OR_CONF" 2>&1)
  else PX_CHECK=$(timeout 30 "$exe" -c -q -f "$OR_CONF" 2>&1); fi
}

# proxy_workers PID COMM: PID's live workers, sorted: nginx titles a worker that is leaving
# "worker process is shutting down"
proxy_workers() {
  local c t
  for c in $(proc_children "$1"); do
    t=$(tr '\0' ' ' 2>/dev/null <"/proc/$c/cmdline")
    case $t in *"shutting down"*) ;; *) printf '%s\n' "$c" ;; esac
  done | sort -n
}

# holds_listener PID: PID holds a listening TCP socket (0 = yes)
holds_listener() {
  proc_tcp "$1" | awk -v mine=" $(proc_sockets "$1" | tr '\n' ' ') " '$2 == "0A" && index(mine, " " $1 " ") { f = 1 } END { exit !f }'
}

# any_listens PID...: one of the PIDs holds a listening TCP socket (a pid gone holds none)
any_listens() {
  local p
  for p in "$@"; do holds_listener "$p" && return 0; done
  return 1
}

# proxy_reload PID COMM: validate, then the graceful reload (nginx: SIGHUP to the master; HAProxy
# master-worker: SIGUSR2, the master re-executes itself with the same pid), and wait until a
# worker that was not there before runs: the configuration was loaded again. A configuration
# that does not validate is never sent a reload (exit 3).
proxy_reload() {
  local pid="$1" comm="$2" sig=HUP before now w new='' n=0
  [ "$comm" = nginx ] || sig=USR2
  proxy_check "$pid" "$comm" || { log "$PX_CHECK"; die 3 "$comm $pid: $OR_CONF does not validate (${PX_CHECK%%
*}); no reload was sent"; }
  before=$(proxy_workers "$pid")
  kill -s "$sig" "$pid" || die 1 "cannot send SIG$sig to $comm $pid"
  while [ -z "$new" ]; do
    [ $n -lt 200 ] || die 4 "$comm $pid started no new worker within 10 s of SIG$sig: the configuration was not loaded again (see its error log)"
    sleep 0.05; n=$((n + 1))
    now=$(proxy_workers "$pid")
    for w in $now; do printf '%s\n' "$before" | grep -qx "$w" || new="$new $w"; done
  done
  # The old workers leave gracefully once the new ones run: they close their listening sockets and
  # then their idle keep-alive connections. Counted only after that (at most 5 s more), or a count
  # made at once would call connections kept that are closed a moment later.
  n=0
  # shellcheck disable=SC2086 # a pid list
  while [ $n -lt 100 ] && any_listens $before; do sleep 0.05; n=$((n + 1)); done
  [ $n -lt 100 ] || log "old workers of $comm $pid still listen 5 s after the reload"
  sleep 0.1
  # shellcheck disable=SC2086 # word lists
  { d_raw workers_before "[$(echo $before | tr ' ' ',')]"; d_raw workers_new "[$(echo $new | tr ' ' ',')]"; }
  d_num reload_ms $((n * 50))
}

# proxy_rewrite_files PID COMM: the files of PID's configuration whose own-resolver lines name
# other servers, rewritten to name 127.0.0.1 (only those lines: nginx `resolver` keeps its
# parameters, HAProxy `nameserver` its name and protocol, port 53), each installed with a backup
# and an undo record as file-install does. Sets PX_FILES (JSON). Exit 3 where a file is not one the
# helper may write or no line can be rewritten, 4 where the result does not name 127.0.0.1 alone.
proxy_rewrite_files() {
  local pid="$1" comm="$2" f t tmp saved items='' root="/proc/$1/root"
  for f in $OR_FILES; do
    t=${f#"$root"}
    tmp=$(mktemp "${TMPDIR:-/tmp}/cutover-proxy.XXXXXX") || die 1 "cannot create a temp file"
    remove_on_exit "$tmp"
    if [ "$comm" = nginx ]; then
      awk '{ line = $0; code = line; c = index(code, "#"); com = ""; if (c) { com = substr(line, c); code = substr(line, 1, c - 1) }
        out = ""
        while (match(code, /(^|[{;}])[ \t]*resolver[ \t][^;]*;/)) {
          m = substr(code, RSTART, RLENGTH); out = out substr(code, 1, RSTART - 1); code = substr(code, RSTART + RLENGTH)
          match(m, /resolver[ \t]/); lead = substr(m, 1, RSTART - 1); args = substr(m, RSTART + 9, length(m) - RSTART - 9)
          n = split(args, w, /[ \t]+/); r = "resolver 127.0.0.1"; for (i = 1; i <= n; i++) if (w[i] ~ /=/) r = r " " w[i]
          out = out lead r ";"
        }
        print out code com }' "$f" >"$tmp"
    else
      awk '{ code = $0; sub(/#.*/, "", code); n = split(code, w, " ") }
        n && w[1] ~ /^(global|defaults|frontend|backend|listen|resolvers|peers|userlist|program|mailers|cache|ring|http-errors)$/ { s = w[1] }
        s == "resolvers" && w[1] == "nameserver" && n >= 3 {
          match($0, /^[ \t]*/); p = ""; if (match(w[3], /^(udp|tcp)[46]?@/)) p = substr(w[3], 1, RLENGTH)
          match($0, /^[ \t]*/); r = substr($0, 1, RLENGTH) "nameserver " w[2] " " p "127.0.0.1:53"; for (i = 4; i <= n; i++) r = r " " w[i]
          print r; next }
        { print }' "$f" >"$tmp"
    fi
    cmp -s "$f" "$tmp" && continue
    allowed_target "$t" || die 3 "$t holds $comm's resolver lines, but is not a file the helper may change (under /etc, /var/lib/cutover or /var/cache/bind)"
    saved=$DATA; DATA=
    install_content "$RUN" "$STEP" "$t" "$tmp" "" false "" ""
    items="${items:+$items,}{$DATA}"
    DATA=$saved
  done
  PX_FILES="[$items]"
  proc_own_resolver "$pid" "$comm"
  [ -n "$items" ] || [ "$OR_SERVERS" = 127.0.0.1 ] || die 3 "cannot find the lines of $OR_CONF that name $comm's resolver servers (a directive spread over lines?): nothing was changed"
  [ "$(printf '%s' "$OR_SERVERS" | tr '\n' ' ')" = 127.0.0.1 ] ||
    die 4 "after the rewrite $comm's configuration still names $(printf '%s' "$OR_SERVERS" | tr '\n' ' '); no reload was sent (revert restores the files)"
}

# proxy_refresh PID METHOD: proxy-reload (names resolved at load: a graceful reload) or
# proxy-resolver (its own resolver's servers rewritten to 127.0.0.1, then the reload). Sets R_DETAIL.
proxy_refresh() {
  local pid="$1" method="$2" comm problem
  read -r comm <"/proc/$pid/comm" 2>/dev/null
  case $comm in nginx|haproxy) ;; *) die 3 "process $pid is $comm, not nginx or haproxy: $method does not apply" ;; esac
  proc_own_resolver "$pid" "$comm"
  problem=$(proxy_master_problem "$pid" "$comm")
  [ -z "$problem" ] || die 3 "$problem"
  d_str config "$OR_CONF"
  if [ "$method" = proxy-resolver ]; then
    proxy_check "$pid" "$comm" || { log "$PX_CHECK"; die 3 "$comm $pid: $OR_CONF does not validate before any change (${PX_CHECK%%
*}); nothing was changed"; }
    proxy_rewrite_files "$pid" "$comm"
    d_raw files "$PX_FILES"
  fi
  proxy_reload "$pid" "$comm"
  R_DETAIL="graceful reload of $comm $pid${PX_FILES:+ after its resolver lines were pointed at 127.0.0.1}: new workers loaded the configuration; keep-alive client connections end at the old workers (idle ones at once, busy ones after their response)"
}
PX_FILES=''

# proxy_upstream_name COMM: the first host name (not an address, not a variable) the configuration
# read by proc_own_resolver (OR_FILES) sends to: nginx `server`/`proxy_pass`, HAProxy `server` lines
proxy_upstream_name() {
  # shellcheck disable=SC2086,SC2020 # one file per word; each of {}; becomes a newline
  if [ "$1" = nginx ]; then
    sed 's/#.*//' $OR_FILES 2>/dev/null | tr '{};' '\n\n\n' | sed -n 's/^[[:space:]]*\(server\|proxy_pass\)[[:space:]][[:space:]]*\([a-z]*:\/\/\)\{0,1\}\([^[:space:]:/]*\).*/\3/p'
  else
    awk '{ sub(/#.*/, "") } $1 == "server" && NF >= 3 { a = $3; sub(/:[0-9]*$/, "", a); print a }' $OR_FILES 2>/dev/null
  fi | grep -v -e '^\$' -e '^[0-9.]*$' -e '^\[' -e '^unix' -e '^$' | grep '\.' | head -n 1
}

# trigger_reload PID [NAME]: `trigger --via reload`: for nginx or HAProxy resolving their names at
# load, a reload is their lookup; validated and waited for as refresh proxy-reload does, changes
# nothing. data.qname: NAME, else the first upstream name of the configuration.
trigger_reload() {
  local comm problem q="${2:-}"
  read -r comm <"/proc/$1/comm" 2>/dev/null || die 3 "no process $1"
  case $comm in nginx|haproxy) ;; *) die 3 "process $1 is $comm: trigger --via reload is for nginx and haproxy" ;; esac
  proc_own_resolver "$1" "$comm"
  problem=$(proxy_master_problem "$1" "$comm")
  [ -z "$problem" ] || die 3 "$problem"
  [ -n "$q" ] || q=$(proxy_upstream_name "$comm")
  d_num pid "$1"
  d_strn qname "$q"
  proxy_reload "$1" "$comm"
}
