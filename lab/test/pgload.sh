#!/usr/bin/env bash
# Test of lab/pgload.py (the client load generator) on a lab of its own (CUTOVER_LAB=pgl unless set):
#  1. usage and safety: no duration is a usage error; an inventory whose app host lies outside its
#     lab_subnet is refused (exit 2) before any connection;
#  2. load held through a live refresh of app1's pgbouncer (cutover-helper refresh gdb-cares, the
#     freeze the rollout's refresh step causes; servers unchanged), stopped by SIGTERM after the
#     ready file appeared: exit 0, every session kept, every transaction kept, a stall measured;
#  3. a drop is detected: app2's pgbouncer killed (by PID, inside app2) during a run: exit 1,
#     app2's sessions dropped, the other hosts' not;
#  4. remote-helper/test/lab/stall.py, which shares lab/pgwire.py, still runs inside a host.
# Prints "N passed, N failed" last; exit 1 on any failure. Needs root. Outside CI, a machine where
# the lab cannot run (not root, no namespaces) is a skip; under CI=true it is a failure.
set -uo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
REPO=$(dirname "$LAB")
export CUTOVER_LAB=${CUTOVER_LAB:-pgl}
PGLOAD=$LAB/pgload.py
tmp=
loadpid=

NAME=pgload.sh
# shellcheck source=tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# shellcheck source=fleet.sh
. "$(dirname "${BASH_SOURCE[0]}")/fleet.sh"

# Usage: cleanup  -> stop a pgload still running (our own, by PID), tear the lab down
cleanup() {
	if [[ -n $loadpid ]] && kill -0 "$loadpid" 2>/dev/null; then
		kill -KILL "$loadpid" 2>/dev/null
		wait "$loadpid" 2>/dev/null
	fi
	"$LAB/lab.sh" down >/dev/null 2>&1
	[[ -n $tmp ]] && rm -rf "$tmp"
}

# Usage: check FILE PYTHON-EXPR  -> evaluate EXPR with r = the JSON object in FILE; false prints r
check() {
	python3 - "$1" "$2" <<-'EOF'
		import json, sys
		r = json.load(open(sys.argv[1]))
		hosts, totals = r["hosts"], r["totals"]
		if not eval(sys.argv[2]):
		    print(json.dumps(r, indent=1)[:3000])
		    sys.exit(1)
	EOF
}

# Usage: wait_file FILE PID  -> wait (10 s at most) for FILE while PID runs
wait_file() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -f $1 ]] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# Usage: has STRING TEXT  -> true if TEXT contains STRING, else print TEXT
has() {
	[[ $2 == *"$1"* ]] || { echo "$2"; return 1; }
}

# Usage: field FILE PYTHON-EXPR  -> print EXPR (r = the JSON object in FILE)
field() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

check_usage() {
	local rc
	python3 "$PGLOAD" --inventory "$INV" >/dev/null 2>"$tmp/usage.err"
	rc=$?
	ok "no --duration nor --until-stopped: usage error (exit 2)" test "$rc" -eq 2
	sed 's/ansible_host: [0-9.]*$/ansible_host: 192.0.2.7/' "$INV" >"$tmp/outside.yml"
	python3 "$PGLOAD" --inventory "$tmp/outside.yml" --duration 1 >/dev/null 2>"$tmp/outside.err"
	rc=$?
	ok "an app host outside lab_subnet is refused (exit 2)" test "$rc" -eq 2
	ok "... saying why" grep -q 'outside the lab subnet' "$tmp/outside.err"
	python3 "$PGLOAD" --inventory "$INV" --hosts app1,nosuch --duration 1 >/dev/null 2>&1
	rc=$?
	ok "an unknown --hosts name is a usage error" test "$rc" -eq 2
}

check_refresh_under_load() {
	local rc pid old res
	python3 "$PGLOAD" --inventory "$INV" --until-stopped --ready-file "$tmp/ready" \
		>"$tmp/refresh.json" 2>"$tmp/refresh.err" &
	loadpid=$!
	if ! wait_file "$tmp/ready" "$loadpid"; then
		ok "pgload opened every session (ready file)" false
		sed 's/^/    # /' "$tmp/refresh.err"
		return
	fi
	ok "pgload opened every session (ready file)" true
	sleep 0.5
	pid=$("$LAB/lab.sh" exec app1 cat /var/run/postgresql/pgbouncer.pid)
	old=$(awk '$1 == "cutover_old_nameservers:" { sub(/^[^:]*: */, ""); gsub(/[][ ]/, ""); print; exit }' "$INV")
	res=$("$LAB/lab.sh" exec app1 sh "$("$REPO/remote-helper/build.sh")" refresh --run pgload-test \
		"$pid" gdb-cares --servers "$old" 2>"$tmp/helper.err")
	ok "live refresh of app1's pgbouncer (gdb-cares, servers $old) under load" has '"ok":true' "$res"
	sleep 0.5
	kill -TERM "$loadpid"
	wait "$loadpid"
	rc=$?
	loadpid=
	ok "SIGTERM stops it; exit 0" test "$rc" -eq 0
	ok "... stopped by SIGTERM, one JSON object on stdout" check "$tmp/refresh.json" \
		'totals["stopped_by"] == "SIGTERM" and r["ok"] is True'
	ok "... every host: 6 sessions, 0 dropped, 0 failed, transactions kept" check "$tmp/refresh.json" \
		'all(h["sessions"] == 6 and h["dropped"] == 0 and h["failed_queries"] == 0 and h["in_transaction_kept"] is True for h in hosts.values())'
	ok "... every host: queries run, stall and p50/p99 measured" check "$tmp/refresh.json" \
		'all(h["queries"] > 100 and h["longest_stall_ms"] >= h["p99_ms"] >= h["p50_ms"] > 0 for h in hosts.values())'
	echo "    # app1's refresh: helper gdb_ms $(sed -n 's/.*"gdb_ms":\([0-9]*\).*/\1/p' <<<"$res"); longest stall" \
		"$(field "$tmp/refresh.json" '{k: h["longest_stall_ms"] for k, h in r["hosts"].items()}') ms"
}

check_drop_detected() {
	local rc pid
	python3 "$PGLOAD" --inventory "$INV" --duration 3 --ready-file "$tmp/ready2" \
		>"$tmp/drop.json" 2>"$tmp/drop.err" &
	loadpid=$!
	if wait_file "$tmp/ready2" "$loadpid"; then
		sleep 0.5
		pid=$("$LAB/lab.sh" exec app2 cat /var/run/postgresql/pgbouncer.pid)
		"$LAB/lab.sh" exec app2 kill -KILL "$pid"
	fi
	wait "$loadpid"
	rc=$?
	loadpid=
	ok "app2's pgbouncer killed during a run: exit 1" test "$rc" -eq 1
	ok "... app2: all 6 sessions dropped, failed queries counted, transactions lost, ok false" \
		check "$tmp/drop.json" \
		'hosts["app2"]["dropped"] == 6 and hosts["app2"]["failed_queries"] >= 1 and hosts["app2"]["in_transaction_kept"] is False and r["ok"] is False'
	ok "... the other host: nothing dropped" check "$tmp/drop.json" \
		'hosts["app1"]["dropped"] == 0 and hosts["app1"]["failed_queries"] == 0'
}

check_stall_py() {
	local out
	out=$("$LAB/lab.sh" exec app1 python3 "$REPO/remote-helper/test/lab/stall.py" --helper none \
		--method x --command true --runs 2 --db appdb --user app --password app-lab-pw \
		--pidfile /var/run/postgresql/pgbouncer.pid 2>&1)
	ok "stall.py (lab/pgwire.py shared) runs inside a host, nothing dropped" has '"dropped": 0' "$out"
}

main() {
	[[ $(id -u) == 0 ]] || skip_or_fail "not root: the lab needs root (sudo $0)"
	tmp=$(mktemp -d) || exit 1
	trap cleanup EXIT
	up_or_fail --hosts 2
	INV=$("$LAB/lab.sh" inventory)
	check_usage
	check_refresh_under_load
	check_stall_py
	check_drop_detected
	finish
}

main "$@"
