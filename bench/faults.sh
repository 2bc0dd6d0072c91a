#!/usr/bin/env bash
# The fault suite (issue 9): injects faults into real rollouts on a lab fleet and checks, after each,
# the final state of every host (resolv.conf, named.conf.options, nft/iptables, named running or not,
# the helper's state: no guard armed, no lock left, nothing half-applied) and the run's journal.
# Then runs the bad/hostile input unit tests (no SSH) and counts their cases.
#
#   bench/faults.sh            # every fault: SIGKILL at every step boundary and in every step, …
#   bench/faults.sh --quick    # a subset of the kill points (every 3rd), every other fault; ≤ 8 min
#
# Root (the lab needs namespaces). Under CI=true a lab that cannot start fails the suite. The lab
# instance is FAULTS_LAB (default flt); it is torn down on exit, success or not. Logs of each case:
# FAULTS_KEEP=1 keeps the work directory. The LAST line printed is the scoreboard:
#   faults N, hosts checked N, inputs tried N, stack traces N, inconsistent hosts N
# Exit 0 only when every case passed, no host was left inconsistent and no stack trace was seen.
# Commands in single quotes run inside lab hosts, where they expand (SC2016); cleanup runs from a
# trap (SC2317).
# shellcheck disable=SC2016,SC2317
true
# The whole script is one { } block, read before it runs (an edit during a run cannot corrupt it).
{
set -u -o pipefail

top=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$top" || exit 2

quick=false
skip_unit=false
only=""
for arg in "$@"; do
    case $arg in
        --quick) quick=true ;;
        --no-unit) skip_unit=true ;;
        --only=*) only=${arg#--only=} ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "faults.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

LAB=${FAULTS_LAB:-flt}
HOSTS=(app1 app2 app3)
PLAYBOOK=playbooks/local-caching-bind.yml
work=$(mktemp -d /tmp/faults.XXXXXX)
chmod 700 "$work"
started=$(date +%s)

faults=0 checked=0 inputs=0 traces=0 inconsistent=0 cases_failed=0
PGB_KILLED=""
failures=""

lab() { CUTOVER_LAB=$LAB bash "$top/lab/lab.sh" "$@"; }
# bin/cutover's JVM options, on the suite's own copy of the jar ("${CUT[@]}" ... & -> $! is the JVM)
CUT=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -jar "$work/cutover.jar")
# Usage: hx HOST SHELL-COMMAND  -> runs it inside a lab host (nsenter, no SSH)
hx() { lab exec "$1" sh -c "$2"; }

cleanup() {
    [ -n "${monitor_pid:-}" ] && kill "$monitor_pid" 2>/dev/null
    lab down >/dev/null 2>&1
    if [ "${FAULTS_KEEP:-0}" = 1 ] || [ "$cases_failed" -gt 0 ]; then
        echo "faults.sh: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
log() { printf '  %s\n' "$*"; }

# ---- the lab -------------------------------------------------------------------------------------

fresh_lab() {
    lab down >/dev/null 2>&1
    if ! lab up --hosts 3 >"$work/lab-up.log" 2>&1; then
        cat "$work/lab-up.log" >&2
        if [ "$(id -u)" != 0 ] && [ "${CI:-}" != true ]; then
            echo "faults.sh: skipped — the lab needs root and network namespaces (CI=true makes this a failure)" >&2
            trap - EXIT; lab down >/dev/null 2>&1; rm -rf "$work"; exit 0
        fi
        echo "faults.sh: the lab did not start" >&2
        exit 1
    fi
    INV=$top/lab/run/$LAB/inventory.yml
    SUBNET=$(sed -n 's/^ *lab_subnet: \([0-9.]*\)\.0\/24/\1/p' "$INV")
}

# The lab's pgbouncer admin console, from inside a lab host
PGB_ADMIN='PGPASSWORD=pgbadmin-lab-pw psql -X -h 127.0.0.1 -p 6432 -U pgbadmin -d pgbouncer -At'

# The state a case must leave; the pgbouncer section (its process, not restarted, and the two
# settings the trigger changes for a moment) is last, see pgbouncer_section.
snapshot() {
    hx "$1" 'for f in /etc/resolv.conf /etc/bind/named.conf.options /etc/bind/named.conf; do echo "== $f"; cat "$f"; done
             echo "== nft"; nft list ruleset; echo "== iptables"; iptables-save | grep -v "^#"
             echo "== named"; pidof named >/dev/null && echo running || echo stopped
             echo "== pgbouncer"; pid=$(cat /var/run/postgresql/pgbouncer.pid 2>/dev/null)
             if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
                 echo "pid $pid started $(cut -d" " -f22 "/proc/$pid/stat")"
                 '"$PGB_ADMIN"' -c "SHOW CONFIG" | grep -E "^(dns_nxdomain_ttl|server_login_retry)\|"
             else echo "not running"; fi'
}
pgbouncer_section() { sed -n '/^== pgbouncer$/,$p'; }

# Usage: pgbouncer_asks HOST -> ASKS: where pgbouncer in HOST sends its lookups now, as tcpdump's lines
#   for the name of the lab's resolvercheck database, which only a client connecting to it makes anyone
#   look up: our own capture, independent of cutover's trigger and proof. As the trigger does, it sets
#   server_login_retry and dns_nxdomain_ttl to 0 for the probe (a pool whose login failed waits that
#   long before it looks up again) and waits out a cached answer; both are put back afterwards. A
#   tcpdump hidden by a case is found at /run/real-tcpdump.
pgbouncer_asks() {
    ASKS=$(hx "$1" 'A="psql -X -h 127.0.0.1 -p 6432 -U pgbadmin -d pgbouncer -At"; export PGPASSWORD=pgbadmin-lab-pw
        setting() { $A -c "SHOW CONFIG" | awk -F"|" -v k="$1" "\$1 == k { print \$2 }"; }
        retry=$(setting server_login_retry); nx=$(setting dns_nxdomain_ttl)
        $A -c "SET server_login_retry = 0" >/dev/null; $A -c "SET dns_nxdomain_ttl = 0" >/dev/null
        ttl=$($A -c "SHOW DNS_HOSTS" | awk -F"|" "\$1 == \"xaxa-check.lab.test\" { print \$2 }")
        [ "${ttl:-0}" -gt 0 ] && sleep $((ttl + 1))
        cap=/tmp/faults-resolver.cap; rm -f $cap; td=tcpdump; [ -x /run/real-tcpdump ] && td=/run/real-tcpdump
        timeout 30 $td -n -l -i any udp port 53 >$cap 2>/dev/null & t=$!
        for i in $(seq 100); do dig +time=1 +tries=1 @127.0.0.1 faults-ready.lab.test >/dev/null 2>&1
            grep -q faults-ready $cap && break; sleep 0.05; done
        PGPASSWORD=app-lab-pw timeout 4 psql -X -h 127.0.0.1 -p 6432 -U app -d resolvercheck -Atc "select 1" >/dev/null 2>&1 & c=$!
        for i in $(seq 60); do grep -q xaxa-check $cap && break; sleep 0.05; done
        sleep 0.2; kill $c $t; { wait $c $t; } 2>/dev/null
        $A -c "SET server_login_retry = $retry" >/dev/null; $A -c "SET dns_nxdomain_ttl = $nx" >/dev/null
        grep xaxa-check $cap; rm -f $cap')
}

# ---- running cutover -----------------------------------------------------------------------------

# Usage: cutover_run NAME ARGS...  -> runs cutover with stdout in $work/NAME.out, stderr in NAME.err; sets rc
cutover_run() {
    local name=$1
    shift
    "${CUT[@]}" "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
    count_traces "$work/$name.out" "$work/$name.err"
}

count_traces() {
    local f n
    for f in "$@"; do
        n=$(grep -c -E $'\tat |Exception|^\\s+at [a-z]' "$f" 2>/dev/null)
        if [ "${n:-0}" -gt 0 ]; then
            traces=$((traces + n))
            note "stack trace in $f: $(grep -m1 -E $'\tat |Exception' "$f")"
        fi
    done
}

# Usage: wait_for_step FILE HOST STEP SECONDS  -> the JSON events in FILE show HOST starting the step
# named STEP: by name, not number (a step added to the playbook would move every kill point)
wait_for_step() {
    local tries=$(( $4 * 50 ))
    while [ "$tries" -gt 0 ]; do
        grep -F '"event":"step-started"' "$1" 2>/dev/null | grep -F "\"host\":\"$2\"" | grep -qF "\"name\":\"$3\"" && return 0
        sleep 0.02
        tries=$((tries - 1))
    done
    return 1
}

run_id() { jq -r 'select(.event=="run-started") | .run_id' "$1" 2>/dev/null | head -1; }

# ---- checks --------------------------------------------------------------------------------------

case_ok=true
note() {
    case_ok=false
    log "FAIL: $*"
}

# Usage: check_host HOST WANT RUNS RUN STATUS-REGEX
#   WANT changed: resolv.conf -> 127.0.0.1 only, forwarders = the old servers, named running;
#   WANT pristine: byte-identical to the host before the case (files, rulesets, named stopped).
#   Always: no cutover table/chain in nft or iptables, the helper's guard not armed, no lock,
#   every undo record of a pristine host undone; the journal's status of the host matches; and,
#   unless the case killed it (PGB_KILLED=HOST), pgbouncer is the same process as before with the
#   same settings, and asks 127.0.0.1 (changed) or only the old servers (pristine) when it looks up.
check_host() {
    local host=$1 want=$2 runs=$3 run=$4 status_re=$5 ok=true snap state status
    checked=$((checked + 1))
    snap=$(snapshot "$host")
    if [ "$host" != "$PGB_KILLED" ]; then
        local asks
        pgbouncer_asks "$host"
        asks=$ASKS
        case $want in
            changed) grep -qE '> 127\.0\.0\.1\.53: .*xaxa-check' <<<"$asks" ||
                { ok=false; log "$host: pgbouncer does not ask 127.0.0.1 (its lookups: $(tr '\n' ' ' <<<"$asks" | cut -c1-300))"; } ;;
            pristine) if grep -qE '> 127\.0\.0\.1\.53: .*xaxa-check' <<<"$asks" ||
                    ! grep -qE "> $SUBNET\.1[12]\.53: .*xaxa-check" <<<"$asks"; then
                ok=false; log "$host: pgbouncer does not ask the old servers only (its lookups: $(tr '\n' ' ' <<<"$asks" | cut -c1-300))"
            fi ;;
        esac
        # the same process as before the case (never restarted, never died), its settings as they were
        if [ "$(pgbouncer_section <"$work/base.$host")" != "$(pgbouncer_section <<<"$snap")" ]; then
            ok=false; log "$host: pgbouncer is not as before: $(pgbouncer_section <<<"$snap" | tr '\n' ' ')"
        fi
    fi
    case $want in
        changed)
            if ! grep -q '^nameserver 127.0.0.1$' <<<"$snap" || grep -q "^nameserver $SUBNET\." <<<"$snap"; then
                ok=false; log "$host: resolv.conf does not point at 127.0.0.1 only"
            fi
            if ! grep -q "$SUBNET\.11;" <<<"$snap" || grep -q "$SUBNET\.13;" <<<"$snap"; then
                ok=false; log "$host: named.conf.options forwarders are not the old servers"
            fi
            grep -qx running <<<"$snap" || { ok=false; log "$host: named is not running"; } ;;
        pristine)
            # (pgbouncer compared above, or not at all where the case killed it)
            if ! diff <(sed '/^== pgbouncer$/,$d' "$work/base.$host") <(sed '/^== pgbouncer$/,$d' <<<"$snap") \
                >"$work/diff.$host" 2>&1; then
                ok=false; log "$host: not as before the case: $(head -c 600 "$work/diff.$host" | tr '\n' ' ')"
            fi ;;
    esac
    if grep -qi cutover <<<"$(sed -n '/^== nft/,/^== named/p' <<<"$snap")"; then
        ok=false; log "$host: a cutover firewall rule is left"
    fi
    if [ -n "$run" ] && hx "$host" 'test -f /var/lib/cutover/bin/cutover-helper' 2>/dev/null; then
        state=$(hx "$host" "sh /var/lib/cutover/bin/cutover-helper state '$run'" 2>/dev/null)
        if [ "$(jq -r '.data.guard.status // "none"' <<<"$state")" = armed ]; then
            ok=false; log "$host: the guard is still armed"
        fi
        if [ "$(jq -r '.data.lock // "null"' <<<"$state")" != null ]; then
            ok=false; log "$host: the host lock is still held: $(jq -c .data.lock <<<"$state")"
        fi
        if [ "$want" = pristine ] && [ "$(jq '[.data.records[]? | select(.applied == true and .undo_result == null)] | length' <<<"$state")" != 0 ]; then
            ok=false; log "$host: undo records not undone: $(jq -c '[.data.records[] | select(.undo_result == null) | .step]' <<<"$state")"
        fi
        # no step's effect stands twice: at most one live (not undone) record per step
        local dup
        dup=$(jq -r '[.data.records[]? | select(.applied == true and .undo_result == null) | .step] | group_by(.) | map(select(length > 1 and .[0] != "reload-alternate" and .[0] != "reload-restore")) | map(.[0]) | join(",")' <<<"$state")
        if [ -n "$dup" ]; then
            ok=false; log "$host: steps applied twice: $dup"
        fi
    fi
    if [ -n "$run" ]; then
        # one `status` per run and state of its journal (a JVM start is not free on a busy machine)
        local cache
        cache="$work/status.$run.$(stat -c %s "$runs/$run/journal.jsonl" 2>/dev/null)"
        [ -s "$cache" ] || "${CUT[@]}" status "$run" --runs-dir "$runs" -o json >"$cache" 2>>"$work/status.err"
        status=$(jq -r --arg h "$host" '.hosts[] | select(.host == $h) | .status' "$cache")
        if ! grep -qxE "$status_re" <<<"$status"; then
            ok=false; log "$host: journal status '$status', expected /$status_re/"
        fi
    fi
    if [ "$ok" = false ]; then
        inconsistent=$((inconsistent + 1))
        case_ok=false
    fi
}

# The peak count, while a run goes on, of things a step must never leave twice on app1: cutover
# nft tables, ban rules, named daemons (a named whose parent is named is the same daemon starting up:
# it forks), tcpdump processes.
start_monitor() {
    : >"$work/monitor"
    (
        while :; do
            hx app1 'printf "%s %s %s %s\n" "$(nft list tables 2>/dev/null | grep -c cutover)" \
                "$(nft list table inet cutover_ban 2>/dev/null | grep -c daddr)" \
                "$(n=0; for p in $(pidof named); do pp=$(cut -d" " -f4 /proc/$p/stat 2>/dev/null)
                     [ "$(cat /proc/$pp/comm 2>/dev/null)" = named ] || n=$((n + 1)); done; echo $n)" \
                "$(pidof tcpdump | wc -w)"
                [ "$(pidof named | wc -w)" -le 1 ] || ps -eo pid,ppid,lstart,args | grep "[n]amed" | sed "s/^/# /"' \
                >>"$work/monitor" 2>/dev/null
            sleep 0.1
        done
    ) &
    monitor_pid=$!
}

stop_monitor() {
    kill "$monitor_pid" 2>/dev/null
    wait "$monitor_pid" 2>/dev/null
    monitor_pid=""
    local peak
    # named forks at start (and its parent exits): two at one sample is that race, two in two
    # consecutive samples (0.1 s apart) is a second daemon
    peak=$(awk 'BEGIN{a=b=c=d=0; p=0} /^#/ {next} {n = ($3 < p ? $3 : p); p = $3
        if($1>a)a=$1; if($2>b)b=$2; if(n>c)c=n; if($4>d)d=$4} END{print a, b, c, d}' "$work/monitor")
    read -r t r n d <<<"$peak"
    if [ "$t" -gt 1 ] || [ "$r" -gt 2 ] || [ "$n" -gt 1 ] || [ "$d" -gt 1 ]; then
        note "app1 had an effect twice (cutover tables $t, ban rules $r, named $n, tcpdump $d)"
        cp "$work/monitor" "$work/monitor.$faults"
    fi
}

# the previous case's outputs move aside: a background apply truncates its output file only once it
# has started, and wait_for_step must never see the last case's events
begin_case_outputs() {
    if [ "$faults" -gt 0 ]; then
        mkdir -p "$work/case$faults"
        find "$work" -maxdepth 1 -type f \( -name '*.out' -o -name '*.err' -o -name '*.log' -o -name 'monitor*' \) \
            -exec mv -t "$work/case$faults" {} +
    fi
}

begin_case() {
    begin_case_outputs
    faults=$((faults + 1))
    case_ok=true
    CASE=$1
    say "[$faults] $CASE"
    fresh_lab
    for h in "${HOSTS[@]}"; do snapshot "$h" >"$work/base.$h"; done
    runs=$work/runs.$faults
    mkdir -p "$runs"
}

end_case() {
    if [ "$case_ok" = true ]; then
        log "ok"
    else
        cases_failed=$((cases_failed + 1))
        failures="$failures
  $CASE"
    fi
}

# Usage: all_changed RUNS RUN
all_changed() {
    for h in "${HOSTS[@]}"; do check_host "$h" changed "$1" "$2" 'changed|ok'; done
}

# ---- faults --------------------------------------------------------------------------------------

# SIGKILL the controller when app1's step K (a step's name) has started (+ DELAY s), then resume.
kill_case() {
    local k=$1 delay=$2 pid run
    begin_case "controller SIGKILLed at app1 step $k$( [ "$delay" != 0 ] && echo " + ${delay}s (mid-step)")"
    start_monitor
    "${CUT[@]}" apply -i "$INV" "$PLAYBOOK" --yes --serial 100% -o json --runs-dir "$runs" \
        >"$work/kill$k.out" 2>"$work/kill$k.err" &
    pid=$!
    if ! wait_for_step "$work/kill$k.out" app1 "$k" 90; then
        note "app1 never reached step $k"
    fi
    [ "$delay" != 0 ] && sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    count_traces "$work/kill$k.out" "$work/kill$k.err"
    run=$(run_id "$work/kill$k.out")
    cutover_run "resume$k" resume --runs-dir "$runs" -o json
    stop_monitor
    [ "$rc" = 0 ] || note "resume exited $rc: $(tail -c 400 "$work/resume$k.err")"
    all_changed "$runs" "$run"
    end_case
}

# A step fails on app2: it is rolled back to exactly what it was, app1 and app3 finish, exit 1.
# Usage: step_fail_case TITLE STATUS-REGEX SETUP-ON-APP2 [during: STEP-NAME CMD]
step_fail_case() {
    local title=$1 status_re=$2 setup=$3 during_step=${4:-} during_cmd=${5:-} run pid
    begin_case "a step fails on app2: $title"
    hx app2 "$setup" >"$work/setup.log" 2>&1 || note "setup failed: $(cat "$work/setup.log")"
    if [ -n "${host_vars_app2:-}" ]; then
        mkdir -p "$top/lab/run/$LAB/host_vars"
        printf '%s\n' "$host_vars_app2" >"$top/lab/run/$LAB/host_vars/app2.yml"
    fi
    snapshot app2 >"$work/base.app2"
    "${CUT[@]}" apply -i "$INV" "$PLAYBOOK" --yes --serial 100% --max-fail-percentage 50 -o json \
        --runs-dir "$runs" >"$work/fail.out" 2>"$work/fail.err" &
    pid=$!
    if [ -n "$during_step" ]; then
        wait_for_step "$work/fail.out" app2 "$during_step" 90 ||
            note "app2 never reached step $during_step"
        hx app2 "$during_cmd" >>"$work/setup.log" 2>&1
    fi
    wait "$pid"
    rc=$?
    count_traces "$work/fail.out" "$work/fail.err"
    run=$(run_id "$work/fail.out")
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1"
    grep -q '"host":"app2","status":"\(rolled_back\|refused\)","reason":"[^"]' "$work/fail.out" ||
        note "no rolled-back/refused app2 with a reason in the events: $(grep host-finished "$work/fail.out" | grep app2)"
    log "app2: $(jq -r 'select(.event=="host-finished" and .host=="app2") | "\(.status): \(.reason)"' "$work/fail.out" | cut -c1-200)"
    check_host app1 changed "$runs" "$run" 'changed'
    check_host app3 changed "$runs" "$run" 'changed'
    check_host app2 pristine "$runs" "$run" "$status_re"
    end_case
}

# Usage: wrap HOST BINARY SCRIPT -> SCRIPT replaces BINARY inside HOST only (its own mount namespace);
#   the real one stays callable as /run/real-NAME
wrap_cmd() {
    local bin=$1 script=$2 name
    name=$(basename "$bin")
    printf 'cp %s /run/real-%s && printf "#!/bin/sh\\n%%s\\n" %q >/run/fake-%s && chmod 755 /run/fake-%s && mount --bind /run/fake-%s %s' \
        "$bin" "$name" "$script" "$name" "$name" "$name" "$bin"
}

ssh_cut_case() {
    local pid run pb=$work/pb t0 gone
    begin_case "the SSH connection to app1 cut inside the guarded block (10 s guard)"
    mkdir -p "$pb"
    cp -r playbooks/templates "$pb/"
    sed 's/deadline: 60s/deadline: 10s/' "$PLAYBOOK" >"$pb/local-caching-bind.yml"
    "${CUT[@]}" apply -i "$INV" "$pb/local-caching-bind.yml" --yes --serial 100% --max-fail-percentage 50 \
        -o json --runs-dir "$runs" >"$work/cut.out" 2>"$work/cut.err" &
    pid=$!
    wait_for_step "$work/cut.out" app1 trigger 90 || note "app1 never reached the trigger"
    t0=$(date +%s)
    hx app1 'for p in $(ps -eo pid=,args= | awk '\''$2 ~ /^sshd:/ && $0 !~ /listener/ {print $1}'\''); do kill -KILL "$p"; done' \
        >>"$work/cut.log" 2>&1
    wait "$pid"
    rc=$?
    count_traces "$work/cut.out" "$work/cut.err"
    run=$(run_id "$work/cut.out")
    log "apply exited $rc; app1: $(jq -r 'select(.event=="host-finished" and .host=="app1") | "\(.status): \(.reason)"' "$work/cut.out" | cut -c1-200)"
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1 (app1 failed)"
    grep -q '"host":"app1","status":"\(failed\|rolled_back\|unreachable\)"' "$work/cut.out" || note "app1 not marked failed"
    gone=""
    for _ in $(seq 40); do
        if ! hx app1 'nft list tables' 2>/dev/null | grep -q cutover; then gone=$(( $(date +%s) - t0 )); break; fi
        sleep 0.5
    done
    if [ -z "$gone" ]; then note "app1: the ban is still in place 20 s after the cut"
    else log "app1: ban gone ${gone}s after the cut (guard deadline 10 s)"; fi
    sleep 1
    hx app1 "grep -q '$SUBNET\\.13;' /etc/bind/named.conf.options" && note "app1: forwarders still the alternates after the guard"
    cutover_run cutresume resume --runs-dir "$runs"
    [ "$rc" = 0 ] || note "resume exited $rc: $(tail -c 400 "$work/cutresume.out")"
    all_changed "$runs" "$run"
    end_case
}

unreachable_case() {
    local inv=$work/unreach.yml run
    begin_case "app3 unreachable (no host at its address)"
    sed "s/ansible_host: $SUBNET\\.23\$/ansible_host: $SUBNET.49/" "$INV" >"$inv"
    cutover_run unreach apply -i "$inv" "$PLAYBOOK" --yes --serial 100% --max-fail-percentage 50 --connect-timeout 2 \
        -o json --runs-dir "$runs"
    run=$(run_id "$work/unreach.out")
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1"
    log "app3: $(jq -r 'select(.event=="host-finished" and .host=="app3") | "\(.status): \(.reason)"' "$work/unreach.out" | cut -c1-200)"
    jq -r 'select(.event=="host-finished" and .host=="app3") | .reason' "$work/unreach.out" | grep -qiE 'connect|reach|timed? ?out' ||
        note "app3's reason does not say it could not connect"
    check_host app1 changed "$runs" "$run" changed
    check_host app2 changed "$runs" "$run" changed
    check_host app3 pristine "$runs" "$run" 'unreachable|failed|refused'
    end_case
}

slow_case() {
    local run
    begin_case "app2 too slow (named-checkconf takes 30 s, --command-timeout 3)"
    hx app2 "$(wrap_cmd /usr/bin/named-checkconf 'sleep 30; exec /run/real-named-checkconf "$@"')" >"$work/setup.log" 2>&1 ||
        note "setup: $(cat "$work/setup.log")"
    cutover_run slow apply -i "$INV" "$PLAYBOOK" --yes --limit app2 --command-timeout 3 -o json --runs-dir "$runs"
    run=$(run_id "$work/slow.out")
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1"
    log "app2: $(jq -r 'select(.event=="host-finished" and .host=="app2") | "\(.status): \(.reason)"' "$work/slow.out" | cut -c1-200)"
    check_host app2 pristine "$runs" "$run" 'rolled_back|failed'
    end_case
}

# Usage: disk_full_case SIZE -> /var/lib/cutover on app2 is a tmpfs of SIZE (64k: the helper does not
#   fit; 96k: it does, then the run's backups and undo log fill it)
disk_full_case() {
    local run size=$1
    begin_case "disk full in /var/lib/cutover on app2 (a $size tmpfs)"
    hx app2 "mkdir -p /var/lib/cutover && mount -t tmpfs -o size=$size,mode=0700 tmpfs /var/lib/cutover" >"$work/setup.log" 2>&1 ||
        note "setup: $(cat "$work/setup.log")"
    snapshot app2 >"$work/base.app2"
    cutover_run full apply -i "$INV" "$PLAYBOOK" --yes --serial 100% --max-fail-percentage 50 -o json --runs-dir "$runs"
    run=$(run_id "$work/full.out")
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1"
    log "app2: $(jq -r 'select(.event=="host-finished" and .host=="app2") | "\(.status): \(.reason)"' "$work/full.out" | cut -c1-200)"
    jq -r 'select(.event=="host-finished" and .host=="app2") | .reason' "$work/full.out" | grep -qiE 'space|full|write|cannot' ||
        note "app2's reason does not say why"
    jq -r 'select(.event=="host-finished" and .host=="app2") | .reason' "$work/full.out" | grep -q 'connection lost' &&
        note "app2's reason blames the connection"
    check_host app1 changed "$runs" "$run" changed
    check_host app3 changed "$runs" "$run" changed
    check_host app2 pristine "$runs" "$run" 'failed|refused|rolled_back'
    end_case
}

two_controllers_case() {
    local pid run first second
    begin_case "two controllers on the same hosts at once"
    mkdir -p "$runs/b"
    # the first holds every lock for at least 20 s (its bind-check is slowed), whatever the load
    for h in "${HOSTS[@]}"; do
        hx "$h" "$(wrap_cmd /usr/bin/named-checkconf 'sleep 20; exec /run/real-named-checkconf "$@"')" >>"$work/setup.log" 2>&1
    done
    "${CUT[@]}" apply -i "$INV" "$PLAYBOOK" --yes --serial 100% -o json --runs-dir "$runs" \
        >"$work/first.out" 2>"$work/first.err" &
    pid=$!
    wait_for_step "$work/first.out" app1 bind-check 90 || note "the first never reached bind-check"
    cutover_run second apply -i "$INV" "$PLAYBOOK" --yes --serial 100% --max-fail-percentage 100 -o json --runs-dir "$runs/b"
    second=$rc
    wait "$pid"
    first=$?
    count_traces "$work/first.out" "$work/first.err"
    run=$(run_id "$work/first.out")
    [ "$first" = 0 ] || note "the first controller exited $first"
    [ "$second" = 1 ] || note "the second controller exited $second, expected 1"
    for h in "${HOSTS[@]}"; do
        jq -r --arg h "$h" 'select(.event=="host-finished" and .host==$h) | .reason' "$work/second.out" |
            grep -q "run=$run" || note "$h: the second controller's reason does not name the owner (run=$run)"
    done
    log "second on app1: $(jq -r 'select(.event=="host-finished" and .host=="app1") | "\(.status): \(.reason)"' "$work/second.out" | cut -c1-200)"
    all_changed "$runs" "$run"
    end_case
}

host_key_case() {
    local run app1key
    begin_case "app3's host key changed between plan and apply"
    cutover_run plan plan -i "$INV" "$PLAYBOOK"
    [ "$rc" = 0 ] || note "plan exited $rc"
    app1key=$(grep "^$SUBNET\\.21 " "$top/lab/run/$LAB/known_hosts" | cut -d' ' -f2-)
    sed -i "s|^\\($SUBNET\\.23\\) .*|\\1 $app1key|" "$top/lab/run/$LAB/known_hosts"
    cutover_run hostkey apply -i "$INV" "$PLAYBOOK" --yes --serial 100% --max-fail-percentage 50 -o json --runs-dir "$runs"
    run=$(run_id "$work/hostkey.out")
    [ "$rc" = 1 ] || note "apply exited $rc, expected 1"
    jq -r 'select(.event=="host-finished" and .host=="app3") | .reason' "$work/hostkey.out" | grep -qi 'host key' ||
        note "app3's reason does not name the host key"
    [ "$(hx app3 'ls -A /var/lib/cutover 2>/dev/null | wc -l')" = 0 ] || note "app3: something was written in /var/lib/cutover"
    check_host app1 changed "$runs" "$run" changed
    check_host app2 changed "$runs" "$run" changed
    check_host app3 pristine "$runs" "$run" 'refused|failed|unreachable'
    end_case
}

max_fail_case() {
    local run
    begin_case "the canary fails above max_fail_percentage 0, then resume after the fix"
    hx app1 "echo 'zone {' >> /etc/bind/named.conf.local"
    snapshot app1 >"$work/base.app1"
    cutover_run maxfail apply -i "$INV" "$PLAYBOOK" --yes --serial 1,100% --max-fail-percentage 0 -o json --runs-dir "$runs"
    run=$(run_id "$work/maxfail.out")
    [ "$rc" = 3 ] || note "apply exited $rc, expected 3"
    jq -e 'select(.event=="host-started" and (.host=="app2" or .host=="app3"))' "$work/maxfail.out" >/dev/null 2>&1 && note "app2/app3 started after the threshold"
    check_host app1 pristine "$runs" "$run" 'rolled_back'
    check_host app2 pristine "$runs" "$run" 'pending|skipped'
    check_host app3 pristine "$runs" "$run" 'pending|skipped'
    hx app1 "sed -i '\$d' /etc/bind/named.conf.local"
    cutover_run maxresume resume --runs-dir "$runs" -o json
    [ "$rc" = 0 ] || note "resume exited $rc: $(tail -c 400 "$work/maxresume.err")"
    all_changed "$runs" "$run"
    end_case
}

# Secrets never show: the lab's pgbouncer passwords and an SSH key passphrase are looked for in the
# journal, stdout/stderr (JSON and text), the process list sampled during the run and the hosts'
# /var/lib/cutover. /var/lib/cutover on hosts and the runs directory (and each run's) are 0700.
secrets_case() {
    local inv=$work/secret.yml key=$work/id_encrypted pass="fault-suite-passphrase-$RANDOM$RANDOM" pid run leaks secret ps_pid
    begin_case "secrets (pgbouncer passwords, SSH key passphrase) and permissions"
    cp "$top/lab/run/$LAB/ssh/id_ed25519" "$key"
    ssh-keygen -q -p -N "$pass" -f "$key" >/dev/null || note "cannot encrypt the key copy"
    sed "s|ansible_ssh_private_key_file: .*|ansible_ssh_private_key_file: $key|" "$INV" >"$inv"
    : >"$work/ps.log"
    ( while :; do ps -ef >>"$work/ps.log" 2>/dev/null; sleep 0.1; done ) &
    ps_pid=$!
    CUTOVER_SSH_PASSPHRASE=$pass "${CUT[@]}" apply -i "$inv" "$PLAYBOOK" --yes --serial 100% -o json \
        --runs-dir "$runs/private" >"$work/secret.out" 2>"$work/secret.err" &
    pid=$!
    wait "$pid"
    rc=$?
    kill "$ps_pid" 2>/dev/null
    wait "$ps_pid" 2>/dev/null
    [ "$rc" = 0 ] || note "apply with the encrypted key exited $rc: $(tail -c 300 "$work/secret.err")"
    run=$(run_id "$work/secret.out")
    cutover_run secret-status status "$run" --runs-dir "$runs/private"
    cutover_run secret-status-json status "$run" --runs-dir "$runs/private" -o json
    cutover_run secret-plan plan -i "$INV" "$PLAYBOOK" -o json
    for h in "${HOSTS[@]}"; do
        hx "$h" 'grep -r -a -l -e app-lab-pw -e pgbadmin-lab-pw /var/lib/cutover 2>/dev/null | sed "s|^|'"$h"':|"' >>"$work/host-leaks"
        [ "$(hx "$h" 'stat -c %a /var/lib/cutover')" = 700 ] || note "$h: /var/lib/cutover is not 0700"
        # under the 0700 directory, sub-directories may be 0755 (tcpdump's capture, the refresh marks)
        # but nothing may be writable by others
        [ -z "$(hx "$h" 'find /var/lib/cutover -perm -0002 ! -type l')" ] ||
            note "$h: world-writable under /var/lib/cutover: $(hx "$h" 'find /var/lib/cutover -perm -0002 ! -type l')"
    done
    [ -s "$work/host-leaks" ] && note "a password is stored on a host: $(cat "$work/host-leaks")"
    for secret in app-lab-pw pgbadmin-lab-pw "$pass"; do
        leaks=$(grep -l -a -F -- "$secret" "$work"/secret*.out "$work"/secret*.err "$work/ps.log" \
            "$runs/private/$run"/* 2>/dev/null)
        [ -z "$leaks" ] || note "a secret ($([ "$secret" = "$pass" ] && echo passphrase || echo "$secret")) appears in: $leaks"
    done
    [ "$(stat -c %a "$runs/private")" = 700 ] || note "the runs directory is $(stat -c %a "$runs/private"), not 0700"
    [ "$(stat -c %a "$runs/private/$run")" = 700 ] || note "the run's directory is $(stat -c %a "$runs/private/$run"), not 0700"
    log "$(wc -l <"$work/ps.log") process-list lines sampled, $(find "$runs/private/$run" -type f | wc -l) journal files searched"
    all_changed "$runs/private" "$run"
    end_case
}

# Hostile values that load-time validation lets through (secrets are free text) reach the host only
# through stdin and the one quoting function: proved inert on a real host by canary files.
hostile_case() {
    local vars=$work/hostile-vars.yml run h status
    begin_case "hostile secret values on a real host (canary files must not appear)"
    # with a newline: refused at load time, without echoing the secret
    printf '%s\n' 'pgbouncer_probe_password: "Hostile-1 $(touch /tmp/cutover-canary0)\nsecond line"' >"$vars"
    cutover_run hostile-nl apply -i "$INV" "$PLAYBOOK" --yes --limit app1 -e "@$vars" --runs-dir "$runs"
    [ "$rc" = 2 ] || note "a secret with a newline: exit $rc, expected 2"
    if grep -q Hostile-1 "$work/hostile-nl.err"; then note "the refusal echoes the secret"; fi
    # without: these reach the host (on stdin), where they must stay inert
    cat >"$vars" <<'YAML'
pgbouncer_probe_password: "x$(touch /tmp/cutover-canary1)`touch /tmp/cutover-canary2`;touch /tmp/cutover-canary3 --help ' \" é"
pgbouncer_admin_password: "-c touch /tmp/cutover-canary4 $(touch /tmp/cutover-canary5) && touch /tmp/cutover-canary6 #"
YAML
    cutover_run hostile apply -i "$INV" "$PLAYBOOK" --yes --limit app1 -e "@$vars" -o json --runs-dir "$runs"
    run=$(run_id "$work/hostile.out")
    log "apply exited $rc; app1: $(jq -r 'select(.event=="host-finished" and .host=="app1") | "\(.status): \(.reason)"' "$work/hostile.out" | cut -c1-160)"
    for h in "${HOSTS[@]}" db; do
        if [ -n "$(hx "$h" 'ls /tmp/cutover-canary* 2>/dev/null')" ]; then note "$h: a canary file appeared: a hostile value ran"; fi
    done
    if ls /tmp/cutover-canary* >/dev/null 2>&1; then note "a canary file appeared on the machine"; fi
    inputs=$((inputs + 7))
    status=$("${CUT[@]}" status "$run" --runs-dir "$runs" -o json 2>/dev/null | jq -r '.hosts[] | select(.host == "app1") | .status')
    if [ "$status" = changed ]; then check_host app1 changed "$runs" "$run" changed
    else check_host app1 pristine "$runs" "$run" 'rolled_back'; fi
    end_case
}

# ---- persistence faults (real hosts: systemd as PID 1, resolv.conf owners) -----------------------
# One booted real lab for these cases (booting is the slow part); each case ends by rolling back
# and checking every host it touched is byte for byte as before (lab/real/state.sh), so the next
# case starts from the same hosts.

REAL_HOSTS=(bullseye-dhclient bookworm-nm bookworm-resolvconf trixie-resolved trixie-plain)
real_lab_up=false
real_lab() {
    [ "$real_lab_up" = true ] && return 0
    lab down >/dev/null 2>&1
    if ! lab up --real --hosts 0 >"$work/lab-up-real.log" 2>&1; then
        cat "$work/lab-up-real.log" >&2
        echo "faults.sh: the real hosts did not start" >&2
        exit 1
    fi
    INV=$top/lab/run/$LAB/inventory.yml
    real_lab_up=true
}
real_state() { lab exec "$1" sh -c "$(cat "$top/lab/real/state.sh")"; }

begin_real_case() {
    local h
    begin_case_outputs
    faults=$((faults + 1))
    case_ok=true
    CASE=$1
    say "[$faults] $CASE"
    real_lab
    runs=$work/runs.$faults
    mkdir -p "$runs"
    for h in "${REAL_HOSTS[@]}"; do real_state "$h" >"$work/base.$h"; done
}

# Usage: real_check HOSTS... -> cutover check says every one is as the playbook leaves it (its proof:
#   the host's pgbouncer, whatever process it is now, asks 127.0.0.1), and no guard boot unit is left
real_check() {
    local h limit
    limit=$(IFS=,; echo "$*")
    cutover_run check check -i "$INV" "$PLAYBOOK" --limit "$limit"
    for h in "$@"; do
        checked=$((checked + 1))
        if ! grep -qE "^$h +ok " "$work/check.out" || [ -n "$(hx "$h" 'ls /etc/systemd/system/cutover-guard-boot.service 2>/dev/null')" ]; then
            inconsistent=$((inconsistent + 1))
            note "$h: not as the playbook leaves it: $(grep -E "^$h " "$work/check.out" | cut -c1-300)"
        fi
    done
}

# Usage: real_rollback HOSTS... -> rollback of the case's last run, then each host byte for byte as before
real_rollback() {
    local h
    cutover_run rollback rollback --runs-dir "$runs" --yes
    [ "$rc" = 0 ] || note "rollback exited $rc: $(tail -c 300 "$work/rollback.out")"
    for h in "$@"; do
        checked=$((checked + 1))
        if ! diff "$work/base.$h" <(real_state "$h") >"$work/diff.$h" 2>&1; then
            inconsistent=$((inconsistent + 1))
            note "$h: not as before the case after the rollback: $(head -c 600 "$work/diff.$h" | tr '\n' ' ')"
        fi
    done
}

# Usage: real_reboot_case HOST STEP: the host reboots once its step STEP has started; the run fails
# for it (the link is gone), resume redoes it, check proves it, rollback returns it.
real_reboot_case() {
    local h=$1 step=$2 pid alt
    begin_real_case "a real host reboots at step $step ($h)"
    "${CUT[@]}" apply -i "$INV" "$PLAYBOOK" --yes --limit "$h" -o json --runs-dir "$runs" \
        >"$work/apply.out" 2>"$work/apply.err" &
    pid=$!
    wait_for_step "$work/apply.out" "$h" "$step" 90 || note "$h never reached step $step"
    lab reboot "$h" >"$work/reboot.log" 2>&1 || note "lab.sh reboot $h failed: $(tail -3 "$work/reboot.log")"
    wait "$pid"
    rc=$?
    count_traces "$work/apply.out" "$work/apply.err"
    [ "$rc" != 0 ] || note "apply exited 0 although $h rebooted during it"
    # what the host did by itself at boot: a block in progress reverted (the alternate forwarders gone)
    alt=$(sed -n 's/^ *cutover_alt_forwarders: *\[ *\([0-9.]*\).*/\1/p' "$INV" | head -n 1)
    if [ -z "$alt" ]; then note "no cutover_alt_forwarders in $INV"
    elif hx "$h" "grep -q '$alt;' /etc/bind/named.conf.options"; then note "$h: BIND still forwards to the alternate $alt after the reboot"; fi
    if hx "$h" "nft list ruleset | grep -qi cutover"; then note "$h: a ban survived the reboot"; fi
    log "$h after the reboot: $(hx "$h" 'grep -h -A2 "^[[:space:]]forwarders" /etc/bind/named.conf.options 2>/dev/null | tr -d "\t\n"; echo; journalctl -b -u cutover-guard-boot -o cat 2>/dev/null | grep reverting' | tr '\n' ' ' | cut -c1-200)"
    cutover_run resume resume --runs-dir "$runs"
    [ "$rc" = 0 ] || note "resume exited $rc: $(tail -c 400 "$work/resume.out")"
    real_check "$h"
    real_rollback "$h"
    end_case
}

# Every owner rewrites resolv.conf (or is restarted) while the rollout is under way on its host.
owner_rewrite_case() {
    local pid h
    begin_real_case "each resolv.conf owner rewrites during the rollout (NetworkManager restarted, resolvconf -u, resolved restarted, DHCP renewals)"
    "${CUT[@]}" apply -i "$INV" "$PLAYBOOK" --yes --limit real -o json --runs-dir "$runs" \
        >"$work/apply.out" 2>"$work/apply.err" &
    pid=$!
    for h in bookworm-nm bookworm-resolvconf trixie-resolved; do
        wait_for_step "$work/apply.out" "$h" refresh 90 || note "$h never reached step refresh"
        case $h in
            bookworm-nm) hx "$h" 'systemctl restart NetworkManager' ;;
            bookworm-resolvconf) hx "$h" 'resolvconf -u' ;;
            trixie-resolved) hx "$h" 'systemctl restart systemd-resolved' ;;
        esac
    done
    wait "$pid"
    rc=$?
    count_traces "$work/apply.out" "$work/apply.err"
    [ "$rc" = 0 ] || note "apply exited $rc: $(jq -r 'select(.event=="host-finished" and .status!="changed") | "\(.host) \(.status): \(.reason)"' "$work/apply.out" | cut -c1-300)"
    # bullseye-dhclient renews every 10 s: one renewal at least has rewritten its resolv.conf since
    hx bullseye-dhclient 'was=$(stat -c %i /etc/resolv.conf); for i in $(seq 150); do [ "$(stat -c %i /etc/resolv.conf)" != "$was" ] && exit 0; sleep 0.1; done; exit 1' ||
        note "bullseye-dhclient: no DHCP renewal rewrote resolv.conf within 15 s"
    real_check "${REAL_HOSTS[@]}"
    real_rollback "${REAL_HOSTS[@]}"
    end_case
}

# ---- the suite -----------------------------------------------------------------------------------

say "cutover fault suite ($([ "$quick" = true ] && echo quick || echo full)) on lab '$LAB'"
mvn -q -B -o -f "$top/pom.xml" package -DskipTests >"$work/build.log" 2>&1 ||
    mvn -q -B -f "$top/pom.xml" package -DskipTests >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; echo "faults.sh: the build failed" >&2; exit 1; }
# A private copy of the jar: others may rebuild controller/target while the suite runs.
cp "$top/controller/target/cutover.jar" "$work/cutover.jar" || exit 1

# --only=GLOB[,GLOB...] runs the cases whose names match one (e.g. --only='kill*,sshcut')
# shellcheck disable=SC2053
want() {
    local glob globs
    [ -z "$only" ] && return 0
    IFS=, read -ra globs <<<"$only"
    for glob in "${globs[@]}"; do [[ $1 == $glob ]] && return 0; done
    return 1
}

if [ "$quick" = true ]; then
    # a spread of kill points: before any change, inside refresh, inside the block (ban in place), last step
    boundaries="preflight refresh capture reload-restore"; mids="trigger:0.15"
else
    # every step of playbooks/local-caching-bind.yml, in order, and a delay that lands inside each
    boundaries="preflight bind-install bind-options bind-check bind-start resolv-conf refresh forwarders-alternate
        reload-alternate ban-old capture trigger verify unban forwarders-restore reload-restore"
    mids="bind-install:0.02 bind-options:0.05 bind-check:0.02 bind-start:0.05 resolv-conf:0.05 refresh:0.5
        forwarders-alternate:0.05 reload-alternate:0.05 ban-old:0.03 capture:0.1 trigger:0.15 verify:0.05 unban:0.02
        forwarders-restore:0.05 reload-restore:0.05"
fi
for k in $boundaries; do want "kill$k" && kill_case "$k" 0; done
for m in $mids; do want "kill${m%%:*}m" && kill_case "${m%%:*}" "${m#*:}"; done

want sshcut && ssh_cut_case
want checkconf && step_fail_case "named-checkconf fails" 'rolled_back' "echo 'zone {' >> /etc/bind/named.conf.local"
want namedstart && step_fail_case "named will not start" 'rolled_back' \
    "$(wrap_cmd /usr/sbin/named 'case $1 in -v|-V) exec /run/real-named "$@" ;; esac; echo "named: fault injected" >&2; exit 1')"
want noquery && host_vars_app2="refresh_method: none" step_fail_case \
    "the trigger sees no query on 127.0.0.1 (pgbouncer not refreshed: refresh_method none)" 'rolled_back|refused' ":"
[ "$quick" = false ] && want nogdb && step_fail_case "gdb fails inside the refresh" 'rolled_back' "$(wrap_cmd /usr/bin/gdb 'exit 0')"
want targetdied && PGB_KILLED=app2 step_fail_case "the refresh target died" 'rolled_back|refused' ":" resolv-conf \
    'kill -KILL $(cat /var/run/postgresql/pgbouncer.pid)'
want notcpdump && step_fail_case "tcpdump missing" 'refused|rolled_back' \
    "cp /usr/bin/tcpdump /run/real-tcpdump && printf 'not a program\\n' > /run/notcpdump && mount --bind /run/notcpdump /usr/bin/tcpdump"
want unreachable && unreachable_case
want slow && slow_case
[ "$quick" = false ] && want diskfull && disk_full_case 64k
want diskfull2 && disk_full_case 100k
want twoctl && two_controllers_case
want hostkey && host_key_case
want maxfail && max_fail_case
want secrets && secrets_case
want hostile && hostile_case
want rebootblock && real_reboot_case bookworm-nm capture
want rebootrefresh && real_reboot_case trixie-plain refresh
# ownerrewrite last: the cases before leave pgbouncers whose probe pool keeps looking the name up,
# and on c-ares >= 1.23 (trixie) the answers sit in c-ares' own query cache: a rerun must still
# prove its lookup (docs/faults.md)
want ownerrewrite && owner_rewrite_case
lab down >/dev/null 2>&1

# ---- bad and hostile input (unit tests, no SSH) ---------------------------------------------------

if [ "$skip_unit" = false ] && want unit; then
    say "bad and hostile input (controller unit tests io.cutover.faults)"
    rm -f "$top/controller/target/faults-inputs.txt"
    # the full suite fuzzes more mutants (FUZZ_CASES overrides either)
    [ "$quick" = true ] || export FUZZ_CASES="${FUZZ_CASES:-2000}"
    if mvn -q -B -o -f "$top/pom.xml" -pl controller test -Dtest='io.cutover.faults.**' -Dsurefire.failIfNoSpecifiedTests=false \
        >"$work/unit.log" 2>&1; then
        n=$(awk '{s += $1} END {print s + 0}' "$top/controller/target/faults-inputs.txt" 2>/dev/null)
        inputs=$((inputs + n))
        log "ok: $n inputs"
    else
        cases_failed=$((cases_failed + 1))
        failures="$failures
  bad/hostile input unit tests (see $work/unit.log)"
        tail -40 "$work/unit.log"
    fi
fi

echo
say "wall time $(( $(date +%s) - started )) s"
[ -n "$failures" ] && say "failed cases:$failures"
echo "faults $faults, hosts checked $checked, inputs tried $inputs, stack traces $traces, inconsistent hosts $inconsistent"
[ "$cases_failed" -eq 0 ] && [ "$traces" -eq 0 ] && [ "$inconsistent" -eq 0 ]
exit
}
