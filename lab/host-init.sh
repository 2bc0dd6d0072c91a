#!/bin/sh
# PID 1 of one lab host. lab.sh starts it as
#   ip netns exec cut<name>-<host> unshare --mount --uts --ipc --pid --fork --mount-proc \
#       --propagation private -- /bin/sh host-init.sh STATE ROLE HOST ADDR
# so it runs in the host's own network, mount, UTS, IPC and PID namespaces. It builds the host's
# private files under STATE/hosts/HOST, mounts them over the real paths (only inside this mount
# namespace: the root namespace's /etc is never touched), starts the host's daemons, prints READY
# (lab.sh waits for that line in the host's log) and then stays as the reaper of orphans.
# Killing it (SIGKILL, by PID, from `lab.sh down`) kills every process of the host.
#
# ROLE is one of: dns (dns-old1, dns-old2, dns-alt), db, app, light, infra (the real hosts' DHCP
# server and package repository; the real hosts themselves boot with systemd: lab/real.sh).
set -u

step=start
trap 'echo "FAILED: $host: $step (see above)"' EXIT

# Usage: die MESSAGE  -> print the failure and end this host (its namespaces go with it)
die() {
	echo "host-init: $host: $*" >&2
	exit 1
}

# Usage: run STEP-NAME CMD...  -> run CMD, dying with STEP-NAME if it fails
run() {
	step=$1; shift
	"$@" || die "$step failed: $*"
	read -r now _ </proc/uptime
	echo "$step done at uptime $now"
}

# Usage: wait_listen PORT-HEX SECONDS  -> wait until a TCP socket listens on that port in this netns
wait_listen() {
	i=0
	while ! grep -q ":$1 00000000:0000 0A" /proc/net/tcp; do
		i=$((i + 1))
		[ "$i" -le $(($2 * 20)) ] || return 1
		sleep 0.05
	done
}

# Usage: as_postgres CMD...  -> run CMD as the postgres user (pgbouncer and PostgreSQL refuse root)
as_postgres() {
	setpriv --reuid postgres --regid postgres --init-groups -- "$@"
}

# Usage: setup_network  -> lo and eth0 up with the host's address; no default route, no IPv6
setup_network() {
	for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do
		[ -w "$f" ] && echo 1 >"$f"
	done
	printf 'link set lo up\naddr add %s/24 dev eth0\nlink set eth0 up\n' "$addr" | ip -batch -
}

# Usage: prepare_common  -> the private files every host has
prepare_common() {
	mkdir -p "$hd/etc" "$hd/root/.ssh" "$hd/var/log" "$hd/var/cache/bind" "$hd/tmp" \
		"$hd/var/lib-upper" "$hd/var/lib-work" "$hd/etc/ssh" || return 1
	chmod 700 "$hd/root" "$hd/root/.ssh" && chmod 1777 "$hd/tmp" || return 1
	chown root:bind "$hd/var/cache/bind" && chmod 775 "$hd/var/cache/bind" || return 1
	mkdir -p "$hd/var/log/postgresql" "$hd/var/log/named" || return 1
	chown postgres:postgres "$hd/var/log/postgresql" && chown bind:bind "$hd/var/log/named" || return 1
	echo "$host" >"$hd/etc/hostname"
	printf '127.0.0.1\tlocalhost\n%s\t%s.%s %s\n' "$addr" "$host" "$LAB_ZONE" "$host" >"$hd/etc/hosts"
	cp -a "$STATE/shared/etc-bind" "$hd/etc/bind" || return 1
	# Root login by key must work even where root's password is locked ('!' in /etc/shadow):
	# sshd without PAM refuses locked accounts. A private copy fixes it for this host only.
	if grep -q '^root:!' /etc/shadow; then
		sed 's/^root:![^:]*:/root:*:/' /etc/shadow >"$hd/etc/shadow" && chmod 640 "$hd/etc/shadow" &&
			chown root:shadow "$hd/etc/shadow" || return 1
	fi
}

# Usage: prepare_ssh  -> a host key of its own, root's authorized key, a key-only sshd config
prepare_ssh() {
	cp /etc/ssh/ssh_config /etc/ssh/moduli "$hd/etc/ssh/" 2>/dev/null
	ssh-keygen -q -t ed25519 -N '' -C "root@$host" -f "$hd/etc/ssh/ssh_host_ed25519_key" || return 1
	cp "$STATE/shared/authorized_keys" "$hd/root/.ssh/authorized_keys" || return 1
	chmod 600 "$hd/root/.ssh/authorized_keys"
	cat >"$hd/etc/ssh/sshd_config" <<-EOF
	# lab host $host: root login by key only; written by lab/host-init.sh
	ListenAddress $addr
	HostKey /etc/ssh/ssh_host_ed25519_key
	PidFile /run/sshd.pid
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	UseDNS no
	PrintMotd no
	PrintLastLog no
	# the controller opens many sessions at once
	MaxStartups 200:30:400
	MaxSessions 64
	AcceptEnv LANG LC_*
	Subsystem sftp /usr/lib/openssh/sftp-server
	EOF
}

# Usage: prepare_resolv SERVER...  -> the host's /etc/resolv.conf
prepare_resolv() {
	{
		echo "# lab host $host: the company's resolvers (written by lab/host-init.sh)"
		for s in "$@"; do echo "nameserver $s"; done
	} >"$hd/etc/resolv.conf"
}

# Usage: prepare_dns  -> an upstream resolver: authoritative for lab.test and a fake root
# (so recursion never leaves the lab), recursive for the lab subnet, queries logged
prepare_dns() {
	b=$hd/etc/bind
	# shellcheck disable=SC2016 # $TTL is the zone file's, not the shell's
	{
		printf '$TTL 60\n@ IN SOA ns1.%s. hostmaster.%s. ( 1 3600 600 86400 10 )\n' "$LAB_ZONE" "$LAB_ZONE"
		printf '@ IN NS ns1.%s.\nns1 IN A %s\nwhoami IN TXT "%s"\n' "$LAB_ZONE" "$addr" "$host"
		cat "$STATE/shared/zone-records"
	} >"$b/db.$LAB_ZONE"
	# shellcheck disable=SC2016
	printf '$TTL 3600\n. IN SOA ns1.%s. hostmaster.%s. ( 1 3600 600 86400 60 )\n. IN NS ns1.%s.\nns1.%s. IN A %s\n' \
		"$LAB_ZONE" "$LAB_ZONE" "$LAB_ZONE" "$LAB_ZONE" "$addr" >"$b/db.lab-root"
	cat >"$b/named.conf" <<-EOF
	// lab upstream resolver $host ($addr); written by lab/host-init.sh
	include "/etc/bind/rndc.key";
	controls { inet 127.0.0.1 allow { 127.0.0.1; } keys { "rndc-key"; }; };
	options {
		directory "/var/cache/bind";
		pid-file "/run/named/named.pid";
		listen-on { $addr; 127.0.0.1; };
		listen-on-v6 { none; };
		recursion yes;
		allow-query { $LAB_SUBNET; 127.0.0.0/8; };
		allow-recursion { $LAB_SUBNET; 127.0.0.0/8; };
		dnssec-validation no;
		notify no;
	};
	logging {
		channel queries { file "/var/log/named/queries.log" versions 2 size 20m; print-time yes; };
		category queries { queries; };
		category lame-servers { null; };
	};
	// A fake root: names outside $LAB_ZONE get NXDOMAIN here instead of a query to the Internet.
	zone "." { type primary; file "/etc/bind/db.lab-root"; };
	zone "$LAB_ZONE" { type primary; file "/etc/bind/db.$LAB_ZONE"; };
	EOF
}

# Usage: prepare_pgbouncer  -> Debian's pgbouncer set up as in production: db by NAME, plus the probe
prepare_pgbouncer() {
	p=$hd/etc/pgbouncer
	mkdir -p "$p" || return 1
	pgbouncer_ini "$host" "$addr" lab/host-init.sh >"$p/pgbouncer.ini" || return 1
	pgbouncer_userlist >"$p/userlist.txt" || return 1
	chown postgres:postgres "$p/pgbouncer.ini" && chown root:postgres "$p/userlist.txt" &&
		chmod 640 "$p/pgbouncer.ini" "$p/userlist.txt"
}

# Usage: mount_private  -> this host's private files over the real paths, /run and /var/lib private,
# the lab's state directory hidden (a host must not see other hosts' files)
mount_private() {
	# The host's directory lives wherever the repository is, possibly under a directory this
	# function shadows (/tmp, /root, /run, /var/log...): pin it at /mnt first and use it from there.
	mount --bind "$hd" /mnt || return 1
	hd=/mnt
	# The repository stays visible at its own path (tests run its scripts inside hosts): pinned
	# at /srv for as long as the private mounts below may shadow it.
	repo=${LAB_RUN_ROOT%/lab/run}
	mount --bind "$repo" /srv || return 1
	# copies of every netns mount came with this mount namespace; drop them, or they keep
	# other hosts' network namespaces alive
	umount -l /run/netns 2>/dev/null
	mount -t tmpfs -o mode=755,size=32m tmpfs /run || return 1
	mkdir -p /run/lock /run/sshd && chmod 1777 /run/lock || return 1
	install -d -o bind -g bind -m 775 /run/named || return 1
	install -d -o postgres -g postgres -m 2775 /run/postgresql || return 1
	# where /etc/resolv.conf is a symlink (systemd-resolved, resolvconf), a bind mount lands on its
	# target; a target under /run must first exist in this host's fresh /run
	rc=$(readlink -f /etc/resolv.conf) || rc=/etc/resolv.conf
	case "$rc" in /run/*) mkdir -p "${rc%/*}" && : >"$rc" || return 1 ;; esac
	mount --bind "$hd/etc/resolv.conf" "$rc" || return 1
	for f in hosts hostname; do
		mount --bind "$hd/etc/$f" "/etc/$f" || return 1
	done
	if [ -f "$hd/etc/shadow" ]; then mount --bind "$hd/etc/shadow" /etc/shadow || return 1; fi
	for d in etc/bind etc/ssh var/cache/bind var/log root tmp; do
		mount --bind "$hd/$d" "/$d" || return 1
	done
	if [ -d "$hd/etc/pgbouncer" ]; then mount --bind "$hd/etc/pgbouncer" /etc/pgbouncer || return 1; fi
	mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$hd/var/lib-upper,workdir=$hd/var/lib-work" /var/lib ||
		return 1
	mkdir -p /var/lib/cutover || return 1
	mount -t tmpfs -o mode=1777,size=64m tmpfs /dev/shm || return 1
	if [ ! -d "$repo/lab" ]; then
		mkdir -p "$repo" && mount --bind /srv "$repo" || return 1
	fi
	# hide every host's state from this host; the build cache (programs the lab's test services
	# build once, lab/services/service-lib.sh) stays visible: it holds no host's files
	mkdir -p "/srv/lab/run/.cache" || return 1
	mount -t tmpfs -o mode=700,size=1m tmpfs "$LAB_RUN_ROOT" || return 1
	mkdir "$LAB_RUN_ROOT/.cache" && mount --bind /srv/lab/run/.cache "$LAB_RUN_ROOT/.cache" || return 1
	umount -l /srv || return 1
}

# Usage: prepare_infra  -> the DHCP server's configuration (lab.sh wrote it; it is hidden after the
# mounts, so it is copied into this host's own files now), and the lab's apt repositories served
# over HTTP on port 80, started now: the repository (REAL_CACHE/repo, lab.sh) may lie under a path
# the mounts below shadow (/tmp, /root, /run…); a server whose working directory is the repository
# and whose paths are relative keeps reading it
prepare_infra() {
	cp "$STATE/shared/dnsmasq.conf" "$hd/etc/dnsmasq.conf" || return 1
	(cd "$LAB_REAL_CACHE/repo" && exec setsid python3 -m http.server --bind "$addr" --directory . 80 \
		</dev/null >"$hd/var/log/repo-http.log" 2>&1) &
	wait_listen 0050 10
}

# Usage: start_infra  -> DHCP for the real hosts that take their address by DHCP (dnsmasq, DNS off:
# the resolvers it hands out are dns-old1/2)
start_infra() {
	dnsmasq --conf-file="$hd/etc/dnsmasq.conf"
}

# Usage: start_sshd
start_sshd() {
	/usr/sbin/sshd -E /var/log/sshd.log || return 1
	wait_listen 0016 10
}

# Usage: start_named  -> start named and wait until it answers for the zone
start_named() {
	named -u bind -c /etc/bind/named.conf || return 1
	i=0
	until dig +short +time=1 +tries=1 @127.0.0.1 "whoami.$LAB_ZONE" TXT 2>/dev/null | grep -q "$host"; do
		i=$((i + 1))
		[ "$i" -le 100 ] || return 1
		sleep 0.05
	done
}

# Usage: prepare_pgdata  -> the db host's cluster, copied from a cached template: initdb and
# CREATE DATABASE take 1-2 s, a copy 0.05 s. The template (lab/run/.cache/, kept across labs, built
# once under a lock) has the application's role and database; this lab's addresses are added here.
prepare_pgdata() {
	cache=$LAB_RUN_ROOT/.cache
	key=$(printf '%s %s %s %s' "$LAB_PG_BIN" "$LAB_APP_USER" "$LAB_APP_PASSWORD" "$LAB_APP_DB" | cksum)
	tpl=$cache/pgdata-${key%% *}
	mkdir -p "$cache" || return 1
	if [ ! -f "$tpl/ready" ]; then
		# shellcheck disable=SC2016 # expanded by the inner sh
		flock "$cache/.lock" sh -c '[ -f "$1/ready" ] && exit 0
			set -e
			rm -rf "$1"; install -d -o postgres -g postgres -m 700 "$1" "$1/data"
			setpriv --reuid postgres --regid postgres --init-groups -- "$2/initdb" -N -U postgres -A trust 				--auth-host=scram-sha-256 -D "$1/data" >/dev/null
			printf "%s\n" "CREATE ROLE $3 LOGIN PASSWORD '"'"'$4'"'"';" "CREATE DATABASE $5 OWNER $3;" |
				setpriv --reuid postgres --regid postgres --init-groups -- "$2/postgres" --single -D "$1/data" \
				postgres >/dev/null
			touch "$1/ready"' sh "$tpl" "$LAB_PG_BIN" "$LAB_APP_USER" "$LAB_APP_PASSWORD" "$LAB_APP_DB" || return 1
	fi
	# /var/lib is an overlay whose upper dir is $hd/var/lib-upper: this is /var/lib/postgresql/lab
	install -d -o postgres -g postgres -m 755 "$hd/var/lib-upper/postgresql" || return 1
	data=$hd/var/lib-upper/postgresql/lab
	cp -a "$tpl/data" "$data" || return 1
	cat >>"$data/postgresql.conf" <<-EOF
	listen_addresses = '$addr,127.0.0.1'
	unix_socket_directories = '/run/postgresql'
	max_connections = 300
	shared_buffers = 32MB
	fsync = off
	synchronous_commit = off
	full_page_writes = off
	EOF
	echo "host all all $LAB_SUBNET scram-sha-256" >>"$data/pg_hba.conf"
}

# Usage: start_postgres  -> PostgreSQL on the db host's address, data in /var/lib/postgresql/lab
start_postgres() {
	as_postgres "$LAB_PG_BIN/pg_ctl" -D /var/lib/postgresql/lab -l /var/log/postgresql/postgresql.log \
		-w -t 30 start >/dev/null
}

# Usage: start_pgbouncer  -> Debian's pgbouncer, daemonized as its init script does (-d, as postgres)
start_pgbouncer() {
	as_postgres /usr/sbin/pgbouncer -q -d /etc/pgbouncer/pgbouncer.ini || return 1
	wait_listen 1920 10
}

STATE=$1 role=$2 host=$3 addr=$4
hd=$STATE/hosts/$host
# shellcheck source=pgbouncer-conf.sh
. "${0%/*}/pgbouncer-conf.sh" || die "cannot read ${0%/*}/pgbouncer-conf.sh"
# shellcheck source=/dev/null
. "$STATE/lab.env" || die "cannot read $STATE/lab.env"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd / || die "no /"

# for tests of up's failure path
[ "${LAB_FAIL_HOST:-}" = "$host" ] && die "failing on purpose (LAB_FAIL_HOST=$host)"
run network setup_network
echo "$host" >/proc/sys/kernel/hostname
run files prepare_common
case "$role" in
	dns)
		run resolv prepare_resolv 127.0.0.1
		run named-config prepare_dns ;;
	db)
		run resolv prepare_resolv "$LAB_DNS_OLD1" "$LAB_DNS_OLD2"
		run pgdata prepare_pgdata ;;
	app)
		run resolv prepare_resolv "$LAB_DNS_OLD1" "$LAB_DNS_OLD2"
		run ssh-config prepare_ssh
		run pgbouncer-config prepare_pgbouncer ;;
	light)
		run resolv prepare_resolv "$LAB_DNS_OLD1" "$LAB_DNS_OLD2"
		run ssh-config prepare_ssh ;;
	infra)
		run resolv prepare_resolv "$LAB_DNS_OLD1" "$LAB_DNS_OLD2"
		run infra-config prepare_infra ;;
	*) die "unknown role $role" ;;
esac
run mounts mount_private
case "$role" in
	dns) run named start_named ;;
	db) run postgres start_postgres ;;
	app)
		run sshd start_sshd
		run pgbouncer start_pgbouncer ;;
	light) run sshd start_sshd ;;
	infra) run infra start_infra ;;
esac

trap - EXIT
echo READY
exec </dev/null >/dev/null 2>&1
# Stay PID 1: reap orphans (daemons and whatever SSH sessions leave behind) until killed.
while :; do
	sleep 86400 &
	wait
done
