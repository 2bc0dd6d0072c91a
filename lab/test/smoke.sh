#!/usr/bin/env bash
# Commands for the hosts are single-quoted on purpose: they expand on the host, not here.
# shellcheck disable=SC2016
# Lab smoke test: bring up a small lab of its own (CUTOVER_LAB=smoke unless set), check that it is
# a fleet of real, separate hosts, tear it down, check that nothing of it remains; then check that
# `down` cleans up after an `up` killed halfway. Prints "N passed, N failed"; exit 1 on any failure.
# Needs root. Outside CI, a machine where the lab cannot run (not root, no namespaces) is a skip;
# under CI=true it is a failure.
set -uo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
export CUTOVER_LAB=${CUTOVER_LAB:-smoke}
STATE=$LAB/run/$CUTOVER_LAB
NAPP=2
NLIGHT=2

# Usage: die MESSAGE  -> the test itself cannot go on
die() {
	echo "smoke.sh: $*" >&2
	exit 1
}

NAME=smoke.sh
# shellcheck source=tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# shellcheck source=fleet.sh
. "$(dirname "${BASH_SOURCE[0]}")/fleet.sh"

# --- checks -------------------------------------------------------------------------------

check_ssh_and_isolation() {
	local h
	for h in $(hosts_of app light); do
		ok "$h: SSH as root with the lab key and strict known_hosts lands on $h" \
			same "$(on "$h" 'cat /proc/sys/kernel/hostname')" "$h"
		ok "$h: resolv.conf is its own and lists dns-old1 and dns-old2" same \
			"$(on "$h" 'head -n 1 /etc/resolv.conf | grep -c " '"$h"':"; grep ^nameserver /etc/resolv.conf | tr "\n" " "')" \
			"1
nameserver $(addr dns-old1) nameserver $(addr dns-old2) "
		ok "$h: sees only its own network (lo and eth0 $(addr "$h"))" same \
			"$(on "$h" 'ip -4 -o addr show | awk "{print \$2, \$4}" | tr "\n" " "; ip route show default | wc -l')" \
			"lo 127.0.0.1/8 eth0 $(addr "$h")/24 0"
		ok "$h: named installed, not running, /etc/bind as Debian ships it" \
			on "$h" 'command -v named >/dev/null && [ ! -e /run/named/named.pid ] &&
				dpkg-query -W -f="\${Conffiles}\n" bind9 | awk "\$1 ~ /^\/etc\/bind\// {print \$2 \"  \" \$1}" |
				md5sum --quiet -c -'
		ok "$h: tools the helper needs are there" \
			on "$h" 'for c in iptables nft tcpdump gdb psql named-checkconf rndc; do command -v $c >/dev/null || { echo no $c; exit 1; }; done'
	done
	on app1 'echo app1 >/etc/bind/smoke-marker && mkdir -p /var/lib/cutover && echo app1 >/var/lib/cutover/smoke-marker' ||
		echo "    # could not write markers in app1"
	ok "a file written in app1's /etc/bind and /var/lib/cutover is not in app2" \
		on app2 '! ls /etc/bind/smoke-marker /var/lib/cutover/smoke-marker 2>/dev/null'
	ok "... nor in the root namespace" test ! -e /etc/bind/smoke-marker -a ! -e /var/lib/cutover/smoke-marker
	ok "app1 sees only app1's processes (its own PID namespace)" same \
		"$(on app1 'ps -eo args= | awk "\$1 == \"/bin/sh\" && \$2 ~ /host-init.sh\$/ { print \$5 }"')" app1
	ok "lab.sh exec reaches a host without SSH" same "$(lab exec app2 cat /proc/sys/kernel/hostname)" app2
}

check_dns() {
	local h
	for h in dns-old1 dns-old2 dns-alt; do
		ok "$h answers for lab.test (db.lab.test and its own whoami)" same \
			"$(dig +short +time=2 +tries=1 @"$(addr "$h")" db.lab.test; dig +short +time=2 +tries=1 @"$(addr "$h")" whoami.lab.test TXT)" \
			"$(addr db)
\"$h\""
		ok "$h answers NXDOMAIN for names outside the lab (fake root: nothing leaves the machine)" \
			bash -c "dig +time=2 +tries=1 @$(addr "$h") example.com | grep -q 'status: NXDOMAIN'"
	done
	ok "a BIND on app1 forwarding to dns-old1/2 resolves db.lab.test (allow-recursion works)" same "$(on app1 '
		d=$(mktemp -d) && chown bind "$d" &&
		printf "%s\n" "options { directory \"$d\"; pid-file \"$d/pid\"; listen-on port 5300 { 127.0.0.1; };" \
			"listen-on-v6 { none; }; forwarders { '"$(addr dns-old1); $(addr dns-old2)"'; }; forward only;" \
			"dnssec-validation auto; validate-except { \"lab.test\"; }; }; controls { };" >"$d/named.conf" &&
		named -u bind -c "$d/named.conf" && i=0 && while [ ! -s "$d/pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
		dig +short +time=2 +tries=2 -p 5300 @127.0.0.1 db.lab.test
		kill "$(cat "$d/pid")"; rm -rf "$d"')" "$(addr db)"
}

check_pgbouncer() {
	local h
	for h in $(hosts_of app); do
		ok "$h: pgbouncer answers (admin console SHOW VERSION)" on "$h" \
			'PGPASSWORD=pgbadmin-lab-pw psql -h 127.0.0.1 -p 6432 -U pgbadmin -d pgbouncer -Atc "SHOW VERSION" | grep -q PgBouncer'
		ok "$h: a client session through pgbouncer reaches PostgreSQL on db" same \
			"$(on "$h" 'PGPASSWORD=app-lab-pw PGCONNECT_TIMEOUT=5 psql -h '"$(addr "$h")"' -p 6432 -U app -d appdb -Atc "select inet_server_addr()"')" \
			"$(addr db)"
		ok "$h: ... having resolved db.lab.test through dns-old" bash -c \
			"grep -hs ' $(addr "$h")#.*query: db.lab.test IN A' '$STATE'/hosts/dns-old[12]/var/log/named/queries.log | grep -q ."
	done
	ok "light hosts run no pgbouncer" on light1 '! [ -e /run/postgresql/pgbouncer.pid ]'
}

check_inventory() {
	local inv
	inv=$(lab inventory)
	ok "lab.sh inventory prints the inventory up wrote" same "$inv" "$STATE/inventory.yml"
	ok "inventory has the vars cutover relies on" bash -c "for k in ansible_user ansible_ssh_private_key_file \
		ansible_ssh_common_args cutover_known_hosts cutover_alt_forwarders cutover_old_nameservers lab_zone \
		pgbouncer_port pgbouncer_probe_db pgbouncer_app_db; do grep -q \"^ *\$k: \" '$inv' || { echo missing \$k; exit 1; }; done"
	if command -v ansible-inventory >/dev/null; then
		ok "ansible reads the inventory: $NAPP app and $NLIGHT light hosts" same \
			"$(ansible-inventory -i "$inv" --list 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["app"]["hosts"]), len(d["light"]["hosts"]))')" \
			"$NAPP $NLIGHT"
	fi
	ok "a second up reports the running lab instead of rebuilding it" same "$(lab up --hosts "$NAPP" --light "$NLIGHT" 2>/dev/null)" "$inv"
}

check_down_leaves_nothing() {
	ok "down succeeds" lab down
	ok "down leaves no namespace, veth, mount, process or state of the lab" leftovers
}

check_down_after_crash() {
	"$LAB/lab.sh" up --hosts 1 >/dev/null 2>&1 &
	local up=$!
	sleep 0.5
	kill -KILL "$up" 2>/dev/null
	wait "$up" 2>/dev/null
	PIDS=$(netns_processes)
	ok "down after an up killed halfway succeeds" lab down
	ok "... and leaves nothing behind" leftovers
}

# The package manager's output stays in its log: a phase is one line, a failure shows apt's tail.
check_deps_is_quiet() {
	local out rc
	out=$("$LAB/lab.sh" deps 2>&1)
	ok "deps with everything installed says so in one line" same "$out" "lab.sh: all packages are installed"
	out=$("$LAB/lab.sh" deps cutover-no-such-package 2>&1)
	rc=$?
	ok "deps of a package Debian does not have fails with exit 5" same "$rc" 5
	ok "... shows apt's tail and names its log, nothing more" \
		bash -c '(( $(wc -l <<<"$1") <= 28 )) && grep -q "Unable to locate package cutover-no-such-package" <<<"$1" &&
			grep -q "the whole output is in /var/log/cutover-lab-apt.log" <<<"$1"' _ "$out"
}

check_failed_up_cleans_up() {
	out=$(LAB_FAIL_HOST=app1 "$LAB/lab.sh" up --hosts 1 2>&1)
	rc=$?
	ok "up fails when a host fails to start" test "$rc" -ne 0
	ok "... shows that host's log" grep -q 'failing on purpose' <<<"$out"
	PIDS=
	ok "... and leaves nothing behind" leftovers
}

main() {
	[[ $(id -u) == 0 ]] || skip_or_fail "not root: the lab needs root (sudo $0)"
	trap 'lab down >/dev/null 2>&1' EXIT
	up_or_fail --hosts "$NAPP" --light "$NLIGHT"
	PIDS=$(lab pids | cut -d' ' -f3- | tr '\n' ' ')
	check_inventory
	check_ssh_and_isolation
	check_dns
	check_pgbouncer
	check_down_leaves_nothing
	check_down_after_crash
	check_failed_up_cleans_up
	check_deps_is_quiet
	finish
}

main "$@"
