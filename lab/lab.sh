#!/usr/bin/env bash
# lab.sh: a fleet of real hosts on one Linux machine, built from namespaces and Debian's packages.
# Every host is a network namespace + its own mount/UTS/IPC/PID namespaces (see host-init.sh).
# All state of instance NAME (CUTOVER_LAB, default "lab") lives in lab/run/NAME/; addresses come
# from lab/addresses.sh. See lab/README.md.
set -uo pipefail
# run as root via su or cron, sbin may be missing from PATH; the checks below would then misreport
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
RUN_ROOT=$LAB_DIR/run
# shellcheck source=addresses.sh
. "$LAB_DIR/addresses.sh"
# shellcheck source=pgbouncer-conf.sh
. "$LAB_DIR/pgbouncer-conf.sh"
# shellcheck source=real.sh
. "$LAB_DIR/real.sh"

NAME=${CUTOVER_LAB:-lab}
STATE=$RUN_ROOT/$NAME
NS_PREFIX=cut$NAME-
HUB=${NS_PREFIX}hub
ROOT_IF=cut${NAME}0
ZONE=lab.test
PGB_PORT=6432
# Debian packages the lab needs, and the commands it checks for (command:package)
PACKAGES="bind9 bind9-utils bind9-dnsutils pgbouncer postgresql postgresql-client openssh-server
openssh-client tcpdump gdb iptables nftables iproute2 util-linux procps
mmdebstrap systemd-container dnsmasq-base apt-utils python3 python3-yaml golang-go nginx haproxy gcc libc-ares-dev curl dpkg-dev make pkg-config libevent-dev libssl-dev"
COMMANDS="ip:iproute2 unshare:util-linux nsenter:util-linux setpriv:util-linux flock:util-linux
ssh:openssh-client ssh-keygen:openssh-client /usr/sbin/sshd:openssh-server named:bind9
named-checkconf:bind9-utils rndc:bind9-utils dig:bind9-dnsutils /usr/sbin/pgbouncer:pgbouncer
psql:postgresql-client tcpdump:tcpdump gdb:gdb iptables:iptables nft:nftables"
# what `up --real` needs on top (the real hosts' roots, their boot, DHCP and package repository)
REAL_COMMANDS="mmdebstrap:mmdebstrap systemd-nspawn:systemd-container dnsmasq:dnsmasq-base
apt-ftparchive:apt-utils python3:python3"

# Usage: die MESSAGE [EXIT-CODE]  -> "lab.sh: MESSAGE" on stderr, exit (default 1)
die() {
	echo "lab.sh: $1" >&2
	exit "${2:-1}"
}

# Usage: say MESSAGE  -> progress on stderr (stdout stays for what scripts read)
say() {
	echo "lab.sh: $*" >&2
}

# Usage: usage_of COMMAND  -> print the "# Usage: lab.sh COMMAND" comment block of this file
usage_of() {
	awk -v c="# Usage: lab.sh $1" 'index($0, c) == 1 { on = 1 } on && !/^#/ { exit } on { sub(/^# ?/, ""); print }' \
		"${BASH_SOURCE[0]}"
}

# Usage: wants_help ARGS...  -> true if ARGS ask for help
wants_help() {
	local a
	for a in "$@"; do [[ $a == -h || $a == --help ]] && return 0; done
	return 1
}

# Usage: check_name  -> CUTOVER_LAB is a valid instance name, else exit 2
check_name() {
	[[ $NAME =~ ^[a-z0-9]{1,6}$ ]] ||
		die "CUTOVER_LAB='$NAME' is not a valid lab instance name: 1 to 6 characters from [a-z0-9]" 2
}

# Usage: need_root  -> running as root, else exit 4
need_root() {
	[[ $(id -u) == 0 ]] ||
		die "must run as root (it creates namespaces, veths and mounts): sudo $0 ${CMD:-}" 4
}

# Usage: need_commands [COMMAND:PACKAGE...]  -> every command the lab uses (and those given) is
# installed, else say how to install it
need_commands() {
	local pair cmd missing=()
	for pair in $COMMANDS "$@"; do
		cmd=${pair%%:*}
		command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd (package ${pair#*:})")
	done
	pg_bin >/dev/null || missing+=("initdb (package postgresql)")
	((${#missing[@]} == 0)) ||
		die "missing: ${missing[*]}. Install the lab's packages with: $LAB_DIR/lab.sh deps" 5
}

# Usage: need_namespaces  -> this machine lets root create the namespaces and mounts a host needs
need_namespaces() {
	local err
	if ! err=$(unshare --net --mount --uts --ipc --pid --fork --mount-proc true 2>&1); then
		die "cannot create namespaces here ($err). The lab needs root on a Linux machine or VM that allows
network/mount/PID namespaces (an unprivileged container usually does not)." 6
	fi
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		die "the kernel has no overlay filesystem (needed for each host's private /var/lib)" 6
}

# Usage: pg_bin  -> the newest PostgreSQL bin directory
pg_bin() {
	local d
	d=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
	[[ -n $d ]] && dirname "$d"
}

# Usage: proc_stat PID  -> sets STAT to the fields of /proc/PID/stat after the command name
# (bash builtins only: down and the wait loop call this for hundreds of PIDs)
proc_stat() {
	STAT=
	[[ -r /proc/$1/stat ]] || return 1
	read -r STAT 2>/dev/null <"/proc/$1/stat" || return 1
	STAT=${STAT##*) }
}

# Usage: proc_start PID  -> sets REPLY to the process's start time (to tell it from a later process
# that got the same PID)
proc_start() {
	local f
	REPLY=
	proc_stat "$1" || return 1
	read -ra f <<<"$STAT"
	REPLY=${f[19]}
}

# Usage: proc_gone PID  -> true if PID has exited (a zombie waiting for its parent counts as exited)
proc_gone() {
	proc_stat "$1" || return 0
	[[ ${STAT:0:1} == Z ]]
}

# Usage: pid_alive PID START  -> true if PID is still the process that was recorded
pid_alive() {
	[[ -n $1 ]] && proc_start "$1" && [[ $REPLY == "$2" ]] && ! proc_gone "$1"
}

# Usage: wait_gone SECONDS PID...  -> wait until every PID has exited
wait_gone() {
	local deadline=$((SECONDS + $1)) p
	shift
	for p in "$@"; do
		while ! proc_gone "$p"; do
			((SECONDS < deadline)) || return 1
			sleep 0.02
		done
	done
}

# Usage: netns_pids  -> "NETNS PID" for every process inside one of this lab's network namespaces
# (one pass over /proc for all of them, where `ip netns pids` would scan /proc once per namespace)
netns_pids() {
	{
		our_netns | sed 's|^|/run/netns/|' | xargs -r stat -L -c 'NS %i %n'
		stat -L -c 'P %i %n' /proc/[0-9]*/ns/net 2>/dev/null
	} | awk '$1 == "NS" { n = $3; sub(/.*\//, "", n); ns[$2] = n }
		$1 == "P" && ($2 in ns) { split($3, a, "/"); print ns[$2], a[3] }'
}

# Usage: lab_hosts  -> "HOST ROLE ADDR" lines of the running (or half-built) lab
lab_hosts() {
	[[ -f $STATE/hosts.list ]] && cat "$STATE/hosts.list"
}

# Usage: host_line HOST  -> that host's "HOST ROLE ADDR" line, or die
host_line() {
	local line
	line=$(awk -v h="$1" '$1 == h' "$STATE/hosts.list" 2>/dev/null)
	[[ -n $line ]] || die "no host '$1' in lab '$NAME' (hosts: $(lab_hosts | awk '{printf "%s ", $1}'))" 2
	echo "$line"
}

# Usage: init_pid HOST  -> root-namespace PID of the host's PID 1, if it is alive
init_pid() {
	local pid start
	[[ -f $STATE/pids/$1.boot ]] && { real_init_pid "$1"; return; }
	[[ -f $STATE/pids/$1.init ]] || return 1
	read -r pid start <"$STATE/pids/$1.init" || return 1
	pid_alive "$pid" "$start" && echo "$pid"
}

# Usage: is_running  -> true if lab NAME is up and every host's PID 1 is alive
is_running() {
	local h _r _a
	[[ -f $STATE/up.done ]] || return 1
	while read -r h _r _a; do
		init_pid "$h" >/dev/null || return 1
	done < <(lab_hosts)
}

# Usage: our_netns  -> the network namespaces of lab NAME that exist (by exact name pattern)
our_netns() {
	ip netns list 2>/dev/null | awk '{print $1}' |
		grep -E "^${NS_PREFIX}(hub|dns-old[12]|dns-alt|db|app[0-9]+|light[0-9]+|infra|$(real_profiles | paste -sd '|'))\$"
}

# Usage: take_lock FILE  -> hold an exclusive lock on FILE (fd 9) for the rest of this process
take_lock() {
	mkdir -p "$RUN_ROOT"
	exec 9>"$1"
	flock -n 9 && return 0
	say "waiting for another lab.sh working on lab '$NAME' (lock $1)"
	flock -w 120 9 || die "another lab.sh is still working on lab '$NAME' after 120 s (lock $1)" 7
}

# Usage: subnet_taken X  -> true if 10.213.X.0/24 is in use in the root namespace or by another lab
subnet_taken() {
	ip -4 route show to match "$LAB_NET_PREFIX.$1.1" | grep -qv '^default' && return 0
	ip -4 -o addr show | grep -q " $LAB_NET_PREFIX\.$1\." && return 0
	grep -qsx "$1" "$RUN_ROOT"/*/subnet
}

# Usage: choose_subnet  -> print the X for this instance (see addresses.sh)
choose_subnet() {
	local x tries=0
	x=$(lab_subnet_default "$NAME")
	while subnet_taken "$x"; do
		x=$(lab_subnet_next "$x")
		((++tries < 200)) || die "no free $LAB_NET_PREFIX.X.0/24 for lab '$NAME': every one is routed on this machine
already (ip route; a wider route such as 10.0.0.0/8 covers them all) or used by another lab" 8
	done
	echo "$x"
}

# Usage: lab.sh deps [PACKAGE...]
#   Install the Debian packages the lab needs, and the PACKAGEs given (demo.sh and test.sh name
#   their own: one install path). apt-get runs only when something is missing; its output goes to
#   /var/log/cutover-lab-apt.log, shown (its tail) only if the install fails. Daemons are not
#   started by the packages' install scripts: the lab starts its own.
cmd_deps() {
	wants_help "$@" && { usage_of deps; return; }
	need_root
	local p missing=() policy=/usr/sbin/policy-rc.d made_policy='' log=/var/log/cutover-lab-apt.log t0=$EPOCHREALTIME
	for p in $PACKAGES "$@"; do
		[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
	done
	if ((${#missing[@]} == 0)); then
		echo "lab.sh: all packages are installed"
		return 0
	fi
	say "installing ${#missing[@]} Debian packages (${missing[*]}); apt's output goes to $log"
	if [[ ! -e $policy ]]; then
		# Debian's way to keep install scripts from starting named/postgres/pgbouncer in the root namespace
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	{
		apt-get -o DPkg::Lock::Timeout=300 update &&
			apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
	} >>"$log" 2>&1
	local rc=$?
	[[ -n $made_policy ]] && rm -f "$policy"
	if ((rc != 0)); then
		tail -n 25 "$log" >&2
		die "apt-get install failed (exit $rc); the whole output is in $log" 5
	fi
	say "installed ${#missing[@]} packages in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
}

# Usage: write_env X NAPP NLIGHT REAL  -> STATE/lab.env, the facts every host-init reads
write_env() {
	cat >"$STATE/lab.env" <<-EOF
	LAB_NAME=$NAME
	LAB_X=$1
	LAB_APPS=$2
	LAB_LIGHTS=$3
	LAB_REAL=$4
	LAB_INFRA_ADDR=$(lab_addr "$1" infra)
	LAB_REAL_CACHE=$REAL_CACHE
	LAB_DHCP_RENEW_S=$LAB_DHCP_RENEW_S
	LAB_SUBNET=$LAB_NET_PREFIX.$1.0/24
	LAB_ROOT_ADDR=$(lab_addr "$1" root)
	LAB_DNS_OLD1=$(lab_addr "$1" dns-old1)
	LAB_DNS_OLD2=$(lab_addr "$1" dns-old2)
	LAB_DNS_ALT=$(lab_addr "$1" dns-alt)
	LAB_DB_ADDR=$(lab_addr "$1" db)
	LAB_RUN_ROOT=$RUN_ROOT
	LAB_PG_BIN=$(pg_bin)
	LAB_ZONE=$ZONE
	LAB_PGB_PORT=$PGB_PORT
	LAB_APP_DB=appdb
	LAB_APP_USER=app
	LAB_APP_PASSWORD=app-lab-pw
	LAB_ADMIN_USER=pgbadmin
	LAB_ADMIN_PASSWORD=pgbadmin-lab-pw
	LAB_PROBE_DB=probe
	LAB_PROBE_HOST=xaxa-probe.$ZONE
	LAB_CHECK_DB=resolvercheck
	LAB_CHECK_HOST=xaxa-check.$ZONE
	EOF
}

# Usage: write_shared  -> files all hosts copy: the pristine /etc/bind, root's key, the zone's records
write_shared() {
	local sh=$STATE/shared h r a
	mkdir -p "$sh" "$STATE/ssh" "$STATE/pids" "$STATE/logs" "$STATE/hosts"
	chmod 700 "$STATE/ssh"
	cp -a /etc/bind "$sh/etc-bind" || die "cannot copy /etc/bind"
	# the hosts' "before" state is /etc/bind as Debian ships it: warn if this machine's differs
	if ! dpkg-query -W -f='${Conffiles}\n' bind9 | awk '$1 ~ /^\/etc\/bind\// {print $2 "  " $1}' |
		md5sum --quiet -c - >/dev/null 2>&1; then
		say "warning: this machine's /etc/bind differs from Debian's; hosts get a copy of it as it is"
	fi
	ssh-keygen -q -t ed25519 -N '' -C "cutover-lab-$NAME" -f "$STATE/ssh/id_ed25519" || die "ssh-keygen failed"
	cp "$STATE/ssh/id_ed25519.pub" "$sh/authorized_keys"
	while read -r h r a; do
		[[ $h == root ]] || printf '%s IN A %s\n' "$h" "$a"
		# the web backend's names (lab/services/web-backend.sh), in DNS only, not in the host's /etc/hosts:
		# one per proxy, so that each proxy's lookup is its own in a capture
		[[ $r != app ]] || printf '%s-web IN A %s\n%s-hap IN A %s\n' "$h" "$a" "$h" "$a"
	done < <(lab_hosts) >"$sh/zone-records"
	# shellcheck source=/dev/null
	. "$STATE/lab.env"
	((LAB_REAL)) && real_dhcp_config >"$sh/dnsmasq.conf"
	return 0
}

# Usage: plan_hosts X NAPP NLIGHT REAL  -> STATE/hosts.list
plan_hosts() {
	local i h
	{
		echo "dns-old1 dns $(lab_addr "$1" dns-old1)"
		echo "dns-old2 dns $(lab_addr "$1" dns-old2)"
		echo "dns-alt dns $(lab_addr "$1" dns-alt)"
		echo "db db $(lab_addr "$1" db)"
		for ((i = 1; i <= $2; i++)); do echo "app$i app $(lab_addr "$1" "app$i")"; done
		for ((i = 1; i <= $3; i++)); do echo "light$i light $(lab_addr "$1" "light$i")"; done
		if (($4)); then
			echo "infra infra $(lab_addr "$1" infra)"
			for h in $(real_profiles); do echo "$h real $(lab_addr "$1" "$h")"; done
		fi
	} >"$STATE/hosts.list"
}

# Usage: ns_hosts  -> the "HOST ROLE ADDR" lines of the namespace hosts (every host but the real ones)
ns_hosts() {
	lab_hosts | awk '$2 != "real"'
}

# Usage: real_hosts  -> the "HOST ROLE ADDR" lines of the real (systemd-booted) hosts
real_hosts() {
	lab_hosts | awk '$2 == "real"'
}

# Usage: build_network X  -> the hub (bridge), the root namespace's veth, one veth per host
build_network() {
	local x=$1 h r a o
	{
		echo "netns add $HUB"
		while read -r h r a; do echo "netns add $NS_PREFIX$h"; done < <(lab_hosts)
	} | ip -batch - || die "cannot create network namespaces"
	ip link add "$ROOT_IF" address "$(lab_mac "$x" 254)" type veth peer name up0 netns "$HUB" ||
		die "cannot create veth $ROOT_IF"
	sysctl -qw "net.ipv6.conf.$ROOT_IF.disable_ipv6=1" 2>/dev/null
	if ! ip addr add "$(lab_addr "$x" root)/24" dev "$ROOT_IF" || ! ip link set "$ROOT_IF" up; then
		die "cannot configure $ROOT_IF"
	fi
	{
		echo "link add br0 type bridge"
		echo "link set up0 master br0 up"
		while read -r h r a; do
			o=${a##*.}
			echo "link add p$o type veth peer name eth0 netns $NS_PREFIX$h address $(lab_mac "$x" "$o")"
			echo "link set p$o master br0 up"
		done < <(lab_hosts)
		echo "link set br0 up"
	} | ip -n "$HUB" -batch - || die "cannot build the lab's bridge"
	for a in all default; do ip netns exec "$HUB" sysctl -qw "net.ipv6.conf.$a.disable_ipv6=1"; done
}

# Usage: start_host HOST ROLE ADDR  -> start the host's PID 1 in the background, record its PID
start_host() {
	[[ $2 == real ]] && { real_start_host "$1"; return; }
	setsid ip netns exec "$NS_PREFIX$1" \
		unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private -- \
		/bin/sh "$LAB_DIR/host-init.sh" "$STATE" "$2" "$1" "$3" \
		</dev/null >"$STATE/logs/$1.log" 2>&1 8>&- 9>&- &
	proc_start $!
	echo "$! $REPLY" >"$STATE/pids/$1.unshare"
}

# Usage: record_init HOST  -> find and record the host's PID 1 (the child of its unshare)
record_init() {
	local upid ustart child
	[[ -f $STATE/pids/$1.init || -f $STATE/pids/$1.boot ]] && return 0
	read -r upid ustart <"$STATE/pids/$1.unshare" || return 1
	pid_alive "$upid" "$ustart" || return 1
	# the children file has no trailing newline (read fails but fills child)
	child=
	read -r child _ 2>/dev/null <"/proc/$upid/task/$upid/children"
	[[ -n $child ]] && proc_start "$child" || return 1
	echo "$child $REPLY" >"$STATE/pids/$1.init"
}

# Usage: wait_ready TIMEOUT  -> wait until every host printed READY; fail on FAILED or a dead host
wait_ready() {
	local deadline=$((SECONDS + $1)) total f h r a upid ustart checked=-1 pending
	local -A ready=()
	total=$(ns_hosts | wc -l)
	while :; do
		while read -r f; do
			f=${f##*/}
			ready[${f%.log}]=1
		done < <(grep -lx READY "$STATE"/logs/*.log 2>/dev/null)
		((${#ready[@]} == total)) && return 0
		f=$(grep -l '^FAILED' "$STATE"/logs/*.log 2>/dev/null | head -n 1)
		if [[ -z $f && $SECONDS != "$checked" ]]; then
			# once a second: a host whose unshare ended without READY died before printing FAILED
			checked=$SECONDS
			while read -r h r a; do
				[[ -n ${ready[$h]:-} ]] && continue
				read -r upid ustart <"$STATE/pids/$h.unshare" && pid_alive "$upid" "$ustart" && continue
				grep -qx READY "$STATE/logs/$h.log" || { f=$STATE/logs/$h.log; break; }
			done < <(ns_hosts)
		fi
		if [[ -n $f ]]; then
			h=${f##*/}
			say "host ${h%.log} failed to start; its log ($f):"
			sed 's/^/    /' "$f" >&2
			return 1
		fi
		if ((SECONDS >= deadline)); then
			pending=$(ns_hosts | while read -r h r a; do [[ -n ${ready[$h]:-} ]] || echo "$h"; done)
			say "timed out after $1 s waiting for: $(echo "$pending" | head -n 20 | tr '\n' ' ')"
			for h in $(echo "$pending" | head -n 3); do sed "s/^/    $h: /" "$STATE/logs/$h.log" >&2; done
			return 1
		fi
		sleep 0.1
	done
}

# Usage: inventory_pgbouncer_vars  -> the vars of a group whose hosts run the lab's pgbouncer
inventory_pgbouncer_vars() {
	echo "        pgbouncer_port: $PGB_PORT"
	echo "        pgbouncer_app_db: $LAB_APP_DB"
	echo "        pgbouncer_probe_db: $LAB_PROBE_DB"
	echo "        pgbouncer_probe_host: $LAB_PROBE_HOST"
	echo "        pgbouncer_probe_user: $LAB_APP_USER"
	echo "        pgbouncer_probe_password: $LAB_APP_PASSWORD"
	echo "        pgbouncer_admin_user: $LAB_ADMIN_USER"
	echo "        pgbouncer_admin_password: $LAB_ADMIN_PASSWORD"
	echo "        pgbouncer_ini: /etc/pgbouncer/pgbouncer.ini"
	echo "        pgbouncer_pidfile: /var/run/postgresql/pgbouncer.pid"
}

# Usage: inventory_real_group  -> the group `real`: one host per profile, with what the profile is
inventory_real_group() {
	local h a
	echo "    real:"
	echo "      vars:"
	inventory_pgbouncer_vars
	echo "        # a non-root user with passwordless sudo and the lab's key, for become tests"
	echo "        lab_sudo_user: deploy"
	echo "      hosts:"
	while read -r h _ a; do
		printf '        %s:\n          ansible_host: %s\n          lab_release: %s\n          lab_resolv_owner: %s\n' \
			"$h" "$a" "$(real_profile_field "$h" 2)" "$(real_profile_field "$h" 3)"
	done < <(real_hosts)
}

# Usage: write_access  -> known_hosts (the hosts' real keys, by address) and the Ansible inventory
write_access() {
	local h r a key x
	x=$(cat "$STATE/subnet")
	while read -r h r a; do
		case $r in
			app | light) read -r key <"$STATE/hosts/$h/etc/ssh/ssh_host_ed25519_key.pub" ;;
			real) read -r key <"$STATE/real/$h/ssh_host_ed25519_key.pub" ;;
			*) continue ;;
		esac || die "no host key for $h"
		echo "$a ${key% *}"
	done < <(lab_hosts) >"$STATE/known_hosts"
	# shellcheck source=/dev/null
	. "$STATE/lab.env"
	{
		echo "# Ansible YAML inventory of lab '$NAME' ($LAB_SUBNET), written by lab/lab.sh up."
		echo "# Usable as-is by cutover and ansible. Removed by lab/lab.sh down."
		echo "all:"
		echo "  vars:"
		echo "    ansible_user: root"
		echo "    ansible_ssh_private_key_file: $STATE/ssh/id_ed25519"
		echo "    ansible_ssh_common_args: \"-o UserKnownHostsFile=$STATE/known_hosts -o StrictHostKeyChecking=yes\""
		echo "    cutover_known_hosts: $STATE/known_hosts"
		echo "    cutover_alt_forwarders: [$LAB_DNS_ALT]"
		echo "    cutover_old_nameservers: [$LAB_DNS_OLD1, $LAB_DNS_OLD2]"
		echo "    lab_zone: $ZONE"
		echo "    lab_instance: $NAME"
		echo "    lab_subnet: $LAB_SUBNET"
		echo "    lab_db_address: $LAB_DB_ADDR"
		echo "    # The lab's resolvers serve an unsigned lab.test under a fake root: a BIND forwarding to them"
		echo "    # with Debian's dnssec-validation auto answers SERVFAIL (validate-except { $ZONE; } works too)."
		echo "    bind_dnssec_validation: \"no\""
		echo "  children:"
		echo "    app:"
		echo "      vars:"
		inventory_pgbouncer_vars
		for r in app light; do
			if [[ $r == light ]]; then
				# light hosts run no pgbouncer: nothing to refresh, and the proof's lookup goes through libc
				printf '    light:\n      vars:\n        refresh_processes: []\n        trigger_via: getent\n'
			fi
			if ! grep -q " $r " "$STATE/hosts.list"; then echo "      hosts: {}"; continue; fi
			echo "      hosts:"
			while read -r h _ a; do
				printf '        %s:\n          ansible_host: %s\n' "$h" "$a"
			done < <(awk -v r="$r" '$2 == r' "$STATE/hosts.list")
		done
		((LAB_REAL)) && inventory_real_group
	} >"$STATE/inventory.yml"
	while read -r h r a; do
		[[ $r == app || $r == light || $r == real ]] || continue
		printf 'Host %s\n  HostName %s\n' "$h" "$a"
	done < <(lab_hosts) >"$STATE/ssh_config"
	printf 'Host *\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n' \
		"$STATE/ssh/id_ed25519" "$STATE/known_hosts" >>"$STATE/ssh_config"
}

# Usage: lab.sh up [--hosts N] [--light N] [--real]
#   Start lab CUTOVER_LAB (default "lab"): dns-old1, dns-old2, dns-alt, db, N full app hosts
#   (default 3, at most 30) and N light hosts (default 0, at most 200). Idempotent: if that lab
#   is already running it is reported, not rebuilt; remains of a crashed one are removed first.
#   --real adds the real hosts (inventory group `real`), full Debian systems booted with systemd:
#   bullseye-dhclient, bookworm-nm, bookworm-resolvconf, trixie-resolved, trixie-plain, and
#   infra (their DHCP server and package repository). Their roots are built from Debian's archive
#   on first use (a few minutes) and cached in /var/cache/cutover-lab (CUTOVER_LAB_CACHE).
#   Env: LAB_KEEP_ON_FAILURE=1 leaves a failed lab in place for debugging (then: lab.sh down).
cmd_up() {
	wants_help "$@" && { usage_of up; return; }
	local napp=3 nlight=0 real=0 t0=$EPOCHREALTIME x
	while (($#)); do
		case $1 in
			--hosts) napp=${2:-}; shift 2 || die "--hosts needs a number" 2 ;;
			--light) nlight=${2:-}; shift 2 || die "--light needs a number" 2 ;;
			--real) real=1; shift ;;
			*) die "up: unknown argument '$1' (see: lab.sh up --help)" 2 ;;
		esac
	done
	[[ $napp =~ ^[0-9]+$ ]] || die "--hosts must be a number 0..$LAB_APP_MAX" 2
	[[ $nlight =~ ^[0-9]+$ ]] || die "--light must be a number 0..$LAB_LIGHT_MAX" 2
	((napp <= LAB_APP_MAX)) || die "--hosts: at most $LAB_APP_MAX app hosts fit the address plan (addresses.sh)" 2
	((nlight <= LAB_LIGHT_MAX)) || die "--light: at most $LAB_LIGHT_MAX light hosts fit the address plan (addresses.sh)" 2
	need_root
	# shellcheck disable=SC2086 # a list of command:package words
	if ((real)); then need_commands $REAL_COMMANDS; else need_commands; fi
	need_namespaces
	take_lock "$RUN_ROOT/.$NAME.lock"
	if is_running; then
		# shellcheck source=/dev/null
		. "$STATE/lab.env"
		if ((LAB_APPS != napp || LAB_LIGHTS != nlight || ${LAB_REAL:-0} != real)); then
			die "lab '$NAME' is already running with $LAB_APPS app + $LAB_LIGHTS light hosts$( ((${LAB_REAL:-0})) && echo " + the real hosts"); to change it: $0 down, then up" 3
		fi
		say "lab '$NAME' is already running ($LAB_APPS app + $LAB_LIGHTS light hosts$( ((real)) && echo " + the real hosts") in $LAB_SUBNET)"
		echo "$STATE/inventory.yml"
		return 0
	fi
	if [[ -e $STATE ]] || [[ -n $(our_netns) ]] || ip link show "$ROOT_IF" >/dev/null 2>&1; then
		say "found remains of an earlier lab '$NAME' (crashed or half-built): removing them first"
		do_down
	fi
	# the real hosts' roots first (minutes on a fresh machine, then cached): nothing is built yet if
	# one fails
	((real)) && { real_build_roots || exit 5; real_host_limits; }
	trap 'say "interrupted: tearing down"; do_down; exit 130' INT TERM
	mkdir -p "$STATE"
	(
		mkdir -p /run/lock && exec 8>/run/lock/cutover-lab-subnets.lock && flock -w 30 8 || die "subnet lock busy" 7
		x=$(choose_subnet) || exit 1
		echo "$x" >"$STATE/subnet"
		plan_hosts "$x" "$napp" "$nlight" "$real"
		build_network "$x"
	) || fail_up
	x=$(cat "$STATE/subnet")
	write_env "$x" "$napp" "$nlight" "$real"
	write_shared
	local h r a
	while read -r h r a; do start_host "$h" "$r" "$a" || fail_up; done < <(ns_hosts)
	wait_ready $((60 + (napp + nlight) / 2)) || fail_up
	while read -r h r a; do
		record_init "$h" || { say "cannot find the PID 1 of host $h"; fail_up; }
	done < <(ns_hosts)
	# the real hosts boot once infra answers: their DHCP client and apt need it from the first second
	# (a CI run saw bullseye-dhclient's boot wait a minute for a lease)
	if ((real)); then
		while read -r h r a; do start_host "$h" "$r" "$a" || fail_up; done < <(real_hosts)
		real_wait_all 180 || fail_up
	fi
	write_access
	: >"$STATE/up.done"
	trap - INT TERM
	local secs
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
	cat >&2 <<-EOF
	lab.sh: lab '$NAME' is up in ${secs}s: $napp app + $nlight light hosts$( ((real)) && printf ' + %s real hosts (%s), infra' "$(real_profiles | wc -l)" "$(real_profiles | paste -sd ' ')"), dns-old1/2, dns-alt, db in $LAB_NET_PREFIX.$x.0/24
	  inventory (Ansible YAML, for cutover and ansible): $STATE/inventory.yml
	  log in:     $0 ssh app1            (or without SSH: $0 exec app1 CMD)
	  by hand:    ssh -F $STATE/ssh_config app1
	              (= ssh -i $STATE/ssh/id_ed25519 -o UserKnownHostsFile=$STATE/known_hosts root@$(lab_addr "$x" app1))
	  ansible:    ansible -i $STATE/inventory.yml all -m ping
	  stop:       $0 down               (this lab: CUTOVER_LAB=$NAME)
	EOF
	echo "$STATE/inventory.yml"
}

# Usage: fail_up  -> up failed: tear down (unless LAB_KEEP_ON_FAILURE=1) and exit 1
fail_up() {
	local h r a
	# record what started, so that status and down see it by PID
	while read -r h r a; do record_init "$h"; done < <(lab_hosts)
	if [[ ${LAB_KEEP_ON_FAILURE:-} == 1 ]]; then
		die "up failed; lab left in place for debugging ($STATE/logs/); remove it with: $0 down"
	fi
	say "up failed: removing what it built"
	do_down >/dev/null 2>&1
	die "up failed (see the messages above)"
}

# Usage: do_down  -> remove every trace of lab NAME: processes (by PID), namespaces, veth, state
do_down() {
	local pids=() f p start mnt
	# 0. the real hosts: everything in their cgroups (the guests, their nspawn and boot.sh)
	real_kill_all
	# 1. the PIDs up recorded: each host's PID 1 (killing it ends its whole PID namespace) and the
	#    unshare that started it
	for f in "$STATE"/pids/*.init "$STATE"/pids/*.unshare; do
		[[ -f $f ]] && read -r p start <"$f" && pid_alive "$p" "$start" && pids+=("$p")
	done
	((${#pids[@]})) && kill -KILL "${pids[@]}" 2>/dev/null
	wait_gone 10 "${pids[@]}"
	# 2. safety net after a crash before PIDs were recorded: whatever still runs inside this lab's
	#    own network namespaces was started by this lab (or by a session into one of its hosts)
	mapfile -t pids < <(netns_pids | awk '{ print $2 }')
	if ((${#pids[@]})); then
		say "ending ${#pids[@]} unrecorded processes inside lab '$NAME': ${pids[*]}"
		kill -KILL "${pids[@]}" 2>/dev/null
		wait_gone 10 "${pids[@]}"
	fi
	our_netns | sed 's/^/netns del /' | ip -batch - 2>/dev/null
	ip link show "$ROOT_IF" >/dev/null 2>&1 && ip link del "$ROOT_IF"
	# the lab mounts nothing in the root namespace; if something is mounted under its state, unmount it
	while read -r mnt; do umount -l "$mnt" 2>/dev/null; done < <(
		awk -v s="$STATE/" 'index($5 "/", s) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	rm -rf "$STATE"
	[[ -z $(our_netns) ]] || die "could not delete: $(our_netns | tr '\n' ' ')"
}

# Usage: lab.sh down
#   Stop lab CUTOVER_LAB and remove everything `up` made (processes by recorded PID, namespaces,
#   veths, mounts, lab/run/NAME), also after an `up` that crashed halfway.
cmd_down() {
	wants_help "$@" && { usage_of down; return; }
	need_root
	take_lock "$RUN_ROOT/.$NAME.lock"
	local t0=$EPOCHREALTIME n=0
	[[ -f $STATE/hosts.list ]] && n=$(wc -l <"$STATE/hosts.list")
	if [[ ! -e $STATE && -z $(our_netns) ]] && ! ip link show "$ROOT_IF" >/dev/null 2>&1; then
		say "lab '$NAME' is not running; nothing to remove"
		return 0
	fi
	do_down
	say "lab '$NAME' is down ($n hosts removed in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')s)"
}

# Usage: lab.sh status
#   Show lab CUTOVER_LAB: its subnet and each host's role, address and PID 1; for a real host also
#   its Debian release, what its PID 1 is, the boot state, and who owns its resolv.conf (as found
#   on the host now).
#   Exit 0 if it is running, 3 if it is not, 1 if it is broken (a host died: run down, then up).
cmd_status() {
	wants_help "$@" && { usage_of status; return; }
	if [[ ! -f $STATE/hosts.list ]]; then
		echo "lab '$NAME': not running"
		return 3
	fi
	# shellcheck source=/dev/null
	. "$STATE/lab.env" 2>/dev/null
	local h r a pid state=running
	is_running || state=broken
	[[ -f $STATE/up.done ]] || state="starting or half-built"
	echo "lab '$NAME': $state, subnet ${LAB_SUBNET:-?}, root namespace ${LAB_ROOT_ADDR:-?} on $ROOT_IF"
	[[ -f $STATE/inventory.yml ]] && echo "inventory: $STATE/inventory.yml"
	while read -r h r a; do
		pid=$(init_pid "$h") || pid=dead
		if [[ $r == real ]]; then
			printf '%-19s %-6s %-15s %s\n' "$h" "$r" "$a" "pid1=$pid $(real_status_line "$h")"
		else
			printf '%-19s %-6s %-15s %s\n' "$h" "$r" "$a" "pid1=$pid"
		fi
	done < <(lab_hosts)
	[[ $state == running ]] || return 1
}

# Usage: lab.sh inventory
#   Print the path of the Ansible inventory that `up` wrote for lab CUTOVER_LAB.
cmd_inventory() {
	wants_help "$@" && { usage_of inventory; return; }
	[[ -f $STATE/inventory.yml ]] || die "lab '$NAME' is not up (no $STATE/inventory.yml): run $0 up" 3
	echo "$STATE/inventory.yml"
}

# Usage: lab.sh ssh HOST [CMD...]
#   SSH as root into an app, light or real host with the lab's key and strict known_hosts.
#   (Real hosts also let the sudo user `deploy` in with the same key.)
cmd_ssh() {
	wants_help "${1:-}" && { usage_of ssh; return; }
	(($#)) || die "usage: lab.sh ssh HOST [CMD...]" 2
	local h r a
	read -r h r a < <(host_line "$1") || exit 2
	shift
	[[ $r == app || $r == light || $r == real ]] || die "$h runs no sshd (use: $0 exec $h CMD...)" 2
	[[ -f $STATE/known_hosts ]] || die "lab '$NAME' is not up: run $0 up" 3
	exec ssh -i "$STATE/ssh/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$STATE/known_hosts" \
		-o StrictHostKeyChecking=yes -o LogLevel=ERROR "root@$a" "$@"
}

# Usage: lab.sh exec HOST [CMD...]
#   Run CMD (default: a login shell) inside HOST's namespaces, without SSH (nsenter into its PID 1).
#   Works for every host, also dns-old1, dns-old2, dns-alt and db.
cmd_exec() {
	wants_help "${1:-}" && { usage_of exec; return; }
	(($#)) || die "usage: lab.sh exec HOST [CMD...]" 2
	need_root
	local h pid
	h=$(host_line "$1" | awk '{print $1}') || exit 2
	shift
	pid=$(init_pid "$h") || die "host $h is not running (lab '$NAME': $0 status)" 3
	(($#)) || set -- bash -l
	# a real host's own cgroup namespace too (nsenter -a): systemctl inside then sees its services
	[[ -f $STATE/pids/$h.boot ]] && exec nsenter -t "$pid" -a -- env -i HOME=/root TERM="${TERM:-dumb}" \
		LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd /root && exec "$@"' lab-exec "$@"
	exec nsenter -t "$pid" -m -u -i -n -p -- env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'cd /root && exec "$@"' lab-exec "$@"
}

# Usage: lab.sh pids
#   Print, per host, its PID 1 and every process inside it (root-namespace PIDs).
cmd_pids() {
	wants_help "$@" && { usage_of pids; return; }
	need_root
	local h r a pid all
	all=$(netns_pids)
	while read -r h r a; do
		pid=$(init_pid "$h") || pid=dead
		echo "$h pid1=$pid $(awk -v n="$NS_PREFIX$h" '$1 == n { print $2 }' <<<"$all" | sort -n | tr '\n' ' ')"
	done < <(lab_hosts)
}

# Usage: lab.sh reboot HOST [--timeout S]
#   Reboot a real host for real: `systemctl reboot` inside it, systemd stops every service, the
#   host boots again from its own overlay (what is not enabled does not come back). Returns once
#   its sshd answers a login (default timeout 120 s) and prints the reboot's duration.
cmd_reboot() {
	wants_help "$@" && { usage_of reboot; return; }
	(($#)) || die "usage: lab.sh reboot HOST [--timeout S]" 2
	need_root
	local h r a timeout=120
	read -r h r a < <(host_line "$1") || exit 2
	[[ ${2:-} == --timeout ]] && timeout=${3:-}
	[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds" 2
	[[ $r == real ]] || die "$h is a namespace host, not a real one: only real hosts (lab.sh up --real) reboot" 2
	real_reboot "$h" "$a" "$timeout"
}

# Usage: lab.sh help
#   Commands: up, down, status, ssh, exec, reboot, inventory, pids, deps; `lab.sh COMMAND --help`.
#   Env: CUTOVER_LAB=NAME picks the lab instance (default "lab", [a-z0-9]{1,6}); labs with
#   different names run side by side, each in its own 10.213.X.0/24 and lab/run/NAME/.
cmd_help() {
	local c
	for c in up down status ssh exec reboot inventory pids deps help; do usage_of "$c"; done
}

# Usage: main COMMAND [ARGS...]
main() {
	CMD=${1:-help}
	(($#)) && shift
	check_name
	case $CMD in
		up | down | status | inventory | ssh | exec | reboot | pids | deps | help) "cmd_$CMD" "$@" ;;
		-h | --help) cmd_help ;;
		*) die "unknown command '$CMD' (commands: up down status ssh exec reboot inventory pids deps)" 2 ;;
	esac
}

main "$@"
