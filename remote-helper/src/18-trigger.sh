# ------------------------------------------------------------- trigger -----

# pgb_admin HOST PORT USER SQL: run SQL on pgbouncer's admin console
PW_USER='' PW_ADMIN=''
# pgb_set SETTING VALUE: SET on the admin console of cmd_trigger's host, port and admin user; psql's
# output is captured (logged only on failure), never written to the channel directly.
pgb_set() {
  local out
  out=$(pgb_admin "$host" "$port" "$admin" "SET $1 = $2") && return 0
  log "SET $1 = $2: $out"
  return 1
}
# trigger_settings_restore: both settings `trigger --fresh` changed back, the second even if the first
# fails (one session: inside the block, each admin round trip is time with the old servers banned)
trigger_settings_restore() {
  local out
  out=$(pgb_admin_all "$host" "$port" "$admin" "SET server_login_retry = $retry" "SET dns_nxdomain_ttl = $old")
  [ "$(printf '%s\n' "$out" | grep -c '^SET ')" = 2 ] && return 0
  log "restoring server_login_retry = $retry and dns_nxdomain_ttl = $old: $out"
  return 1
}
pgb_admin() { PGPASSWORD=${PW_ADMIN:-${PGPASSWORD:-}} PGCONNECT_TIMEOUT=3 psql -X -h "$1" -p "$2" -U "$3" -d pgbouncer -At -F '|' -c "$4" 2>&1; }
# pgb_admin_all HOST PORT ADMIN SQL...: the statements in one admin-console session (one psql start
# and login instead of one each), every answer after a line "@@ N" (N counts from 1); psql goes on
# after a failed statement, so a caller checks each answer
pgb_admin_all() {
  local h="$1" p="$2" u="$3" n=0 count
  shift 3
  count=$#
  while [ "$count" -gt 0 ]; do
    n=$((n + 1)); set -- "$@" -c "\\echo @@ $n" -c "$1"; shift; count=$((count - 1))
  done
  PGPASSWORD=${PW_ADMIN:-${PGPASSWORD:-}} PGCONNECT_TIMEOUT=3 psql -X -h "$h" -p "$p" -U "$u" -d pgbouncer -At -F '|' "$@" 2>&1
}
# pgb_answer N: the Nth answer in pgb_admin_all's output (on stdin)
pgb_answer() { awk -v n="@@ $1" '$0 == n { on = 1; next } /^@@ [0-9]+$/ { on = 0 } on'; }

# trigger_watch OUT GIVE_UP_MS FUNC: FUNC (a function that execs the command that makes the lookup)
# in the background, its output in OUT, cut off as soon as the capture (capf, if any) holds a query
# for qname recorded after byte seen, or when it holds none after GIVE_UP_MS (empty: never). Sets
# rc and stopped.
trigger_watch() {
  local out="$1" give_up="$2" started
  started=$(now_ms)
  "$3" >"$out" 2>&1 &
  p=$!
  stopped=false
  while [ -n "$capf" ] && kill -0 "$p" 2>/dev/null; do
    if [ "$stopped" = false ] && [ -n "$give_up" ] && [ $(( $(now_ms) - started )) -ge "$give_up" ]; then
      kill "$p" 2>/dev/null; break
    fi
    # tcpdump prints the question as "A? NAME." (the trailing dot: a whole name, not a prefix; in
    # any case: libevent's evdns randomizes it, the 0x20 hack).
    # Once seen, TERM is sent again each round: one sent before the job's shell has exec'd timeout
    # can be lost, and the command would then run to its timeout.
    if [ "$stopped" = true ] || tail -c "+$((seen + 1))" "$capf" 2>/dev/null | grep -qiF "? $qname."; then
      [ "$stopped" = true ] || d_bool stopped_at_capture true
      stopped=true
      kill "$p" 2>/dev/null
    fi
    sleep 0.02
  done
  wait "$p"
  rc=$?
}

# trigger_psql [GIVE_UP_MS]: one psql through pgbouncer with cmd_trigger's settings, watched as above
# shellcheck disable=SC2317 # called through trigger_watch
psql_exec() { PGPASSWORD=${PW_USER:-${PGPASSWORD:-}} PGCONNECT_TIMEOUT=5 exec timeout "$tmo" psql -X -h "$host" -p "$port" -U "$user" -d "$db" -Atc 'select 1'; }
trigger_psql() { trigger_watch "$psql_out" "${1:-}" psql_exec; }

# http_exec: GET cmd_trigger's url_named with curl, else wget, else busybox wget, within --timeout;
# prints the response's status line ("HTTP/1.1 502 Bad Gateway"; curl: the code) last
# shellcheck disable=SC2317 # called through trigger_watch
http_exec() {
  if command -v curl >/dev/null 2>&1; then exec timeout "$tmo" curl -s -o /dev/null -w 'HTTP %{http_code}\n' "$url_named"
  elif command -v wget >/dev/null 2>&1; then exec timeout "$tmo" wget -S -q -O /dev/null "$url_named"
  else exec timeout "$tmo" busybox wget -S -q -O /dev/null "$url_named"; fi
}

# listener_pid PORT: a process listening on TCP PORT in this network namespace; 1 if none
listener_pid() {
  local inode d
  inode=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p="$(printf '%04X' "$1")" '$4 == "0A" { split($2, l, ":"); if (l[2] == p) { print $10; exit } }')
  [ -n "$inode" ] || return 1
  for d in /proc/[0-9]*; do
    proc_sockets "${d#/proc/}" | grep -qx "$inode" && { printf '%s' "${d#/proc/}"; return 0; }
  done
  return 1
}

# cares_flushable PORT: the process listening on PORT (CF_PID) maps c-ares with ares_reinit (>= 1.22;
# its query cache comes with 1.23), which can be called safely; 1 if not
cares_flushable() {
  CF_PID=$(listener_pid "$1") || return 1
  cares_facts "$CF_PID" ""
  [ "$CF_CALL" = ares_reinit ] && [ -z "$CF_UNSAFE" ] && command -v gdb >/dev/null 2>&1
}

# cares_cache_flush PID: empties PID's c-ares query cache with ares_reinit, as refresh gdb-cares calls it
cares_cache_flush() {
  log "emptying process $1's c-ares query cache (ares_reinit): it may hold the answer for $qname"
  do_refresh "$1" gdb-cares "$(refresh_servers "$1")"
  d_num cares_cache_flushed_pid "$1"
}

# http_tool: the client http_exec uses (curl, wget or busybox), or 1 when there is none
http_tool() {
  if command -v curl >/dev/null 2>&1; then echo curl
  elif command -v wget >/dev/null 2>&1; then echo wget
  elif busybox wget --help >/dev/null 2>&1; then echo busybox
  else return 1; fi
}

# Usage: cutover-helper trigger [--run RUN] [--via pgbouncer|getent|http|reload] [--name NAME] [--url URL] [--pid PID|--pidfile PATH] [--host ADDR] [--port PORT] [--db DB] [--user USER] [--admin-user USER] [--password-stdin] [--timeout SECONDS] [--fresh] [--until-captured CAPTURE] [--wait-cached]
# --via reload --pid PID | --pidfile PATH (nginx or HAProxy master-worker resolving the names of
# their configuration when they load it): a graceful reload of the master, validated first and
# waited for until new workers run, as refresh proxy-reload does; their lookups of those names are
# the trigger's. data.qname is NAME, by default the first upstream name of the configuration. It
# changes no file; keep-alive client connections end at the old workers.
# --via getent (for hosts whose processes resolve through libc, and hosts with
# no pgbouncer): looks NAME up with getent through the libc resolver, which
# reads /etc/resolv.conf; data.qname is NAME. Use a name never asked before
# (e.g. with the run id in it) so no cache answers it.
# --via http --url URL --name NAME (a daemon that resolves a name on request, e.g. a
# service's own /resolve endpoint): GETs URL (http:// or https://) with every
# {name} in it replaced by NAME, with curl, else wget, else busybox wget (refused
# when the host has none), so the daemon looks NAME up its own way; any HTTP
# answer counts (502 for a name that does not resolve is the normal proof):
# data.http_status, data.qname is NAME. With --until-captured the GET is cut off
# as soon as the capture holds the query, as the psql trigger is.
# The trigger: psql to pgbouncer's test database (default "test") whose host is
# a nonexistent name, so pgbouncer looks it up; psql is cut off after
# --timeout (default 1.5 s: the lookup starts at login). pgbouncer caches the
# NXDOMAIN for dns_nxdomain_ttl, and a pool whose server login failed waits
# server_login_retry before trying (and looking up) again; --fresh sets both to
# 0 on the admin console for the trigger and restores them, and waits out an
# answer cached before (SHOW DNS_HOSTS), so every trigger makes a fresh lookup
# (needs USER in admin_users). data.qname is the name pgbouncer looks up; data.cached_ttl
# says how long pgbouncer still had it cached. Passwords never go on the
# command line: --password-stdin reads the --user password (line 1) and the
# --admin-user password (line 2, default: the same) from stdin; otherwise
# PGPASSWORD/~/.pgpass apply. --until-captured CAPTURE (with --run): psql is
# cut off as soon as the run's capture CAPTURE (capture-start --name, default
# dns) holds a query for the name, instead of at --timeout: the lookup has been
# made, and the capture, still running, keeps recording it for capture-verify.
# With --until-captured, where --wait-cached found (outside the block) that the process listening on
# PORT maps c-ares with ares_reinit (>= 1.22: its own query cache, from 1.23, may hold the answer):
# a first psql whose lookup the capture does not see within 1 s is cut off, ares_reinit is called
# in that process through gdb as refresh gdb-cares does (data.cares_cache_flushed), and psql runs
# once more. Elsewhere psql runs once, to --timeout.
# --wait-cached (with --admin-user): only wait until pgbouncer has no cached answer for the name,
# then exit; no lookup is made. The controller runs it before arming the guard, so that the
# trigger in the block does not wait with the old servers banned.
cmd_trigger() {
  local host=127.0.0.1 port=6432 db=test user=postgres admin='' pwstdin=false tmo=1.5 fresh=false qname='' old='' retry='' out rc t0 cached
  local via=pgbouncer name='' tpid='' until_cap='' capf='' psql_out p seen stopped wait_only=false pool wait_s flush_pid flush_start state url='' url_named status
  RUN=
  while [ $# -gt 0 ]; do
    case $1 in
      --run) set_run "$@"; shift 2 ;;
      --via) need_arg "$@"; case $2 in pgbouncer|getent|http|reload) via=$2 ;; *) usage "bad --via (pgbouncer, getent, http or reload): $2" ;; esac; shift 2 ;;
      --url) need_arg "$@"; is_name_url "$2" || usage "bad --url (http:// or https://, with {name} where the name goes): $2"
        url=$2; shift 2 ;;
      --pid) need_arg "$@"; is_uint "$2" && [ "$2" -gt 1 ] || usage "bad pid: $2"; tpid=$2; shift 2 ;;
      --pidfile) need_arg "$@"; is_path "$2" || usage "bad pidfile path: $2"
        read -r tpid <"$(hp "$2")" 2>/dev/null && is_uint "$tpid" || die 3 "pidfile $2 does not hold a pid"; shift 2 ;;
      --name) need_arg "$@"; is_dnsname "$2" || usage "bad name: $2"; name=${2%.}; shift 2 ;;
      --host) need_arg "$@"; is_ip "$2" || usage "bad host (an IP address): $2"; host=$2; shift 2 ;;
      --port) need_arg "$@"; is_uint "$2" && [ "$2" -gt 0 ] && [ "$2" -lt 65536 ] || usage "bad port: $2"; port=$2; shift 2 ;;
      --db) need_arg "$@"; is_name "$2" || usage "bad database: $2"; db=$2; shift 2 ;;
      --user) need_arg "$@"; is_name "$2" || usage "bad user: $2"; user=$2; shift 2 ;;
      --timeout) need_arg "$@"; case $2 in *[!0-9.]*|''|.*|*.*.*) usage "bad timeout: $2" ;; esac; tmo=$2; shift 2 ;;
      --admin-user) need_arg "$@"; is_name "$2" || usage "bad admin user: $2"; admin=$2; shift 2 ;;
      --password-stdin) pwstdin=true; shift ;;
      --fresh) fresh=true; shift ;;
      --until-captured) need_arg "$@"; is_run_id "$2" || usage "bad capture name: $2"; until_cap=$2; shift 2 ;;
      --wait-cached) wait_only=true; shift ;;
      *) usage "trigger: unknown argument: $1" ;;
    esac
  done
  need timeout
  if [ "$via" = reload ]; then
    [ -n "$tpid" ] || usage "trigger --via reload needs --pid PID or --pidfile PATH (the nginx or haproxy master)"
    trigger_reload "$tpid" "$name"
    ok
  fi
  if [ "$via" = getent ]; then
    need getent
    [ -n "$name" ] || usage "trigger --via getent needs --name NAME"
    d_str qname "$name"
    t0=$(now_ms)
    out=$(timeout "$tmo" getent ahosts "$name." 2>&1)
    rc=$?
    d_num elapsed_ms $(( $(now_ms) - t0 ))
    d_num getent_exit "$rc"
    d_bool timed_out "$( [ "$rc" = 124 ] && echo true || echo false)"
    ok
  fi
  if [ "$via" = http ]; then
    [ -n "$url" ] && [ -n "$name" ] || usage "trigger --via http needs --url URL and --name NAME"
    status=$(http_tool) || die 3 "trigger --via http needs curl, wget or busybox (wget) to GET $url: none is installed on this host"
    d_str http_client "$status"
    qname=$name
    url_named=$(printf '%s' "$url" | sed "s/{name}/$name/g") # a DNS name: nothing sed would read
    d_str qname "$name"
    d_str url "$url_named"
    psql_out=$(mktemp "${TMPDIR:-/tmp}/cutover-http.XXXXXX") || die 1 "cannot create a temp file"
    remove_on_exit "$psql_out"
    [ -z "$until_cap" ] || [ -z "$RUN" ] || capf=$(cap_file "$RUN" "$until_cap" txt)
    seen=0
    [ -z "$capf" ] || seen=$(wc -c <"$capf" 2>/dev/null | tr -d " ")
    is_uint "$seen" || seen=0
    t0=$(now_ms)
    trigger_watch "$psql_out" "" http_exec
    d_num elapsed_ms $(( $(now_ms) - t0 ))
    status=$(grep -oE 'HTTP(/[0-9.]+)? [0-9]{3}' "$psql_out" | tail -n 1 | awk '{ print $2 }')
    [ "$status" != 000 ] || status=
    d_num http_exit "$rc"
    d_strn http_status "$status"
    d_bool timed_out "$( [ "$rc" = 124 ] && echo true || echo false)"
    [ -n "$status" ] || [ "$stopped" = true ] ||
      die 1 "no HTTP answer from $url_named (exit $rc: $(head -c 200 "$psql_out")): is the service listening there?"
    ok
  fi
  need psql
  [ -n "$admin" ] || admin=$user
  if [ "$pwstdin" = true ]; then
    # line 1: password of --user; line 2 (optional): password of --admin-user
    IFS= read -r PW_USER || true
    IFS= read -r PW_ADMIN || PW_ADMIN=$PW_USER
    [ -n "$PW_ADMIN" ] || PW_ADMIN=$PW_USER
  fi
  # everything the trigger reads from the admin console, in one session
  state=$(pgb_admin_all "$host" "$port" "$admin" 'SHOW DATABASES' 'SHOW DNS_HOSTS' 'SHOW CONFIG' 'SHOW POOLS')
  qname=$(printf '%s\n' "$state" | pgb_answer 1 | awk -F '|' -v db="$db" '$1 == db { print $2; exit }')
  d_strn qname "$qname"
  cached=$(printf '%s\n' "$state" | pgb_answer 2 | awk -F '|' -v q="$qname" '$1 == q { print $2; exit }')
  is_uint "$cached" || cached=0
  old=$(printf '%s\n' "$state" | pgb_answer 3 | awk -F '|' '$1 == "dns_nxdomain_ttl" { print $2; exit }')
  retry=$(printf '%s\n' "$state" | pgb_answer 3 | awk -F '|' '$1 == "server_login_retry" { print $2; exit }')
  d_num cached_ttl "$cached"
  if [ "$wait_only" = true ]; then
    # Before the guarded block, so the trigger in it need not wait with the old servers banned. A
    # pool exists once a client has asked for the database, and it retries its login for good,
    # looking the name up each time: the block must fall in a window where pgbouncer has no answer
    # cached and the pool's next try is a whole server_login_retry away. So, with dns_nxdomain_ttl
    # 0 and (for a pool) server_login_retry 0 meanwhile, the cached answer is waited out and the
    # pool made to try now (a second, uncached); both settings are then put back, which starts
    # that window.
    pool=$(printf '%s\n' "$state" | pgb_answer 4 | awk -F '|' -v db="$db" '$1 == db { print; exit }')
    wait_s=0
    [ -z "$pool" ] || wait_s=1
    [ "$cached" -eq 0 ] || wait_s=$((cached + 2))
    if [ "$wait_s" -gt 0 ]; then
      is_uint "$old" || die 3 "cannot read dns_nxdomain_ttl on the admin console as $admin: $(printf '%s' "$state" | head -n 1)"
      is_uint "$retry" || die 3 "cannot read server_login_retry on the admin console as $admin: $(printf '%s' "$state" | head -n 1)"
      trap '' PIPE
      trap 'trigger_settings_restore; exit 1' HUP INT TERM
      pgb_set dns_nxdomain_ttl 0 || die 3 "cannot SET dns_nxdomain_ttl on the admin console"
      if [ -n "$pool" ]; then pgb_set server_login_retry 0 || { trigger_settings_restore
        die 3 "cannot SET server_login_retry on the admin console"; }; fi
      [ "$cached" -eq 0 ] || log "waiting ${cached}s for pgbouncer's cached answer for $qname to expire"
      sleep "$wait_s"
      # the pool's tries stop first; a lookup still in flight then ends uncached, before the TTL is back.
      # One SET each: server_login_retry is back already (or was never changed, without a pool).
      if [ -n "$pool" ]; then
        pgb_set server_login_retry "$retry" || { trigger_settings_restore; die 1 "cannot restore server_login_retry to $retry"; }
        sleep 1
      fi
      pgb_set dns_nxdomain_ttl "$old" || die 1 "cannot restore dns_nxdomain_ttl to $old"
      trap - HUP INT TERM
    fi
    d_num waited_s "$wait_s"
    # The pool's lookups left their answer in c-ares' own cache (>= 1.23) too: emptied here, outside
    # the block, so that the trigger in it is not answered from there. Whether it can be emptied is
    # kept for the trigger in the block, which then need not find out with the old servers banned.
    if cares_flushable "$port"; then
      [ -z "$RUN" ] || [ ! -d "$(run_dir "$RUN")" ] ||
        printf '%s %s\n' "$CF_PID" "$(proc_start "$CF_PID")" >"$(run_dir "$RUN")/cares-flushable"
      if [ -n "$pool" ] && cares_cache_flush "$CF_PID"; then d_bool cares_cache_flushed true; fi
    fi
    ok
  fi
  if [ "$fresh" = true ]; then
    is_uint "$old" || die 3 "cannot read dns_nxdomain_ttl on the admin console as $admin: $(printf '%s' "$state" | head -n 1)"
    # A pool whose last server login failed (the probe's always does: NXDOMAIN) waits
    # server_login_retry before it tries again, and so before it looks the name up again.
    is_uint "$retry" || die 3 "cannot read server_login_retry on the admin console as $admin: $(printf '%s' "$state" | head -n 1)"
    # If the controller or the link dies mid-trigger, writing to the dead channel must not kill
    # this script (or a psql) before both settings are back: SIGPIPE ignored, outputs captured.
    trap '' PIPE
    trap 'trigger_settings_restore; exit 1' HUP INT TERM
    out=$(pgb_admin_all "$host" "$port" "$admin" 'SET dns_nxdomain_ttl = 0' 'SET server_login_retry = 0')
    if [ "$(printf '%s\n' "$out" | grep -c '^SET ')" != 2 ]; then
      log "SET dns_nxdomain_ttl = 0, server_login_retry = 0: $out"
      trigger_settings_restore
      die 3 "cannot SET dns_nxdomain_ttl and server_login_retry on the admin console"
    fi
    d_num nxdomain_ttl_restored "$old"
    d_num server_login_retry_restored "$retry"
    # An answer cached before the SET keeps its old expiry. If pgbouncer made that lookup since the
    # capture started (a pool retrying its login does, every server_login_retry), the capture
    # already holds it: that is the fresh lookup. Otherwise it is waited out.
    if [ "$cached" -gt 0 ] && [ -n "$until_cap" ] && [ -n "$RUN" ] && grep -qiF "? $qname." "$(cap_file "$RUN" "$until_cap" txt)" 2>/dev/null; then
      log "pgbouncer looked $qname up since the capture started: that lookup is the proof"
      trigger_settings_restore || die 1 "cannot restore server_login_retry to $retry and dns_nxdomain_ttl to $old"
      trap - HUP INT TERM
      d_num waited_s 0
      d_bool stopped_at_capture true
      d_bool already_captured true
      ok
    fi
    if [ "$cached" -gt 0 ]; then log "waiting ${cached}s for pgbouncer's cached answer for $qname to expire"; sleep $((cached + 1)); fi
    d_num waited_s "$( [ "$cached" -gt 0 ] && echo $((cached + 1)) || echo 0)"
  elif [ "$cached" -gt 0 ]; then
    log "pgbouncer has $qname cached for ${cached}s more: this trigger will not send a query (use --fresh)"
  fi
  psql_out=$(mktemp "${TMPDIR:-/tmp}/cutover-psql.XXXXXX") || die 1 "cannot create a temp file"
  remove_on_exit "$psql_out"
  [ -n "$until_cap" ] && [ -n "$RUN" ] && [ -n "$qname" ] && capf=$(cap_file "$RUN" "$until_cap" txt)
  # Only what the capture records from now on is this trigger's lookup: pgbouncer may have asked
  # for the name before (a pool retrying its login), and that query proves nothing about this one.
  seen=0
  [ -z "$capf" ] || seen=$(wc -c <"$capf" 2>/dev/null | tr -d " ")
  is_uint "$seen" || seen=0
  t0=$(now_ms)
  # A lookup reaches the capture within milliseconds of the login; none after a second means it was
  # answered from a cache. c-ares >= 1.23 keeps one of its own, which pgbouncer's settings do not
  # reach: a pool retrying its login since an earlier run leaves the NXDOMAIN there. ares_reinit
  # empties it (and re-reads resolv.conf, already switched); then psql runs once more, in full.
  flush_pid=''
  if [ -n "$capf" ] && [ -s "$(run_dir "$RUN")/cares-flushable" ]; then
    read -r flush_pid flush_start <"$(run_dir "$RUN")/cares-flushable"
    [ "$(proc_start "$flush_pid")" = "$flush_start" ] || flush_pid=''
  fi
  if [ -n "$flush_pid" ]; then
    trigger_psql 1000
    if [ "$stopped" = false ]; then
      cares_cache_flush "$flush_pid"
      d_bool cares_cache_flushed true
      trigger_psql
    fi
  else
    trigger_psql
  fi
  out=$(cat "$psql_out")
  d_num elapsed_ms $(( $(now_ms) - t0 ))
  if [ "$fresh" = true ]; then
    trigger_settings_restore || die 1 "cannot restore server_login_retry to $retry and dns_nxdomain_ttl to $old"
    trap - HUP INT TERM
  fi
  d_num psql_exit "$rc"
  d_str psql_output "$(printf '%s' "$out" | head -n 3)"
  d_bool timed_out "$( [ "$rc" = 124 ] && echo true || echo false)"
  ok
}

