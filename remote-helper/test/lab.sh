#!/bin/sh
# Usage: remote-helper/test/lab.sh [TEST-NAME...]
# The helper's lab tests: what only real hosts show. Starts its own lab
# instance (CUTOVER_LAB, default "hlpt") with one app host, and always tears
# it down (trap), also when a test fails. Under CI=true a lab that cannot
# start is a failure, not a skip. Prints "N passed, N failed"; exit 1 on failure.
#
# Tests: facts, cutover (the six steps with every helper action, then revert
# byte for byte), sessions (refresh of a live pgbouncer: no session dropped,
# stall measured), firewall (iptables and nftables ban/unban byte-identical),
# guard (reverts after the deadline when the SSH session that armed it dies),
# glibc (a running getaddrinfo process follows a changed resolv.conf: method none),
# lock (stale once the SSH session that took it is gone), versions (on the real hosts: the
# c-ares refresh of pgbouncer 1.15/c-ares 1.17 on Debian 11 with ares_set_servers_csv and of
# 1.24/c-ares 1.34 on Debian 13 with ares_reinit, each proved by capture with the old servers
# banned, then reverted and proved back; a trigger whose answer c-ares 1.34 holds in its own
# query cache still makes its lookup; boots the lab with --real when selected), node (the Node
# service's c-ares channels refreshed with gdb-cares: proved by capture with the old servers
# banned, then reverted and proved back; same pid, keep-alive clients kept; stall measured), go
# and jvm (the lab's Go and Java services switched without a restart: go-wait / none, proved by an
# HTTP trigger with the old servers banned, keep-alive clients kept, 20 refreshes measured), nginx and haproxy
# (lab/services: names resolved at load, proxy-reload; an own resolver naming the old servers,
# proxy-resolver; each proved by capture with the old servers banned, then reverted byte for byte
# and proved back; keep-alive clients held through the refresh and counted), cares (a C service on
# c-ares 1.18.1 in an unknown layout: gdb-cares-break, its channel caught by a bounded breakpoint;
# proved by capture with the old servers banned, reverted and proved back, clients kept, stall),
# cares_reinit (the same method on c-ares 1.34, ares_reinit: Node's channel caught by the breakpoint),
# evdns (a pgbouncer
# built with evdns, lab/services/pgbouncer-evdns.sh on port 6433, switched with gdb-evdns: proved
# by capture with the old servers banned, then reverted and proved back; same pid, client
# sessions kept; stall measured).
# shellcheck disable=SC2015 # `[ a ] && [ b ] || fail` is meant
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export CUTOVER_LAB="${CUTOVER_LAB:-hlpt}"
LAB="$repo/lab/lab.sh"
HELPER=$("$here/../build.sh") || exit 2 # the one file a host gets, built from src/
H=/var/lib/cutover/bin/cutover-helper
pass=0 fail=0 current=
ART=$(mktemp -d "${TMPDIR:-/tmp}/cutover-helper-labtest.XXXXXX") # logs and outputs of this run

say() { printf '%s\n' "$*" >&2; }
ok() { pass=$((pass + 1)); echo "ok - $current${1:+: $1}"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $current: $*"; }
lab_ssh() { "$LAB" ssh app1 "$@"; }
lab_exec() { "$LAB" exec "$@"; }
# jq_py JSON EXPR: evaluate a python expression over the parsed JSON (as d)
jq_py() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=eval(sys.argv[2]); print(json.dumps(r) if not isinstance(r,str) else r)' "$1" "$2" 2>/dev/null; }
var() { awk -v k="$1:" '$1 == k { sub(/^[^:]*: */, ""); print; exit }' "$repo/lab/run/$CUTOVER_LAB/inventory.yml"; }

cleanup() {
  "$LAB" down >/dev/null 2>&1 || true
  if [ "$fail" -eq 0 ]; then rm -rf "$ART"; else say "outputs of this run kept in $ART"; fi
}

# real_refresh HOST CALL: on a real host, gdb-cares must use CALL; 127.0.0.1 proved by capture
# with the old servers banned; after revert, the old servers proved again (pgbouncer never
# restarted). ares_reinit follows resolv.conf, so there resolv.conf is changed (trixie-plain
# has no owner); ares_set_servers_csv takes --servers (bullseye's dhclient rewrites resolv.conf).
# shellcheck disable=SC2086 # $trig is a word list on purpose
real_refresh() {
  h=$1 want=$2 R=lab-ver-$1 R2=lab-ver2-$1
  hs() { "$LAB" ssh "$h" "$@" 2>>"$ART/real-$h.err"; }
  hs "mkdir -p /var/lib/cutover/bin && cat >$H && chmod 755 $H" <"$HELPER" || { not_ok "$h: cannot push the helper"; return 1; }
  pid=$(lab_exec "$h" cat /var/run/postgresql/pgbouncer.pid)
  start=$(lab_exec "$h" sh -c "cut -d' ' -f22 /proc/$pid/stat")
  before_resolv=$(lab_exec "$h" sha256sum /etc/resolv.conf | cut -d' ' -f1)
  f=$(hs $H facts --proc pgbouncer)
  got=$(jq_py "$f" 'd["data"]["processes"][0]["cares"]["call"]')
  [ "$got" = "$want" ] || { not_ok "$h: facts say gdb-cares calls $got, want $want: $f"; return 1; }
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = gdb-cares ] || { not_ok "$h: auto would not pick gdb-cares: $f"; return 1; }
  pw=$(printf '%s\n%s\n' "$(var pgbouncer_probe_password)" "$(var pgbouncer_admin_password)")
  trig="--db $(var pgbouncer_probe_db) --user $(var pgbouncer_probe_user) --admin-user $(var pgbouncer_admin_user) --password-stdin --fresh --timeout 5 --until-captured dns"
  if [ "$want" = ares_reinit ]; then
    echo "nameserver 127.0.0.1" | hs $H resolv-install --run $R >/dev/null || { not_ok "$h: resolv-install failed"; return 1; }
    out=$(hs $H refresh --run $R "$pid" gdb-cares)
  else
    out=$(hs $H refresh --run $R "$pid" gdb-cares --servers 127.0.0.1)
  fi || { not_ok "$h: refresh failed: $out"; hs $H revert $R >/dev/null 2>&1; return 1; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["call"]')" = "$want" ] || { not_ok "$h: the refresh did not call $want: $out"; hs $H revert $R >/dev/null 2>&1; return 1; }
  hs $H capture-start --run $R >/dev/null && hs $H fw-ban --run $R "$OLD1" "$OLD2" >/dev/null &&
    printf '%s\n' "$pw" | hs $H trigger --run $R $trig >/dev/null &&
    out=$(hs $H capture-verify --run $R --qname "$PROBE_HOST" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2") ||
    { not_ok "$h: pgbouncer's lookup was not proved to reach 127.0.0.1 with the old servers banned: $out"; hs $H revert $R >/dev/null 2>&1; return 1; }
  proof=$(jq_py "$out" 'd["data"]["queries_to_expected"]')
  out=$(hs $H revert $R) || { not_ok "$h: revert failed: $out"; return 1; }
  [ "$(lab_exec "$h" sha256sum /etc/resolv.conf | cut -d' ' -f1)" = "$before_resolv" ] || [ "$want" != ares_reinit ] ||
    { not_ok "$h: resolv.conf not restored byte for byte"; return 1; }
  # the revert refreshed pgbouncer back: its next fresh lookup goes to the old servers again
  hs $H capture-start --run $R2 >/dev/null && printf '%s\n' "$pw" | hs $H trigger --run $R2 $trig >/dev/null &&
    out=$(hs $H capture-verify --run $R2 --qname "$PROBE_HOST" --expect "$OLD1" --forbid 127.0.0.1 --stop) ||
    { not_ok "$h: after revert pgbouncer does not ask $OLD1 again: $out"; hs $H revert $R2 >/dev/null 2>&1; return 1; }
  hs $H revert $R2 >/dev/null
  [ "$(lab_exec "$h" sh -c "cut -d' ' -f22 /proc/$pid/stat")" = "$start" ] || { not_ok "$h: pgbouncer $pid was restarted or died"; return 1; }
  REAL_OK="$h ($(jq_py "$f" 'd["data"]["processes"][0]["adns"]'), $want, gdb $(jq_py "$refresh_out" 'd["data"]["gdb_ms"]') ms): $proof queries to 127.0.0.1, back to $OLD1 after revert"
}

# cares_cache_trigger HOST: c-ares >= 1.23 answers a name again from its own query cache, which
# pgbouncer's settings do not reach (a pool retrying since an earlier run fills it): the trigger
# must empty it and still make the lookup the capture sees.
# shellcheck disable=SC2086 # $trig is a word list on purpose
# EXPECT: the server HOST's pgbouncer asks (whose NXDOMAIN carries the SOA c-ares caches it by).
cares_cache_trigger() {
  h=$1 Q=lab-qc-$1
  # the answers c-ares cached for the tests before expire (the lab zone's negative TTL: 10 s)
  sleep 11
  admin() { lab_exec "$h" env PGPASSWORD="$(var pgbouncer_admin_password)" psql -X -h 127.0.0.1 -p 6432 \
    -U "$(var pgbouncer_admin_user)" -d pgbouncer -c "$1" >/dev/null 2>&1 </dev/null; }
  # the capture runs from here, as in the block; before the block, --wait-cached finds that this
  # pgbouncer's c-ares can be emptied (and does it)
  hs $H capture-start --run $Q >/dev/null && printf '%s\n' "$pw" | hs $H trigger --run $Q ${trig%--fresh*} --wait-cached >/dev/null ||
    { not_ok "$h: capture-start or trigger --wait-cached failed"; hs $H revert $Q >/dev/null 2>&1; return 1; }
  # then pgbouncer keeps nothing (nxdomain ttl 0) and its pool asks at once (no login retry wait);
  # c-ares keeps the NXDOMAIN for the zone's 10 s
  admin "SET dns_nxdomain_ttl = 0" && admin "SET server_login_retry = 0" ||
    { not_ok "$h: cannot SET dns_nxdomain_ttl and server_login_retry on the admin console"; return 1; }
  lab_exec "$h" env PGPASSWORD="$(var pgbouncer_probe_password)" timeout 1 psql -X -h 127.0.0.1 -p 6432 \
    -U "$(var pgbouncer_probe_user)" -d "$(var pgbouncer_probe_db)" -c 'select 1' >/dev/null 2>&1 </dev/null
  out=$(printf '%s\n' "$pw" | hs $H trigger --run $Q $trig) &&
    verify=$(hs $H capture-verify --run $Q --qname "$PROBE_HOST" --expect "$2" --stop)
  rc=$?
  admin "SET dns_nxdomain_ttl = 15"; admin "SET server_login_retry = 15"
  hs $H revert $Q >/dev/null 2>&1
  [ $rc = 0 ] || { not_ok "$h: the trigger's lookup was not captured: ${verify:-$out}"; return 1; }
  [ "$(jq_py "$out" 'd["data"].get("cares_cache_flushed")')" = true ] &&
    [ "$(jq_py "$out" 'd["data"].get("stopped_at_capture")')" = true ] ||
    { not_ok "$h: the trigger did not empty c-ares' cache and stop at the capture: $out"; return 1; }
  QC_OK="$h: an answer in c-ares' query cache emptied by the trigger (ares_reinit, $(jq_py "$out" 'd["data"]["elapsed_ms"]') ms)"
}

test_versions() {
  real_refresh bullseye-dhclient ares_set_servers_csv || return; a=$REAL_OK
  real_refresh trixie-plain ares_reinit || return
  cares_cache_trigger trixie-plain "$OLD1" || return
  ok "$a; $REAL_OK; $QC_OK; same pgbouncer processes throughout"
}

start_lab() {
  trap cleanup EXIT INT TERM
  real=
  case " $tests " in *" versions "*) real=--real ;; esac
  # shellcheck disable=SC2086 # $real is empty or one word
  if ! "$LAB" up --hosts 1 $real >/dev/null 2>"$ART/lab-up.log"; then
    cat "$ART/lab-up.log" >&2
    if [ "${CI:-}" = true ]; then current=lab-up; not_ok "the lab could not start (CI=true: failing, not skipping)"; echo "$pass passed, $fail failed"; exit 1; fi
    say "lab could not start: skipping the lab tests (set CI=true to fail instead)"; echo "0 passed, 0 failed (skipped)"; exit 0
  fi
  OLD1=$(var cutover_old_nameservers | tr -d '[] ' | cut -d, -f1)
  OLD2=$(var cutover_old_nameservers | tr -d '[] ' | cut -d, -f2)
  ALT=$(var cutover_alt_forwarders | tr -d '[] ')
  PROBE_HOST=$(var pgbouncer_probe_host)
  lab_ssh "mkdir -p /var/lib/cutover/bin && cat >$H && chmod 755 $H" <"$HELPER" || { current=push; not_ok "cannot push the helper"; exit 1; }
}

options_for() { # named.conf.options forwarding to $*
  printf 'options {\n\tdirectory "/var/cache/bind";\n\tlisten-on { 127.0.0.1; };\n\tlisten-on-v6 { none; };\n\tforwarders { %s };\n\tforward only;\n\tdnssec-validation no;\n\tallow-query { 127.0.0.1; };\n};\n' \
    "$(for a in "$@"; do printf '%s; ' "$a"; done)"
}

test_facts() {
  out=$(lab_ssh $H facts) || { not_ok "facts failed: $out"; return; }
  [ "$(jq_py "$out" 'd["data"]["processes"][0]["refresh_method"]')" = gdb-cares ] || { not_ok "pgbouncer's method is not gdb-cares: $out"; return; }
  [ "$(jq_py "$out" 'd["data"]["resolv_conf"]["bind_mount"]')" = true ] || { not_ok "bind-mounted resolv.conf not seen"; return; }
  # timed on the host itself (no SSH), 15 runs, and reported: a timing on a shared machine is not a
  # pass/fail (it failed at 212 ms under a load of 7); the speed targets are the benchmarks' (bench/)
  ms=$(lab_exec app1 sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do s=\$(date +%s%N); $H facts >/dev/null; e=\$(date +%s%N); echo \$(( (e - s) / 1000000 )); done" | sort -n | awk '{ a[NR] = $1 } END { print a[1], a[int((NR + 1) / 2)], a[NR] }')
  # shellcheck disable=SC2086 # three numbers
  set -- $ms
  [ -n "${3:-}" ] || { not_ok "facts could not be timed: '$ms'"; return; }
  ok "facts answers the controller's questions (pgbouncer's method, the bind-mounted resolv.conf); min/median/max $1/$2/$3 ms"
}

# shellcheck disable=SC2086 # $trig is a word list on purpose
test_cutover() {
  R=lab-cutover
  before_resolv=$(lab_exec app1 sha256sum /etc/resolv.conf)
  before_opts=$(lab_exec app1 sha256sum /etc/bind/named.conf.options)
  before_nft=$(lab_exec app1 nft list ruleset | sha256sum)
  pid=$(lab_exec app1 cat /var/run/postgresql/pgbouncer.pid)
  step() { # step NAME EXPECTED-EXIT CMD... (stdin passes through)
    n=$1 want=$2; shift 2
    out=$(lab_ssh "$@"); rc=$?
    [ "$rc" = "$want" ] || { not_ok "step $n: exit $rc (want $want): $out"; return 1; }
    printf '%s' "$out" | python3 -c 'import json,sys; json.loads(sys.stdin.read())' || { not_ok "step $n: not one JSON object: $out"; return 1; }
  }
  pw=$(printf '%s\n%s\n' "$(var pgbouncer_probe_password)" "$(var pgbouncer_admin_password)")
  trig="$H trigger --run $R --db $(var pgbouncer_probe_db) --user $(var pgbouncer_probe_user) --admin-user $(var pgbouncer_admin_user) --password-stdin --fresh --timeout 5 --until-captured dns"
  step lock 0 $H lock --owner "test=lab.sh,pid=$$,run=$R" &&
  options_for "$OLD1" "$OLD2" | step bind-config 0 $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options &&
  step bind-check 0 $H bind-check &&
  step bind-start 0 $H bind-start --run $R --verify-name "$PROBE_HOST" &&
  echo "nameserver 127.0.0.1" | step resolv 0 $H resolv-install --run $R --step resolv &&
  step refresh 0 $H refresh --run $R "$pid" gdb-cares &&
  step capture 0 $H capture-start --run $R &&
  step guard 0 $H guard-arm --run $R --to capture-start 120 &&
  options_for "$ALT" | step fwd-alt 0 $H file-install --run $R --step fwd-alt --target /etc/bind/named.conf.options &&
  step reload 0 $H bind-reload --run $R --flush --verify-name "$PROBE_HOST" &&
  step ban 0 $H fw-ban --run $R "$OLD1" "$OLD2" &&
  step trigger 0 $trig <<PW &&
$pw
PW
  # psql cut off once the capture saw the lookup, well before its 5 s timeout
  [ "$(jq_py "$out" 'd["data"].get("stopped_at_capture")')" = true ] && [ "$(jq_py "$out" 'd["data"]["elapsed_ms"] < 4000')" = true ] ||
    { not_ok "the trigger did not stop at the capture: $out"; false; } &&
  step verify 0 $H capture-verify --run $R --qname "$PROBE_HOST" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2" &&
  verify_out=$out &&
  step unban 0 $H fw-unban --run $R &&
  options_for "$OLD1" "$OLD2" | step fwd-back 0 $H file-install --run $R --step fwd-back --target /etc/bind/named.conf.options &&
  step reload-back 0 $H bind-reload --run $R --verify-name "$PROBE_HOST" &&
  step disarm 0 $H guard-disarm --run $R &&
  step state 0 $H state $R &&
  step revert 0 $H revert $R &&
  step unlock 0 $H unlock --owner "test=lab.sh,pid=$$,run=$R" || {
    # leave the host as we found it for the next tests
    lab_ssh $H guard-disarm --run $R >/dev/null 2>&1; lab_ssh $H revert $R >/dev/null 2>&1
    lab_ssh $H unlock --owner "test=lab.sh,pid=$$,run=$R" >/dev/null 2>&1; return; }
  [ "$(lab_exec app1 sha256sum /etc/resolv.conf)" = "$before_resolv" ] || { not_ok "resolv.conf not restored byte for byte"; return; }
  [ "$(lab_exec app1 sha256sum /etc/bind/named.conf.options)" = "$before_opts" ] || { not_ok "named.conf.options not restored byte for byte"; return; }
  [ "$(lab_exec app1 nft list ruleset | sha256sum)" = "$before_nft" ] || { not_ok "nft ruleset differs after the run"; return; }
  lab_exec app1 sh -c 'pidof named' >/dev/null && { not_ok "named still runs after revert"; return; }
  [ "$(lab_exec app1 cat /var/run/postgresql/pgbouncer.pid)" = "$pid" ] || { not_ok "pgbouncer was replaced"; return; }
  ok "$(jq_py "$verify_out" 'd["data"]["queries_to_expected"]') queries for $PROBE_HOST to 127.0.0.1 captured, none to the old servers; every file restored byte for byte"
}

test_sessions() {
  pid=$(lab_exec app1 cat /var/run/postgresql/pgbouncer.pid)
  out=$(lab_exec app1 /usr/bin/python3 "$here/lab/stall.py" --helper "sh $H" --pid "$pid" --method gdb-cares --servers "$OLD1,$OLD2" \
    --runs "${STALL_RUNS:-20}" --db "$(var pgbouncer_app_db)" --user "$(var pgbouncer_probe_user)" --password "$(var pgbouncer_probe_password)")
  printf '%s\n' "$out" >"$ART/stall.json"
  [ "$(jq_py "$out" 'd["dropped"]')" = 0 ] || { not_ok "sessions dropped: $(jq_py "$out" 'd["sessions"]')"; return; }
  [ "$(jq_py "$out" 'd["failed_runs"]')" = 0 ] || { not_ok "refresh runs failed: $out"; return; }
  med=$(jq_py "$out" 'd["stall_ms"]["median"]')
  python3 -c "import sys; sys.exit(0 if $med <= 100 else 1)" || { not_ok "median stall $med ms > 100 ms"; return; }
  ok "$(jq_py "$out" 'd["runs"]') refreshes with idle, in-transaction and busy sessions: 0 dropped, stall min/median/max $(jq_py "$out" '"%s/%s/%s ms" % (d["stall_ms"]["min"], d["stall_ms"]["median"], d["stall_ms"]["max"])')"
}

test_firewall() {
  for be in iptables nft; do
    b_ipt=$(lab_exec app1 sh -c 'iptables-save | grep -v "^#"; ip6tables-save | grep -v "^#"')
    b_nft=$(lab_exec app1 nft list ruleset)
    out=$(lab_ssh $H fw-ban --run fw-$be --backend $be "$OLD1" "$OLD2") || { not_ok "$be ban failed: $out"; return; }
    # REJECT, not DROP: a query to an old server fails at once
    t0=$(date +%s%N)
    res=$(lab_exec app1 dig +tries=1 +time=3 @"$OLD1" "$PROBE_HOST" 2>&1)
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    case $res in *"connection refused"*|*"communications error"*) ;; *) not_ok "$be: query to $OLD1 was not rejected: $res"; return ;; esac
    [ "$ms" -lt 1500 ] || { not_ok "$be: rejected query took $ms ms (dropped, not rejected?)"; return; }
    lab_exec app1 dig +short +tries=1 +time=2 @"$ALT" "$PROBE_HOST" >/dev/null || { not_ok "$be: the alternate server was blocked too"; return; }
    out=$(lab_ssh $H revert fw-$be) || { not_ok "$be revert failed: $out"; return; }
    [ "$(lab_exec app1 sh -c 'iptables-save | grep -v "^#"; ip6tables-save | grep -v "^#"')" = "$b_ipt" ] || { not_ok "$be: iptables-save differs after unban"; return; }
    [ "$(lab_exec app1 nft list ruleset)" = "$b_nft" ] || { not_ok "$be: nft list ruleset differs after unban"; return; }
  done
  ok "iptables and nftables: rejected in ${ms} ms, alternate server untouched, rulesets byte-identical after unban"
}

test_guard() {
  R=lab-guard
  before=$(lab_exec app1 sha256sum /etc/resolv.conf)
  # arm inside an SSH session that then hangs; kill the session from our side
  # "$LAB" ssh execs ssh, so $! is the ssh client itself (a shell function would fork a subshell)
  "$LAB" ssh app1 "echo 'nameserver 192.0.2.1' | $H resolv-install --run $R >/dev/null && $H guard-arm --run $R 3 && sleep 600" >"$ART/guard.out" 2>&1 &
  sshpid=$!
  n=0; while ! grep -q '"armed"' "$ART/guard.out" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  gpid=$(jq_py "$(cat "$ART/guard.out")" 'd["data"]["guard"]["pid"]')
  kill "$sshpid"; wait "$sshpid" 2>/dev/null
  sleep 0.5
  lab_exec app1 sh -c 'pgrep -x sleep -a' | grep -q 'sleep 600' && lab_exec app1 sh -c 'ps -eo pid,comm' | grep -q ' sshd$' &&
    [ "$(lab_exec app1 sh -c 'ps -eo comm' | grep -c '^sshd$')" -gt 1 ] && { not_ok "the SSH session is still there after killing its client"; return; }
  [ "$(lab_exec app1 sha256sum /etc/resolv.conf)" != "$before" ] || { not_ok "resolv.conf was not changed before the deadline"; return; }
  lab_exec app1 kill -0 "$gpid" || { not_ok "the guard died with the SSH session"; return; }
  sleep 4.5
  [ "$(lab_exec app1 sha256sum /etc/resolv.conf)" = "$before" ] || { not_ok "the guard did not revert resolv.conf"; return; }
  st=$(lab_ssh $H state $R)
  [ "$(jq_py "$st" 'd["data"]["guard"]["status"]')" = fired ] || { not_ok "state does not show the guard fired: $st"; return; }
  ok "SSH session killed; guard (pid $gpid) survived and reverted resolv.conf after 3 s"
}

test_lock() {
  # the lock remembers the SSH session it was taken in; when that session dies the lock is stale
  "$LAB" ssh app1 "$H lock --owner ctl=lab-test-a && sleep 600" >"$ART/lock.out" 2>&1 &
  sshpid=$!
  n=0; while ! grep -q '"changed":true' "$ART/lock.out" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  out=$(lab_ssh $H lock --owner ctl=lab-test-b); rc=$?
  [ $rc -eq 75 ] && [ "$(jq_py "$out" 'd["data"]["holder"]["stale"]')" = false ] || { kill "$sshpid"; not_ok "a live lock was not busy: $rc $out"; return; }
  kill "$sshpid"; wait "$sshpid" 2>/dev/null; sleep 0.5
  out=$(lab_ssh $H lock --owner ctl=lab-test-b); rc=$?
  [ $rc -eq 75 ] && [ "$(jq_py "$out" 'd["data"]["holder"]["stale"]')" = true ] || { not_ok "a dead session's lock is not reported stale: $rc $out"; return; }
  out=$(lab_ssh $H lock --owner ctl=lab-test-b --break-stale) || { not_ok "--break-stale failed: $out"; return; }
  lab_ssh $H unlock --owner ctl=lab-test-b >/dev/null
  ok "lock busy (75) while its SSH session lives; stale ($(jq_py "$out" 'd["data"]["broken"]["stale_reason"]')) once it died; taken over only with --break-stale"
}

test_glibc() {
  R=lab-glibc
  # a long-running glibc process resolving with getaddrinfo every 0.2 s
  lab_exec app1 sh -c "nohup /usr/bin/python3 -c '
import socket, time
while True:
    try: socket.getaddrinfo(\"$PROBE_HOST\", 5432)
    except OSError: pass
    time.sleep(0.2)' >/dev/null 2>&1 & echo \$! >/tmp/glibc-probe.pid"
  gpid=$(lab_exec app1 cat /tmp/glibc-probe.pid)
  sleep 0.5
  echo "nameserver $ALT" | lab_ssh $H resolv-install --run $R >/dev/null || { not_ok "resolv-install failed"; lab_exec app1 kill "$gpid"; return; }
  out=$(lab_ssh $H refresh --run $R "$gpid" none) || { not_ok "refresh none failed: $out"; lab_exec app1 kill "$gpid"; return; }
  lab_ssh $H capture-start --run $R >/dev/null
  sleep 1
  out=$(lab_ssh $H capture-verify --run $R --qname "$PROBE_HOST" --expect "$ALT" --forbid "$OLD1" --forbid "$OLD2" --stop); rc=$?
  lab_exec app1 kill "$gpid"
  lab_ssh $H revert $R >/dev/null
  [ $rc -eq 0 ] || { not_ok "the glibc process did not follow resolv.conf: $out"; return; }
  ok "a running glibc 2.36 getaddrinfo process asked the new server $(jq_py "$out" 'd["data"]["queries_to_expected"]') times after resolv.conf changed, the old ones never (method none)"
}

# hold NAME start OPEN KEPT | hold NAME stop: a python3 in app1 holds client connections from start
# to stop. OPEN (python) opens them into the list cs; KEPT, an expression of i and c (the index and
# the connection), is true when connection c answers again as it did (evaluated once per
# connection at stop, an exception counting as not kept). start returns once they are open (5 s
# at most); stop prints how many were kept.
hold() {
  if [ "$2" = stop ]; then
    lab_exec app1 sh -c "touch /tmp/$1.stop; for i in \$(seq 50); do [ -s /tmp/$1.out ] && break; sleep 0.1; done; rm -f /tmp/$1.ready; cat /tmp/$1.out"
    return
  fi
  lab_exec app1 sh -c "rm -f /tmp/$1.stop /tmp/$1.out; nohup /usr/bin/python3 -c '
import os, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, \"$repo/lab\")
$3
open(\"/tmp/$1.ready\", \"w\").close()
while not os.path.exists(\"/tmp/$1.stop\"): time.sleep(0.1)
n = 0
for i, c in enumerate(cs):
    try: n += bool($4)
    except Exception: pass
print(n)' >/tmp/$1.out 2>&1 &"
  for _ in $(seq 50); do lab_exec app1 test -e "/tmp/$1.ready" && return 0; sleep 0.1; done
  return 1
}

# node_hold start|stop [PORT]: 4 keep-alive client connections to the Node service (or the service
# on PORT), held from start to stop; stop prints how many answer again on the same socket (no reconnect)
node_hold() {
  [ "$1" = stop ] && { hold node-hold stop; return; }
  hold node-hold start "
import http.client
cs = []
for _ in range(4):
    c = http.client.HTTPConnection(\"127.0.0.1\", ${2:-8084}, timeout=10); c.auto_open = 0; c.connect()
    c.request(\"GET\", \"/\"); c.getresponse().read(); c.port0 = c.sock.getsockname()[1]; cs.append(c)
def kept(c):
    c.request(\"GET\", \"/\"); r = c.getresponse(); r.read()
    return r.status == 200 and c.sock.getsockname()[1] == c.port0" "kept(c)"
}

# unban_revert RUN WHAT: the old servers unbanned, RUN reverted, and its undo refreshed WHAT back
# to the old servers (the revert's result for the refresh); not_ok and 1 otherwise
unban_revert() {
  lab_ssh $H fw-unban --run "$1" >/dev/null
  out=$(lab_ssh $H revert "$1") || { not_ok "revert failed: $out"; return 1; }
  [ "$(jq_py "$out" '[u["result"] for u in d["data"]["undone"] if u["action"] == "refresh" and "pid" in u][0]')" = "refreshed to $OLD1,$OLD2" ] ||
    { not_ok "revert did not refresh $2 back to the old servers: $out"; return 1; }
}

# flip_stall SVC PID METHOD SCRIPT ARG...: the stall of STALL_RUNS (20) refreshes of PID with
# METHOD, measured by remote-helper/test/lab/SCRIPT inside app1 (ARGs added), resolv.conf
# alternating the old servers' order between runs, outside the measured window (for methods that
# take no --servers: a refresh to what the process has is skipped); resolv.conf and the process
# are put back after. Sets out; the raw result is also in $ART/SVC-stall.json.
flip_stall() {
  svc=$1 spid=$2 smethod=$3 script=$4
  shift 4
  lab_exec app1 cp /etc/resolv.conf "/tmp/resolv.$svc-test"
  flip="if [ \$(( {i} % 2 )) = 1 ]; then printf 'nameserver $OLD2\\nnameserver $OLD1\\n'; else printf 'nameserver $OLD1\\nnameserver $OLD2\\n'; fi >/etc/resolv.conf"
  out=$(lab_exec app1 /usr/bin/python3 "$here/lab/$script" --helper "sh $H" --pid "$spid" --runs "${STALL_RUNS:-20}" --before "$flip" "$@")
  lab_exec app1 sh -c "cat /tmp/resolv.$svc-test >/etc/resolv.conf"
  lab_ssh $H refresh --run "lab-$svc-back" "$spid" "$smethod" >/dev/null
  printf '%s\n' "$out" >"$ART/$svc-stall.json"
}

# service_up SVC PORT: lab/services/SVC.sh started in app1 and 4 keep-alive client connections to it
# held (node_hold); sets SPID and SSTART (its pid and start time); not_ok and 1 on failure
service_up() {
  lab_exec app1 sh "$repo/lab/services/$1.sh" start >/dev/null || { not_ok "the $1 service did not start"; return 1; }
  SPID=$(lab_exec app1 cat "/run/$1.pid")
  SSTART=$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$SPID/stat")
  node_hold start "$2" || { not_ok "the client connections to the $1 service could not be opened"; return 1; }
}

# node_resolve NAME: the Node service resolves NAME with dns.promises.resolve4 (its c-ares channel)
node_resolve() { lab_exec app1 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:8084/resolve?name=$1"; }
# cares_resolve NAME: the c-ares service (lab/services/cares-app.sh) resolves NAME on its channel;
# cares_trigger NAME: the same through the helper's trigger --via http, cut off at the capture
cares_resolve() { lab_exec app1 curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:8085/resolve?name=$1"; }
# shellcheck disable=SC2086 # $H is a word list
cares_trigger() { lab_ssh $H trigger --run $R --via http --url "'http://127.0.0.1:8085/resolve?name={name}'" --name "$1" --timeout 5 --until-captured dns | jq_py "$(cat)" 'd["data"]["http_status"]'; }

# proved_and_back WHO LOOKUP LOOKUP2: after run R's refresh of the service (BIND forwarding to the old
# servers, resolv.conf 127.0.0.1): BIND forwards to the alternate server, the old servers are banned,
# and `LOOKUP n1` must be captured reaching 127.0.0.1 and none of them; then revert must refresh the
# process back to them, and `LOOKUP2 n2` must ask OLD1 and not 127.0.0.1. Sets to_new; on failure
# not_ok, undo and return 1.
# shellcheck disable=SC2086 # $H is a word list
proved_and_back() {
  options_for "$ALT" | lab_ssh $H file-install --run $R --step fwd-alt --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-reload --run $R --flush --verify-name "$PROBE_HOST" >/dev/null &&
    lab_ssh $H fw-ban --run $R "$OLD1" "$OLD2" >/dev/null &&
    lab_ssh $H capture-start --run $R >/dev/null || { not_ok "forwarders, ban or capture failed"; undo; return 1; }
  code=$("$2" "$n1")
  out=$(lab_ssh $H capture-verify --run $R --qname "$n1" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2" --stop) ||
    { not_ok "$1's lookup of $n1 (HTTP $code) did not reach 127.0.0.1 only: $out"; undo; return 1; }
  to_new=$(jq_py "$out" 'd["data"]["queries_to_expected"]')
  unban_revert $R "$1" || { undo; return 1; }
  lab_ssh $H capture-start --run $R2 >/dev/null || { not_ok "second capture failed"; undo; return 1; }
  code2=$("$3" "$n2")
  out=$(lab_ssh $H capture-verify --run $R2 --qname "$n2" --expect "$OLD1" --forbid 127.0.0.1 --stop) ||
    { not_ok "after revert $1's lookup of $n2 (HTTP $code2) did not ask the old server $OLD1: $out"; undo; return 1; }
}

# The Node service (lab/services/node.sh) resolves with dns.resolve* (c-ares, never re-reads
# resolv.conf): gdb-cares reinitialises its channels; with the old servers banned its next lookup
# of a fresh name reaches 127.0.0.1 and none the old servers; after revert it asks the old servers
# again; same pid, its 4 keep-alive client connections survive (counted by the helper and by the
# client); then the stall across STALL_RUNS (20) refreshes, with idle and busy keep-alive clients.
# shellcheck disable=SC2086 # $H and friends are word lists on purpose
test_node() {
  R=lab-node R2=lab-node2 n1="node-$$-1.lab.test" n2="node-$$-2.lab.test"
  service_up node 8084 || return
  npid=$SPID nstart=$SSTART
  undo() { node_hold stop >/dev/null; lab_ssh $H fw-unban --run $R >/dev/null 2>&1; lab_ssh $H revert $R >/dev/null 2>&1; }
  f=$(lab_ssh $H facts --pid "$npid")
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = gdb-cares ] || { not_ok "auto would not pick gdb-cares for Node: $f"; undo; return; }
  options_for "$OLD1" "$OLD2" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$PROBE_HOST" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null || { not_ok "BIND or resolv.conf could not be set up"; undo; return; }
  out=$(lab_ssh $H refresh --run $R "$npid" gdb-cares) || { not_ok "refresh failed: $out"; undo; return; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["call"]')" = ares_reinit ] && [ "$(jq_py "$out" 'len(d["data"]["channels"])')" = 2 ] &&
    [ "$(jq_py "$out" 'd["data"]["servers_now"]')" = 127.0.0.1:53 ] || { not_ok "not both channels reinitialised to 127.0.0.1: $out"; undo; return; }
  [ "$(jq_py "$out" 'd["data"]["client_sockets_before"] >= 4 and d["data"]["client_sockets_lost"] == 0')" = true ] ||
    { not_ok "client connections not counted or lost: $out"; undo; return; }
  proved_and_back Node node_resolve node_resolve || return
  held=$(node_hold stop)
  [ "$held" = 4 ] || { not_ok "of 4 keep-alive client connections $held answered again on the same socket"; return; }
  [ "$(lab_exec app1 cat /run/node.pid)" = "$npid" ] && [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$npid/stat")" = "$nstart" ] ||
    { not_ok "the Node service was replaced"; return; }
  # the stall (ares_reinit takes no --servers)
  flip_stall node "$npid" gdb-cares http_stall.py --run-id lab-node-stall
  [ -z "${NODE_STALL_OUT:-}" ] || printf '%s\n' "$out" >>"$NODE_STALL_OUT"
  lab_exec app1 sh "$repo/lab/services/node.sh" stop
  [ "$(jq_py "$out" 'd["dropped"]')" = 0 ] && [ "$(jq_py "$out" 'd["failed_runs"]')" = 0 ] || { not_ok "stall runs failed or dropped connections: $out"; return; }
  ok "Node $(jq_py "$f" 'd["data"]["processes"][0]["runtime"]["version"]') (c-ares $(jq_py "$f" 'd["data"]["processes"][0]["cares"]["version"]')): ares_reinit in its 2 channels; $to_new queries for $n1 to 127.0.0.1 with the old servers banned, none to them; after revert $n2 asked $OLD1; same pid, 4 of 4 keep-alive clients kept ($(jq_py "$refresh_out" 'd["data"]["client_sockets_before"]') counted by the helper); stall over $(jq_py "$out" 'd["runs"]') refreshes min/median/max $(jq_py "$out" '"%s/%s/%s ms" % (d["stall_ms"]["min"], d["stall_ms"]["median"], d["stall_ms"]["max"])'), $(jq_py "$out" 'd["dropped"]') of 6 connections dropped"
}

# http_service SVC PORT METHOD: the lab's test service SVC (lab/services/SVC.sh) on app1 switched
# by the helper: facts pick METHOD; with a local BIND (forwarding to the alternate server, and
# authoritative for probe.test, which the old servers do not know) and the old servers banned,
# the service's next fresh lookup, made through `trigger --via http`, is captured reaching
# 127.0.0.1 and none the old servers; same pid, every client connection kept (counted by the
# refresh). Then STALL_RUNS (default 20) refreshes with keep-alive clients (http_switch.py): the
# stall, the time until its lookups follow resolv.conf, and whether the first lookup after each
# refresh already did. Raw results in $ART/http-SVC.json, and appended to $LAB_RESULTS when set
# (e.g. remote-helper/test/lab/results/http-services-DATE.jsonl).
# shellcheck disable=SC2086,SC2089,SC2090 # $trig is a word list on purpose, its quotes for the remote shell
http_service() {
  svc=$1 port=$2 want=$3 R=lab-$1
  lab_exec app1 sh "$repo/lab/services/$svc.sh" start >/dev/null || { not_ok "$svc service did not start"; return 1; }
  pid=$(lab_exec app1 cat "/run/$svc.pid")
  start=$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$pid/stat")
  f=$(lab_ssh $H facts --pidfile "/run/$svc.pid")
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = "$want" ] || { not_ok "facts do not pick $want: $f"; return 1; }
  # clients holding keep-alive connections through the cutover (counted by refresh)
  lab_exec app1 sh -c "nohup python3 -c '
import http.client, time
cs = [http.client.HTTPConnection(\"127.0.0.1\", $port) for _ in range(5)]
while True:
    for c in cs: c.request(\"GET\", \"/\"); c.getresponse().read()
    time.sleep(0.5)' >/dev/null 2>&1 & echo \$! >/tmp/$svc-clients.pid"
  sleep 1
  lab_exec app1 sh -c "cp -p /etc/bind/named.conf.local /tmp/named.conf.local.orig && printf 'zone \"probe.test\" { type master; file \"/etc/bind/db.probe.test\"; };\n' >/etc/bind/named.conf.local &&
    printf '\$TTL 60\n@ IN SOA ns. h. 1 60 60 60 60\n@ IN NS ns.\n* IN A 127.0.0.9\n' >/etc/bind/db.probe.test"
  name=fresh-$R-$$.lab.test
  trig="$H trigger --run $R --via http --url 'http://127.0.0.1:$port/resolve?name={name}' --name $name --timeout 5 --until-captured dns"
  options_for "$ALT" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$PROBE_HOST" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null &&
    refresh=$(lab_ssh $H refresh --run $R "$pid" "$want") &&
    lab_ssh $H capture-start --run $R >/dev/null && lab_ssh $H fw-ban --run $R "$OLD1" "$OLD2" >/dev/null &&
    t0=$(date +%s%N) && trig_out=$(lab_ssh $trig) && t1=$(date +%s%N) &&
    out=$(lab_ssh $H capture-verify --run $R --qname "$name" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2" --stop) &&
    lab_ssh $H fw-unban --run $R >/dev/null ||
    { not_ok "$svc: not proved: refresh ${refresh:-} trigger ${trig_out:-} verify ${out:-}"; lab_ssh $H revert $R >/dev/null 2>&1; http_service_end; return 1; }
  [ "$(jq_py "$refresh" 'd["data"]["client_sockets_lost"]')" = 0 ] && [ "$(jq_py "$refresh" 'd["data"]["client_sockets_before"] >= 5')" = true ] ||
    { not_ok "$svc: client connections not kept (or not counted): $refresh"; lab_ssh $H revert $R >/dev/null 2>&1; http_service_end; return 1; }
  [ "$(jq_py "$trig_out" 'd["data"]["http_status"]')" = 502 ] || { not_ok "$svc: the trigger's name did not fail to resolve: $trig_out"; lab_ssh $H revert $R >/dev/null 2>&1; http_service_end; return 1; }
  HS_PROOF="$svc pid $pid ($want, waited $(jq_py "$refresh" 'd["data"].get("waited_ms", 0)') ms): its lookup of $name reached 127.0.0.1 $(jq_py "$out" 'd["data"]["queries_to_expected"]') times, the banned servers never (trigger $(( (t1 - t0) / 1000000 )) ms); $(jq_py "$refresh" 'd["data"]["client_sockets_before"]') client connections kept"
  stall=$(lab_exec app1 python3 "$here/lab/http_switch.py" --helper "sh $H" --pid "$pid" --port "$port" --method "$want" \
    --old "$OLD1,$OLD2" --zone probe.test --runs "${STALL_RUNS:-20}")
  printf '%s\n' "$stall" >"$ART/http-$svc.json"
  [ -z "${LAB_RESULTS:-}" ] || printf '{"service":"%s","result":%s}\n' "$svc" "$stall" >>"$LAB_RESULTS"
  lab_ssh $H revert $R >/dev/null || { not_ok "$svc: revert failed"; http_service_end; return 1; }
  [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$pid/stat")" = "$start" ] || { not_ok "$svc: the service was restarted"; http_service_end; return 1; }
  [ "$(jq_py "$stall" 'd["dropped"]')" = 0 ] && [ "$(jq_py "$stall" 'd["failed_runs"]')" = 0 ] && [ "$(jq_py "$stall" 'd["pid_kept"]')" = true ] ||
    { not_ok "$svc: refresh runs failed or connections dropped: $stall"; http_service_end; return 1; }
  [ "$(jq_py "$stall" 'd["not_switched_after_refresh"]')" = 0 ] || { not_ok "$svc: a lookup right after the refresh still used the old resolv.conf: $stall"; http_service_end; return 1; }
  HS_STALL=$(jq_py "$stall" '"%d runs: stall min/median/max %.1f/%.1f/%.1f ms (a request outside the refreshes: median %.1f, max %.1f ms), lookups followed resolv.conf after %.1f/%.1f/%.1f ms, %d connections kept" % (d["runs"], d["stall_ms"]["min"], d["stall_ms"]["median"], d["stall_ms"]["max"], d["baseline_ms"]["median"], d["baseline_ms"]["max"], d["switch_ms"]["min"], d["switch_ms"]["median"], d["switch_ms"]["max"], d["connections"])')
  http_service_end
}
http_service_end() {
  lab_exec app1 sh -c "kill \$(cat /tmp/$svc-clients.pid); cp -p /tmp/named.conf.local.orig /etc/bind/named.conf.local; rm -f /etc/bind/db.probe.test" 2>/dev/null
  lab_exec app1 sh "$repo/lab/services/$svc.sh" stop
}

# The lab's C service on c-ares 1.18.1 (lab/services/cares-app.sh: one channel, a layout cutover does
# not know): facts pick gdb-cares-break; a URL that makes it resolve nothing is refused within the
# bound, nothing called, the service alive and resolving; the refresh catches its channel by a
# breakpoint while it GETs /resolve, sets 127.0.0.1 on it and reads it back; with the old servers
# banned its next fresh lookup (trigger --via http) reaches 127.0.0.1 and none the old servers; revert
# sets the old servers back on that channel and its next lookup asks them again; same pid, its 4
# keep-alive client connections kept (counted by the helper and by the client); then the stall across
# STALL_RUNS (20) refreshes (http_stall.py), raw results appended to $LAB_RESULTS when set.
# shellcheck disable=SC2086 # $H and friends are word lists on purpose
test_cares() {
  R=lab-cares R2=lab-cares2 n1="cares-$$-1.lab.test" n2="cares-$$-2.lab.test" url='http://127.0.0.1:8085/resolve?name={name}'
  service_up cares-app 8085 || return
  cpid=$SPID cstart=$SSTART
  undo() { node_hold stop >/dev/null; lab_ssh $H fw-unban --run $R >/dev/null 2>&1; lab_ssh $H revert $R >/dev/null 2>&1; lab_exec app1 sh "$repo/lab/services/cares-app.sh" stop; }
  f=$(lab_ssh $H facts --pidfile /run/cares-app.pid)
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = gdb-cares-break ] || { not_ok "auto would not pick gdb-cares-break: $f"; undo; return; }
  out=$(lab_ssh $H refresh --run lab-cares-nohit "$cpid" gdb-cares-break --find-url "'http://127.0.0.1:8085/nothing?name={name}'"); rc=$?
  [ $rc = 3 ] && case $out in *"made no c-ares lookup within 2 s"*) true ;; *) false ;; esac &&
    [ "$(lab_exec app1 curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:8085/resolve?name=app1-web.lab.test')" = 200 ] ||
    { not_ok "a URL that makes no lookup was not refused within the bound (exit $rc), or the service stopped resolving: $out"; undo; return; }
  nohit=$out
  options_for "$OLD1" "$OLD2" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$PROBE_HOST" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null || { not_ok "BIND or resolv.conf could not be set up"; undo; return; }
  out=$(lab_ssh $H refresh --run $R "$cpid" gdb-cares-break --find-url "'$url'") || { not_ok "refresh failed: $out"; undo; return; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["call"]')" = ares_set_servers_csv ] && [ "$(jq_py "$out" 'd["data"]["servers_now"]')" = 127.0.0.1 ] &&
    [ "$(jq_py "$out" 'd["data"]["servers_before"]')" = "$OLD1,$OLD2" ] ||
    { not_ok "the channel's servers were not read as the old ones and set to 127.0.0.1: $out"; undo; return; }
  [ "$(jq_py "$out" 'd["data"]["client_sockets_before"] >= 4 and d["data"]["client_sockets_lost"] == 0')" = true ] ||
    { not_ok "client connections not counted or lost: $out"; undo; return; }
  proved_and_back "the c-ares service" cares_trigger cares_resolve || return
  held=$(node_hold stop 8085)
  [ "$held" = 4 ] || { not_ok "of 4 keep-alive client connections $held answered again on the same socket"; lab_exec app1 sh "$repo/lab/services/cares-app.sh" stop; return; }
  [ "$(lab_exec app1 cat /run/cares-app.pid)" = "$cpid" ] && [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$cpid/stat")" = "$cstart" ] ||
    { not_ok "the c-ares service was replaced"; return; }
  # the stall: resolv.conf alternates the old servers' order between runs (outside the measured
  # window), or a refresh to what the channel has would be skipped
  lab_exec app1 cp /etc/resolv.conf /tmp/resolv.cares-test
  flip="if [ \$(( {i} % 2 )) = 1 ]; then printf 'nameserver $OLD2\\nnameserver $OLD1\\n'; else printf 'nameserver $OLD1\\nnameserver $OLD2\\n'; fi >/etc/resolv.conf"
  out=$(lab_exec app1 /usr/bin/python3 "$here/lab/http_stall.py" --helper "sh $H" --pid "$cpid" --port 8085 --method "gdb-cares-break --find-url '$url'" \
    --runs "${STALL_RUNS:-20}" --run-id lab-cares-stall --before "$flip")
  lab_exec app1 sh -c 'cat /tmp/resolv.cares-test >/etc/resolv.conf'
  printf '%s\n' "$out" >"$ART/cares-stall.json"
  [ -z "${LAB_RESULTS:-}" ] || printf '{"service":"cares-app","result":%s}\n' "$out" >>"$LAB_RESULTS"
  lab_exec app1 sh "$repo/lab/services/cares-app.sh" stop
  [ "$(jq_py "$out" 'd["dropped"]')" = 0 ] && [ "$(jq_py "$out" 'd["failed_runs"]')" = 0 ] || { not_ok "stall runs failed or dropped connections: $out"; return; }
  ok "c-ares $(jq_py "$f" 'd["data"]["processes"][0]["resolver"]["cares"]') in a C service: a URL making no lookup refused after $(jq_py "$nohit" 'd.get("data", {}).get("find_gdb_ms", "?")' 2>/dev/null) ms, the service resolving on; the channel caught at $(jq_py "$refresh_out" 'd["data"]["find_entry"]') (find $(jq_py "$refresh_out" 'd["data"]["find_gdb_ms"]') ms, call $(jq_py "$refresh_out" 'd["data"]["gdb_ms"]') ms), $OLD1,$OLD2 -> 127.0.0.1 read back; $to_new queries for $n1 to 127.0.0.1 with the old servers banned, none to them; after revert $n2 asked $OLD1; same pid, 4 of 4 keep-alive clients kept ($(jq_py "$refresh_out" 'd["data"]["client_sockets_before"]') counted by the helper); stall over $(jq_py "$out" 'd["runs"]') refreshes min/median/max $(jq_py "$out" '"%s/%s/%s ms" % (d["stall_ms"]["min"], d["stall_ms"]["median"], d["stall_ms"]["max"])') (call attach median $(jq_py "$out" 'd["gdb_ms"]["median"]') ms), $(jq_py "$out" 'd["dropped"]') of 6 connections dropped"
}

# gdb-cares-break on c-ares >= 1.22 (ares_reinit): Node 20's bundled c-ares, its channel caught by
# the breakpoint (at ares_query_dnsrec) although gdb-cares would find it without one; the channel
# its dns.resolve4 uses is proved on 127.0.0.1 with the old servers banned and back after revert;
# same pid, 4 keep-alive clients kept. (Its second channel, a dns.Resolver's, is not switched: the
# method's one-channel limit.)
# shellcheck disable=SC2086 # $H and friends are word lists on purpose
test_cares_reinit() {
  R=lab-caresr R2=lab-caresr2 n1="caresr-$$-1.lab.test" n2="caresr-$$-2.lab.test"
  service_up node 8084 || return
  npid=$SPID nstart=$SSTART
  undo() { node_hold stop >/dev/null; lab_ssh $H fw-unban --run $R >/dev/null 2>&1; lab_ssh $H revert $R >/dev/null 2>&1; lab_exec app1 sh "$repo/lab/services/node.sh" stop; }
  options_for "$OLD1" "$OLD2" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$PROBE_HOST" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null || { not_ok "BIND or resolv.conf could not be set up"; undo; return; }
  out=$(lab_ssh $H refresh --run $R "$npid" gdb-cares-break --find-url "'http://127.0.0.1:8084/resolve?name={name}'") || { not_ok "refresh failed: $out"; undo; return; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["call"]')" = ares_reinit ] && [ "$(jq_py "$out" 'd["data"]["find_entry"]')" = ares_query_dnsrec ] &&
    [ "$(jq_py "$out" 'd["data"]["servers_now"]')" = 127.0.0.1:53 ] && [ "$(jq_py "$out" 'd["data"]["servers_before"]')" = "$OLD1,$OLD2" ] ||
    { not_ok "the channel was not caught at ares_query_dnsrec and reinitialised to 127.0.0.1: $out"; undo; return; }
  proved_and_back "Node (found by a breakpoint)" node_resolve node_resolve || return
  held=$(node_hold stop)
  same=$( [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$npid/stat")" = "$nstart" ] && echo true)
  lab_exec app1 sh "$repo/lab/services/node.sh" stop
  [ "$held" = 4 ] || { not_ok "of 4 keep-alive client connections $held answered again on the same socket"; return; }
  [ "$same" = true ] || { not_ok "the Node service was replaced"; return; }
  [ "$(jq_py "$refresh_out" 'd["data"]["client_sockets_before"] >= 4 and d["data"]["client_sockets_lost"] == 0')" = true ] ||
    { not_ok "client connections not counted or lost: $refresh_out"; return; }
  ok "Node's bundled c-ares (>= 1.22): $(jq_py "$refresh_out" 'd["data"]["servers_before"]') -> 127.0.0.1:53 by ares_reinit on the channel caught at ares_query_dnsrec (find $(jq_py "$refresh_out" 'd["data"]["find_gdb_ms"]') ms, call $(jq_py "$refresh_out" 'd["data"]["gdb_ms"]') ms); $to_new queries for $n1 to 127.0.0.1 with the old servers banned, none to them; after revert $n2 asked $OLD1; same pid and start time, 4 of 4 keep-alive clients kept"
}

test_go() {
  http_service go 8082 go-wait && ok "$HS_PROOF; $HS_STALL"
}

test_jvm() {
  http_service java 8083 none && ok "$HS_PROOF; $HS_STALL"
}

# proxy_case SVC MODE METHOD: nginx or HAProxy (lab/services/SVC.sh, configuration MODE: load or
# resolver) switched on app1 by refresh METHOD with keep-alive clients held through it: same master
# pid, its clients counted (master and workers); with the old servers banned the capture sees its
# lookups reach 127.0.0.1 and none go to the old servers; revert restores its configuration byte
# for byte, and its lookups go to the old servers again. Sets PX_OK.
# shellcheck disable=SC2086 # $trig is a word list on purpose
proxy_case() {
  svc=$1 mode=$2 method=$3 R=lab-$1-$2 R2=lab-$1-$2-back PX_OK=
  case $svc in nginx) port=8080 conf=/etc/nginx/nginx.conf ;; *) port=8081 conf=/etc/haproxy/haproxy.cfg ;; esac
  lab_exec app1 sh "$repo/lab/services/$svc.sh" start "$mode" >/dev/null || { not_ok "$svc ($mode) did not start"; return 1; }
  pid=$(lab_exec app1 cat "/run/$svc.pid")
  start=$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$pid/stat")
  before_conf=$(lab_exec app1 sha256sum "$conf")
  backend=app1-web.lab.test
  [ "$svc" = nginx ] || backend=app1-hap.lab.test
  stop() { lab_exec app1 sh "$repo/lab/services/$svc.sh" stop; [ -z "${held:-}" ] || lab_exec app1 kill "$held" 2>/dev/null; held=; }
  undo() { lab_ssh $H fw-unban --run "$1" >/dev/null 2>&1; lab_ssh $H revert "$1" >/dev/null 2>&1; stop; }
  f=$(lab_ssh $H facts --pidfile "/run/$svc.pid")
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = "$method" ] || { not_ok "$svc ($mode): auto would not pick $method: $f"; stop; return 1; }
  case $mode in
    load) trig="$H trigger --run RUN --via reload --pid $pid" qname=$backend ;;
    resolver) if [ "$svc" = nginx ]; then
        # a name nginx resolves per request, with its own resolver (proxy_pass with a variable)
        trig="curl -s -o /dev/null -w %{http_code} --max-time 5 http://127.0.0.1:$port/resolve?name=nx-RUN.lab.test" qname=nx-RUN.lab.test
      else trig="sleep 2.5" qname=$backend; fi ;; # HAProxy's resolvers ask every second (hold valid 1s)
  esac
  # clients holding keep-alive connections through the refresh
  lab_exec app1 sh -c "nohup /usr/bin/python3 -c '
import socket, time
cs = [socket.create_connection((\"127.0.0.1\", $port)) for _ in range(3)]
for c in cs: c.sendall(b\"GET / HTTP/1.1\\r\\nHost: lab\\r\\n\\r\\n\"); c.recv(4096)
time.sleep(60)' >/dev/null 2>&1 & echo \$! >/tmp/px-held.pid"
  held=$(lab_exec app1 cat /tmp/px-held.pid)
  sleep 0.5
  options_for "$ALT" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$backend" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null || { not_ok "$svc ($mode): the local BIND could not be set up"; undo $R; return 1; }
  out=$(lab_ssh $H refresh --run $R "$pid" "$method") || { not_ok "$svc ($mode): refresh $method failed: $out"; undo $R; return 1; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["same_process"]')" = true ] && [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$pid/stat")" = "$start" ] ||
    { not_ok "$svc ($mode): the master did not keep its pid: $out"; undo $R; return 1; }
  [ "$(jq_py "$out" 'd["data"]["client_sockets_before"] >= 3')" = true ] || { not_ok "$svc ($mode): the 3 held clients were not counted: $out"; undo $R; return 1; }
  t=$(printf '%s' "$trig" | sed "s/RUN/$R/g") q=$(printf '%s' "$qname" | sed "s/RUN/$R/g")
  lab_ssh $H capture-start --run $R >/dev/null && lab_ssh $H fw-ban --run $R "$OLD1" "$OLD2" >/dev/null &&
    lab_ssh $t >/dev/null &&
    out=$(lab_ssh $H capture-verify --run $R --qname "$q" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2") ||
    { not_ok "$svc ($mode): its lookup of $q was not proved to reach 127.0.0.1 with the old servers banned: $out"; undo $R; return 1; }
  proof=$(jq_py "$out" 'd["data"]["queries_to_expected"]') proof_q=$q
  lab_ssh $H fw-unban --run $R >/dev/null && out=$(lab_ssh $H revert $R) || { not_ok "$svc ($mode): revert failed: $out"; undo $R; return 1; }
  [ "$(lab_exec app1 sha256sum "$conf")" = "$before_conf" ] || { not_ok "$svc ($mode): $conf not restored byte for byte"; stop; return 1; }
  # after the revert (its reload for proxy-resolver) the daemon asks the old servers again
  t=$(printf '%s' "$trig" | sed "s/RUN/$R2/g") q=$(printf '%s' "$qname" | sed "s/RUN/$R2/g")
  [ "$mode" = resolver ] || t="$H trigger --via reload --pid $pid"
  lab_ssh $H capture-start --run $R2 >/dev/null && lab_ssh $t >/dev/null &&
    out=$(lab_ssh $H capture-verify --run $R2 --qname "$q" --expect "$OLD1" --forbid 127.0.0.1 --stop) ||
    { not_ok "$svc ($mode): after revert it does not ask $OLD1 again: $out"; undo $R2; return 1; }
  lab_ssh $H revert $R2 >/dev/null
  [ "$(lab_exec app1 cat "/run/$svc.pid")" = "$pid" ] || { not_ok "$svc ($mode): the master was replaced"; stop; return 1; }
  PX_OK="$mode: $method kept pid $pid, $(jq_py "$refresh_out" 'd["data"]["client_sockets_before"]') clients counted ($(jq_py "$refresh_out" 'd["data"]["client_sockets_lost"]') closed by the old workers), $proof lookups of $proof_q to 127.0.0.1, none to the old servers, config restored byte for byte, the old servers asked again"
  stop
}
test_nginx() {
  proxy_case nginx load proxy-reload || return; a=$PX_OK
  proxy_case nginx resolver proxy-resolver || return
  ok "$a; $PX_OK"
}
test_haproxy() {
  proxy_case haproxy load proxy-reload || return; a=$PX_OK
  proxy_case haproxy resolver proxy-resolver || return
  ok "$a; $PX_OK"
}

# pg_hold PORT start|stop: 4 client sessions through the pgbouncer on PORT (one inside an open
# transaction), held from start to stop; stop prints how many answer again with the same server
# backend (the transaction one still in its transaction)
pg_hold() {
  [ "$2" = stop ] && { hold pg-hold stop; return; }
  hold pg-hold start "
from pgwire import PgSession
cs = [PgSession(\"127.0.0.1\", $1, \"$(var pgbouncer_app_db)\", \"$(var pgbouncer_probe_user)\", \"$(var pgbouncer_probe_password)\") for _ in range(4)]
cs[0].query(\"BEGIN\")
pids = [int(c.query(\"SELECT pg_backend_pid()\")[0][0][0]) for c in cs]
def kept(i, c):
    rows, st = c.query(\"SELECT pg_backend_pid()\")
    return int(rows[0][0]) == pids[i] and st == (b\"T\" if i == 0 else b\"I\")" "kept(i, c)"
}

# A pgbouncer built with evdns (lab/services/pgbouncer-evdns.sh, port 6433) next to Debian's:
# facts pick gdb-evdns; with a local BIND and resolv.conf pointing at it, gdb-evdns makes its
# evdns parse resolv.conf again (servers read back: 127.0.0.1); with the old servers banned its
# next fresh lookup (the probe database's unresolvable host, `trigger --port 6433 --fresh`) is
# captured reaching 127.0.0.1 and none the old servers; revert parses the restored file again and
# its next lookup asks the old servers; same pid, 4 client sessions kept (one in a transaction),
# counted by the helper too. Then the stall over STALL_RUNS (20) refreshes (stall.py, resolv.conf
# alternating the old servers' order between runs: gdb-evdns takes no --servers).
# shellcheck disable=SC2086 # $trig and $H are word lists on purpose
test_evdns() {
  R=lab-evdns R2=lab-evdns2
  sh "$repo/lab/services/pgbouncer-evdns.sh" fetch && lab_exec app1 sh "$repo/lab/services/pgbouncer-evdns.sh" start >/dev/null ||
    { not_ok "the evdns pgbouncer could not be built or started"; return; }
  epid=$(lab_exec app1 cat /run/pgbouncer-evdns.pid)
  estart=$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$epid/stat")
  pg_hold 6433 start || { not_ok "the client sessions through the evdns pgbouncer could not be opened"; return; }
  undo() { pg_hold 6433 stop >/dev/null; lab_ssh $H fw-unban --run $R >/dev/null 2>&1; lab_ssh $H revert $R >/dev/null 2>&1; }
  f=$(lab_ssh $H facts --pidfile /run/pgbouncer-evdns.pid)
  [ "$(jq_py "$f" 'd["data"]["processes"][0]["adns"]')" = evdns2 ] && [ "$(jq_py "$f" 'd["data"]["processes"][0]["refresh_method"]')" = gdb-evdns ] ||
    { not_ok "auto would not pick gdb-evdns for the evdns pgbouncer: $f"; undo; return; }
  pw=$(printf '%s\n%s\n' "$(var pgbouncer_probe_password)" "$(var pgbouncer_admin_password)")
  trig="--port 6433 --db $(var pgbouncer_probe_db) --user $(var pgbouncer_probe_user) --admin-user $(var pgbouncer_admin_user) --password-stdin --fresh --timeout 5 --until-captured dns"
  options_for "$OLD1" "$OLD2" | lab_ssh $H file-install --run $R --step bind-config --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-start --run $R --verify-name "$PROBE_HOST" >/dev/null &&
    echo "nameserver 127.0.0.1" | lab_ssh $H resolv-install --run $R --step resolv >/dev/null || { not_ok "BIND or resolv.conf could not be set up"; undo; return; }
  out=$(lab_ssh $H refresh --run $R "$epid" gdb-evdns) || { not_ok "refresh failed: $out"; undo; return; }
  refresh_out=$out
  [ "$(jq_py "$out" 'd["data"]["servers_now"]')" = 127.0.0.1 ] || { not_ok "evdns does not use 127.0.0.1 after the refresh: $out"; undo; return; }
  [ "$(jq_py "$out" 'd["data"]["client_sockets_before"] >= 4 and d["data"]["client_sockets_lost"] == 0 and d["data"]["same_process"]')" = true ] ||
    { not_ok "client connections not counted or lost, or the process replaced: $out"; undo; return; }
  options_for "$ALT" | lab_ssh $H file-install --run $R --step fwd-alt --target /etc/bind/named.conf.options >/dev/null &&
    lab_ssh $H bind-reload --run $R --flush --verify-name "$PROBE_HOST" >/dev/null &&
    lab_ssh $H capture-start --run $R >/dev/null && lab_ssh $H fw-ban --run $R "$OLD1" "$OLD2" >/dev/null || { not_ok "forwarders, capture or ban failed"; undo; return; }
  printf '%s\n' "$pw" | lab_ssh $H trigger --run $R $trig >/dev/null &&
    out=$(lab_ssh $H capture-verify --run $R --qname "$PROBE_HOST" --expect 127.0.0.1 --forbid "$OLD1" --forbid "$OLD2") ||
    { not_ok "the evdns pgbouncer's lookup was not proved to reach 127.0.0.1 with the old servers banned: $out"; undo; return; }
  to_new=$(jq_py "$out" 'd["data"]["queries_to_expected"]')
  unban_revert $R "the evdns pgbouncer" || { undo; return; }
  lab_ssh $H capture-start --run $R2 >/dev/null && printf '%s\n' "$pw" | lab_ssh $H trigger --run $R2 $trig >/dev/null &&
    out=$(lab_ssh $H capture-verify --run $R2 --qname "$PROBE_HOST" --expect "$OLD1" --forbid 127.0.0.1 --stop) ||
    { not_ok "after revert the evdns pgbouncer does not ask $OLD1 again: $out"; lab_ssh $H revert $R2 >/dev/null 2>&1; pg_hold 6433 stop >/dev/null; return; }
  lab_ssh $H revert $R2 >/dev/null
  held=$(pg_hold 6433 stop)
  [ "$held" = 4 ] || { not_ok "of 4 client sessions $held answered again on the same server backend"; return; }
  [ "$(lab_exec app1 cat /run/pgbouncer-evdns.pid)" = "$epid" ] && [ "$(lab_exec app1 sh -c "cut -d' ' -f22 /proc/$epid/stat")" = "$estart" ] ||
    { not_ok "the evdns pgbouncer was replaced"; return; }
  flip_stall evdns "$epid" gdb-evdns stall.py --method gdb-evdns --port 6433 \
    --db "$(var pgbouncer_app_db)" --user "$(var pgbouncer_probe_user)" --password "$(var pgbouncer_probe_password)"
  [ -z "${EVDNS_STALL_OUT:-}" ] || printf '%s\n' "$out" >>"$EVDNS_STALL_OUT"
  lab_exec app1 sh "$repo/lab/services/pgbouncer-evdns.sh" stop
  [ "$(jq_py "$out" 'd["dropped"]')" = 0 ] && [ "$(jq_py "$out" 'd["failed_runs"]')" = 0 ] || { not_ok "stall runs failed or dropped sessions: $out"; return; }
  ok "pgbouncer $(jq_py "$f" 'd["data"]["processes"][0]["exe"]') (evdns, libevent $(jq_py "$f" 'd["data"]["processes"][0]["resolver"]["libevent"]')): gdb-evdns parsed 127.0.0.1 into its evdns_base (gdb $(jq_py "$refresh_out" 'd["data"]["gdb_ms"]') ms); $to_new queries for $PROBE_HOST to 127.0.0.1 with the old servers banned, none to them; after revert it asked $OLD1; same pid, 4 of 4 client sessions kept ($(jq_py "$refresh_out" 'd["data"]["client_sockets_before"]') counted by the helper); stall over $(jq_py "$out" 'd["runs"]') refreshes min/median/max $(jq_py "$out" '"%s/%s/%s ms" % (d["stall_ms"]["min"], d["stall_ms"]["median"], d["stall_ms"]["max"])'), $(jq_py "$out" 'd["dropped"]') sessions dropped"
}

tests=${*:-facts cutover sessions firewall guard glibc lock node versions go jvm nginx haproxy cares cares_reinit evdns}
start_lab
for t in $tests; do current=$t; "test_$t"; done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
