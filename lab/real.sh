# shellcheck shell=bash
# Real hosts for the lab: full Debian systems booted with systemd as PID 1 (systemd-nspawn) inside
# network namespaces the lab made. Sourced by lab.sh; see lab/README.md ("Real hosts").
#
# A real host is
#   - a root filesystem per profile, built once from Debian's archive with mmdebstrap and cached
#     outside the repository (REAL_CACHE/roots/), read-only from then on;
#   - an overlayfs per host: lower = the cached root, upper = lab/run/NAME/real/HOST/upper, where
#     the host's own files (name, keys, network, pgbouncer.ini) are written before its first boot
#     and where everything the host changes lands — so a reboot keeps the host's changes and
#     `down` removes them;
#   - lab/real/boot.sh, which puts itself in a cgroup of the lab's own (REAL_CGROUP/NAME-HOST),
#     mounts the overlay in a private mount namespace (nothing is mounted in the machine's) and
#     runs systemd-nspawn --boot, again after each guest reboot.
# `down` kills a host with cgroup.kill (every process the host ever started, nothing else) and
# removes its cgroups; the overlay mount goes with its mount namespace.

# profile  release  resolv.conf owner  (the names are the hosts'; checks outside the tests use them)
REAL_PROFILES="bullseye-dhclient:bullseye:dhclient
bookworm-nm:bookworm:networkmanager
bookworm-resolvconf:bookworm:resolvconf
trixie-resolved:trixie:systemd-resolved
trixie-plain:trixie:none"
REAL_CACHE=${CUTOVER_LAB_CACHE:-/var/cache/cutover-lab}
# how often the DHCP client of a real host renews its lease (seconds)
LAB_DHCP_RENEW_S=10
REAL_MIRROR=${CUTOVER_LAB_MIRROR:-http://deb.debian.org/debian}
# what every real host has; BIND is added to every profile but trixie-resolved (a rollout installs it)
REAL_BASE_PACKAGES="systemd systemd-sysv dbus openssh-server sudo pgbouncer postgresql-client
bind9-dnsutils tcpdump gdb iptables nftables iproute2 procps less"
REAL_BIND_PACKAGES="bind9 bind9-utils"

# Usage: real_profile_field PROFILE N  -> field N (1 name, 2 release, 3 owner) of PROFILE, or fail
real_profile_field() {
	awk -F: -v p="$1" -v n="$2" '$1 == p { print $n; found = 1 } END { exit !found }' <<<"$REAL_PROFILES"
}

# Usage: real_profiles  -> the profile names, one per line
real_profiles() {
	cut -d: -f1 <<<"$REAL_PROFILES"
}

# Usage: real_packages PROFILE  -> the Debian packages of PROFILE's root, comma-separated
real_packages() {
	local owner pk=$REAL_BASE_PACKAGES
	owner=$(real_profile_field "$1" 3) || return 1
	[[ $1 == trixie-resolved ]] || pk="$pk $REAL_BIND_PACKAGES"
	case $owner in
		dhclient) pk="$pk ifupdown isc-dhcp-client" ;;
		networkmanager) pk="$pk network-manager" ;;
		resolvconf) pk="$pk ifupdown resolvconf" ;;
		systemd-resolved) pk="$pk systemd-resolved" ;;
	esac
	printf '%s' "$pk" | tr -s ' \n' ','
}

# Usage: real_root PROFILE  -> the cached root's directory (it exists once built): the key covers
# everything the build depends on, so changing the package list or guest-setup.sh makes a new root
real_root() {
	local key
	key=$( { real_packages "$1"; real_profile_field "$1" 2; echo "$REAL_MIRROR"; cat "$LAB_DIR/real/guest-setup.sh"; } | cksum)
	echo "$REAL_CACHE/roots/$1-${key%% *}"
}

# Usage: real_build_root PROFILE  -> build PROFILE's root unless cached (under a lock: two labs
# starting at once build it once). The .debs it downloaded are kept in REAL_CACHE/debs/RELEASE for
# the lab's package repository.
real_build_root() {
	local profile=$1 root release owner debs t0=$EPOCHREALTIME log
	root=$(real_root "$profile") || die "unknown real-host profile '$profile'" 2
	[[ -f $root/.built ]] && return 0
	release=$(real_profile_field "$profile" 2)
	owner=$(real_profile_field "$profile" 3)
	debs=$REAL_CACHE/debs/$release
	mkdir -p "$REAL_CACHE/roots" "$debs" || die "cannot create $REAL_CACHE"
	exec 7>"$REAL_CACHE/roots/.$profile.lock"
	flock -w 900 7 || die "another lab is building the $profile root for over 15 min ($REAL_CACHE/roots/.$profile.lock)" 7
	if [[ ! -f $root/.built ]]; then
		say "building the $profile root ($release, from $REAL_MIRROR; once, cached in $root)"
		rm -rf "$root" "$root.tmp"
		log=$REAL_CACHE/roots/$profile.build.log
		# shellcheck disable=SC2016 # the hooks' $1 is mmdebstrap's (the root being built)
		if ! mmdebstrap --variant=apt --mode=root --format=directory --include="$(real_packages "$profile")" \
			--aptopt='Acquire::Retries "5"' \
			--setup-hook='mkdir -p "$1/var/cache/apt/archives"; cp -a "'"$debs"'/." "$1/var/cache/apt/archives/" 2>/dev/null; true' \
			--customize-hook='cp -a "$1"/var/cache/apt/archives/*.deb "'"$debs"'/"' \
			--customize-hook='chroot "$1" /bin/sh -s "'"$profile"'" "'"$owner"'" <"'"$LAB_DIR"'/real/guest-setup.sh"' \
			"$release" "$root.tmp" "$REAL_MIRROR" >"$log" 2>&1; then
			tail -n 20 "$log" >&2
			rm -rf "$root.tmp"
			die "building the $profile root failed (log: $log)" 5
		fi
		{ mv "$root.tmp" "$root" && touch "$root/.built"; } || die "cannot finish $root"
		real_prune_roots "$profile" "$root"
		say "built the $profile root in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s ($(du -sm "$root" | cut -f1) MB)"
		real_build_repo "$release"
	fi
	exec 7>&-
}

# Usage: real_prune_roots PROFILE KEEP  -> remove PROFILE's roots built from other inputs (stale),
# except one a booted host still has as its overlay's lower layer (in any mount namespace)
real_prune_roots() {
	local stale
	for stale in "$REAL_CACHE/roots/$1"-*; do
		[[ -d $stale && $stale != "$2" && $stale != *.tmp ]] || continue
		grep -qsF "lowerdir=$stale," /proc/[0-9]*/mountinfo && continue
		rm -rf "$stale"
	done
}

# Usage: real_build_repo RELEASE  -> REAL_CACHE/repo/RELEASE: a flat apt repository of every .deb
# the RELEASE roots were built from (bind9 and what it needs among them), which the lab's infra host
# serves over HTTP to the real hosts
real_build_repo() {
	local repo=$REAL_CACHE/repo/$1
	mkdir -p "$REAL_CACHE/repo" || return 1
	(
		flock -w 300 6 || exit 1
		rm -rf "$repo.tmp" && cp -al "$REAL_CACHE/debs/$1" "$repo.tmp" &&
			(cd "$repo.tmp" && apt-ftparchive packages . >Packages) &&
			rm -rf "$repo" && mv "$repo.tmp" "$repo"
	) 6>"$REAL_CACHE/repo/.$1.lock" || die "cannot build the lab's package repository $repo (apt-ftparchive)" 5
}

# Usage: real_cgroup_dirs HOST  -> the host's cgroup directories, one per hierarchy: the unified
# (cgroup2) one, and on a hybrid machine also the legacy name=systemd one, which systemd in the guest
# and nspawn expect to find their cgroup in
real_cgroup_dirs() {
	local base
	for base in /sys/fs/cgroup/unified /sys/fs/cgroup; do
		if [[ $(stat -fc %T "$base" 2>/dev/null) == cgroup2fs ]]; then
			echo "$base/cutover-lab/$NAME-$1"
			break
		fi
	done
	[[ $(stat -fc %T /sys/fs/cgroup/systemd 2>/dev/null) == cgroupfs ]] &&
		echo "/sys/fs/cgroup/systemd/cutover-lab/$NAME-$1"
	return 0
}

# Usage: real_init_pid HOST  -> root-namespace PID of the guest's systemd (PID 1 of its PID
# namespace), found in the host's cgroup; fails while the host is not booted
real_init_pid() {
	local cg p ns
	cg=$(real_cgroup_dirs "$1" | head -n 1)
	[[ -d $cg/payload ]] || return 1
	while read -r p; do
		ns=$(awk '$1 == "NSpid:" { print $NF }' "/proc/$p/status" 2>/dev/null)
		[[ $ns == 1 ]] && { echo "$p"; return 0; }
	done < <(cat "$cg/payload/cgroup.procs" "$cg/payload/init.scope/cgroup.procs" 2>/dev/null)
	return 1
}

# Usage: real_in HOST CMD...  -> run CMD inside the booted host (all its namespaces), no SSH
real_in() {
	local pid
	pid=$(real_init_pid "$1") || return 1
	shift
	nsenter -t "$pid" -a -- env -i HOME=/root LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# Usage: upper_install MODE OWNER REL  -> stdin becomes the file REL of the host's overlay (upper
# dir in $up); directories on the way get the lower root's owner and mode, as overlayfs shows the
# upper directory's own
upper_install() {
	local mode=$1 owner=$2 rel=$3 d=""
	local part
	local -a parts
	IFS=/ read -ra parts <<<"${rel%/*}"
	for part in "${parts[@]}"; do
		d=$d/$part
		[[ -d $up$d ]] && continue
		if [[ -d $lower$d ]]; then
			install -d -m "$(stat -c %a "$lower$d")" -o "$(stat -c %u "$lower$d")" -g "$(stat -c %g "$lower$d")" "$up$d"
		else
			install -d -m 755 "$up$d"
		fi || return 1
	done
	install -m "$mode" -o "${owner%:*}" -g "${owner#*:}" /dev/stdin "$up/$rel"
}

# Usage: guest_id LOWER NAME  -> "uid:gid" of user NAME in the root LOWER
guest_id() {
	awk -F: -v u="$2" '$1 == u { print $3 ":" $4; found = 1 } END { exit !found }' "$1/etc/passwd"
}

# Usage: real_prepare_host HOST ADDR  -> the host's overlay with its own files, written before its
# first boot: name, SSH host key and authorized keys, pgbouncer.ini, network and resolver config of
# its profile, the lab's package repository
real_prepare_host() {
	# shellcheck disable=SC2153 # STATE, NS_PREFIX and the LAB_* values are lab.sh's
	local h=$1 addr=$2 owner release hd=$STATE/real/$1 up lower pg deploy
	owner=$(real_profile_field "$h" 3) && release=$(real_profile_field "$h" 2) || return 1
	lower=$(real_root "$h") && up=$hd/upper
	mkdir -p "$up" "$hd/work" "$hd/merged" || return 1
	pg=$(guest_id "$lower" postgres) && deploy=$(guest_id "$lower" deploy) || return 1
	echo "$h" | upper_install 644 0:0 etc/hostname || return 1
	printf '127.0.0.1\tlocalhost\n%s\t%s.%s %s\n' "$addr" "$h" "$LAB_ZONE" "$h" | upper_install 644 0:0 etc/hosts || return 1
	ssh-keygen -q -t ed25519 -N '' -C "root@$h" -f "$hd/ssh_host_ed25519_key" || return 1
	upper_install 600 0:0 etc/ssh/ssh_host_ed25519_key <"$hd/ssh_host_ed25519_key" &&
		upper_install 644 0:0 etc/ssh/ssh_host_ed25519_key.pub <"$hd/ssh_host_ed25519_key.pub" || return 1
	upper_install 600 0:0 root/.ssh/authorized_keys <"$STATE/shared/authorized_keys" &&
		upper_install 600 "$deploy" home/deploy/.ssh/authorized_keys <"$STATE/shared/authorized_keys" || return 1
	chown "$deploy" "$up/home/deploy/.ssh" && chmod 700 "$up/root/.ssh" "$up/home/deploy/.ssh" || return 1
	# the server login in the connection string: pgbouncer 1.15 (Debian 11) cannot answer
	# PostgreSQL's SCRAM with a password it took from an md5 client login ("wrong password type")
	pgbouncer_ini "$h" "$addr" lab/real.sh "user=$LAB_APP_USER password=$LAB_APP_PASSWORD" |
		upper_install 640 "$pg" etc/pgbouncer/pgbouncer.ini &&
		pgbouncer_userlist | upper_install 640 "0:${pg#*:}" etc/pgbouncer/userlist.txt || return 1
	echo "deb [trusted=yes] http://$LAB_INFRA_ADDR/$release ./" | upper_install 644 0:0 etc/apt/sources.list.d/lab.list || return 1
	real_network_config "$h" "$owner" "$addr" || return 1
	ip netns exec "$NS_PREFIX$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.eth0.disable_ipv6=1
}

# Usage: real_network_config HOST OWNER ADDR  -> eth0's configuration the way the profile's network
# manager takes it, with dns-old1/dns-old2 as the resolvers; no default route anywhere
real_network_config() {
	local h=$1 addr=$3
	case $2 in
		dhclient)
			printf 'auto eth0\niface eth0 inet dhcp\n' | upper_install 644 0:0 etc/network/interfaces.d/eth0 ;;
		resolvconf)
			printf 'auto eth0\niface eth0 inet static\n\taddress %s/24\n\tdns-nameservers %s %s\n' \
				"$addr" "$LAB_DNS_OLD1" "$LAB_DNS_OLD2" | upper_install 644 0:0 etc/network/interfaces.d/eth0 ;;
		networkmanager)
			cat <<-EOF | upper_install 600 0:0 etc/NetworkManager/system-connections/eth0.nmconnection
			[connection]
			id=eth0
			type=ethernet
			interface-name=eth0
			autoconnect=true

			[ipv4]
			method=manual
			address1=$addr/24
			dns=$LAB_DNS_OLD1;$LAB_DNS_OLD2;
			ignore-auto-dns=true

			[ipv6]
			method=disabled
			EOF
			;;
		systemd-resolved | none)
			{
				printf '[Match]\nName=eth0\n\n[Network]\nAddress=%s/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' "$addr"
				[[ $2 == none ]] || printf 'DNS=%s\nDNS=%s\n' "$LAB_DNS_OLD1" "$LAB_DNS_OLD2"
			} | upper_install 644 0:0 etc/systemd/network/10-eth0.network || return 1
			if [[ $2 == none ]]; then
				printf '# %s: the company resolvers (written by lab/real.sh)\nnameserver %s\nnameserver %s\n' \
					"$h" "$LAB_DNS_OLD1" "$LAB_DNS_OLD2" | upper_install 644 0:0 etc/resolv.conf
			fi ;;
		*) return 1 ;;
	esac
}

# Usage: real_dhcp_config  -> dnsmasq's configuration on the infra host: DHCP only (DNS off), a
# fixed address for each host that takes its address by DHCP, the lab's resolvers, no router
real_dhcp_config() {
	local h o
	cat <<-EOF
	# lab '$NAME': DHCP for the real hosts that ask (written by lab/real.sh)
	port=0
	interface=eth0
	bind-interfaces
	user=root
	dhcp-authoritative
	dhcp-range=$LAB_NET_PREFIX.$LAB_X.0,static,255.255.255.0,10m
	dhcp-option=option:router
	dhcp-option=option:dns-server,$LAB_DNS_OLD1,$LAB_DNS_OLD2
	# a renewal every $LAB_DHCP_RENEW_S s (T1): the client rewrites resolv.conf on each, so a change
	# that a renewal would undo shows within seconds, not at the end of a 10-minute lease
	dhcp-option=option:T1,$LAB_DHCP_RENEW_S
	dhcp-leasefile=/run/dnsmasq.leases
	pid-file=/run/dnsmasq.pid
	log-facility=/var/log/dnsmasq.log
	log-dhcp
	EOF
	for h in $(real_profiles); do
		[[ $(real_profile_field "$h" 3) == dhclient ]] || continue
		o=$(lab_octet "$h")
		echo "dhcp-host=$(lab_mac "$LAB_X" "$o"),$(lab_addr "$LAB_X" "$h"),$h,10m"
	done
}

# Usage: real_start_host HOST  -> build its root if missing, write its overlay, make its cgroups,
# start lab/real/boot.sh in the background and record its PID
real_start_host() {
	local h=$1 a root cg
	a=$(lab_addr "$LAB_X" "$h")
	root=$(real_root "$h")
	real_prepare_host "$h" "$a" || { echo "FAILED: $h: cannot write its overlay" >>"$STATE/logs/$h.log"; return 1; }
	mapfile -t cg < <(real_cgroup_dirs "$h")
	((${#cg[@]})) || die "no cgroup2 hierarchy on this machine (/sys/fs/cgroup or /sys/fs/cgroup/unified)" 6
	mkdir -p "${cg[@]}" || die "cannot create the cgroups of $h: ${cg[*]}" 6
	setsid /bin/sh "$LAB_DIR/real/boot.sh" "$h" "$root" "$STATE/real/$h" "/run/netns/$NS_PREFIX$h" "${cg[@]}" \
		</dev/null >>"$STATE/logs/$h.log" 2>&1 8>&- 9>&- &
	proc_start $!
	echo "$! $REPLY" >"$STATE/pids/$h.boot"
}

# Usage: real_wait_booted HOST DEADLINE  -> wait (until SECONDS reaches DEADLINE) until the guest's
# systemd says the boot is over and sshd and pgbouncer listen; a degraded boot names its failed units
real_wait_booted() {
	local h=$1 deadline=$2 pid state
	local bpid bstart
	read -r bpid bstart <"$STATE/pids/$h.boot" || return 1
	until pid=$(real_init_pid "$h"); do
		((SECONDS < deadline)) || { say "$h: systemd did not start"; return 1; }
		pid_alive "$bpid" "$bstart" || { say "$h: its boot.sh ended before systemd started"; return 1; }
		sleep 0.1
	done
	# until systemd's own socket is up, systemctl answers nothing: ask again until the boot is over
	while :; do
		state=$(real_in "$h" systemctl is-system-running 2>/dev/null)
		case $state in
			running) break ;;
			degraded)
				say "$h: booted degraded, failed units: $(real_in "$h" systemctl --failed --no-legend --plain | awk '{ printf "%s ", $1 }')"
				break ;;
			# "offline": PID 1 does not answer on its bus yet
			"" | offline | initializing | starting) ;;
			*) say "$h: systemd is '$state' after the boot"; return 1 ;;
		esac
		((SECONDS < deadline)) || { say "$h: still '${state:-not answering}' when the time was up"; return 1; }
		sleep 0.1
	done
	# sshd (port 22) and pgbouncer (6432) listening in the host's network namespace
	until grep -q ':0016 00000000:0000 0A' "/proc/$pid/net/tcp" && grep -q ':1920 00000000:0000 0A' "/proc/$pid/net/tcp"; do
		((SECONDS < deadline)) || { say "$h: sshd or pgbouncer is not listening"; return 1; }
		sleep 0.1
	done
}

# Usage: real_settle HOST  -> the last step of a real host's first boot: fresh package lists from the
# lab's repository (as a host that ran `apt-get update` some time ago has)
real_settle() {
	real_in "$1" apt-get -qq update >>"$STATE/logs/$1.log" 2>&1 ||
		{ say "$1: apt-get update from the lab's repository (http://$LAB_INFRA_ADDR/) failed"; return 1; }
}

# Usage: real_wait_all TIMEOUT  -> every real host booted and settled, in parallel; print a failed
# host's log tail
real_wait_all() {
	local deadline=$((SECONDS + $1)) h _r _a rc=0 f
	local -A job=()
	while read -r h _r _a; do
		{ real_wait_booted "$h" "$deadline" && real_settle "$h"; } &
		job[$h]=$!
	done < <(real_hosts)
	for h in "${!job[@]}"; do
		if ! wait "${job[$h]}"; then
			rc=1
			f=$STATE/logs/$h.log
			say "real host $h failed to start; the end of its log ($f):"
			tail -n 25 "$f" | sed 's/^/    /' >&2
		fi
	done
	return $rc
}

# Usage: real_kill_all  -> end every process of this lab's real hosts (cgroup.kill: whatever a host
# started, also after a crash or in the middle of a reboot, and nothing else) and remove their cgroups
real_kill_all() {
	local dirs=() d p i
	mapfile -t dirs < <(for d in /sys/fs/cgroup/unified/cutover-lab /sys/fs/cgroup/cutover-lab \
		/sys/fs/cgroup/systemd/cutover-lab; do
		[[ -d $d ]] && find "$d" -mindepth 1 -maxdepth 1 -type d -name "$NAME-*"
	done)
	((${#dirs[@]})) || return 0
	for d in "${dirs[@]}"; do
		if [[ -f $d/cgroup.kill ]]; then
			echo 1 >"$d/cgroup.kill"
		else
			# a legacy hierarchy, or a kernel before 5.14: the PIDs listed in the cgroup tree
			# shellcheck disable=SC2038 # what xargs reads are PIDs (cat's output), not file names
			find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		fi
	done
	for ((i = 0; i < 200; i++)); do
		p=$(for d in "${dirs[@]}"; do find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null; done)
		[[ -z $p ]] && break
		((i % 20 == 19)) && xargs -r kill -KILL <<<"$p" 2>/dev/null
		sleep 0.05
	done
	for d in "${dirs[@]}"; do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done
	for d in "${dirs[@]}"; do [[ ! -d $d ]] || say "could not remove cgroup $d"; done
	rmdir /sys/fs/cgroup/unified/cutover-lab /sys/fs/cgroup/cutover-lab /sys/fs/cgroup/systemd/cutover-lab 2>/dev/null
	return 0
}

# Usage: real_build_roots  -> every profile's root, built where missing: one job per release (its
# profiles share the downloaded .debs), the releases in parallel
real_build_roots() {
	local rel p rc=0 pids=() rels
	mapfile -t rels < <(cut -d: -f2 <<<"$REAL_PROFILES" | sort -u)
	for rel in "${rels[@]}"; do
		(while read -r p; do
			real_build_root "$p" || exit 1
		done < <(awk -F: -v r="$rel" '$2 == r { print $1 }' <<<"$REAL_PROFILES")) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	for rel in "${rels[@]}"; do
		[[ -f $REAL_CACHE/repo/$rel/Packages ]] || real_build_repo "$rel"
	done
	return $rc
}

# Usage: real_host_limits  -> room for booted hosts: each takes ≈ 8 inotify instances of root, and
# Debian's default of 128 stops the 19th host ("Too many open files"). Only ever raised.
real_host_limits() {
	local key want cur
	for key in fs.inotify.max_user_instances:4096 fs.inotify.max_user_watches:1048576; do
		want=${key#*:} cur=$(sysctl -n "${key%:*}")
		((cur >= want)) || sysctl -qw "${key%:*}=$want"
	done
}

# Usage: real_resolv_owner HOST  -> who owns the host's /etc/resolv.conf, found on the host as it is
# now (in the profiles' words: dhclient, networkmanager, resolvconf, systemd-resolved, none), or
# "missing"
real_resolv_owner() {
	# shellcheck disable=SC2016 # expanded by the host's sh
	real_in "$1" sh -c '
		case $(readlink -f /etc/resolv.conf) in
			/run/systemd/resolve/*) echo systemd-resolved; exit ;;
			/run/resolvconf/* | /etc/resolvconf/run/*) echo resolvconf; exit ;;
		esac
		[ -s /etc/resolv.conf ] || { echo missing; exit; }
		if grep -q "^# Generated by NetworkManager" /etc/resolv.conf; then echo networkmanager
		elif pgrep -x dhclient >/dev/null; then echo dhclient
		else echo none; fi'
}

# Usage: real_status_line HOST  -> "release=… init=… state=… resolv.conf=…" for lab.sh status
real_status_line() {
	local pid rel comm state
	pid=$(real_init_pid "$1") || { echo "not booted"; return; }
	comm=$(cat "/proc/$pid/comm" 2>/dev/null)
	# shellcheck disable=SC1091,SC2016 # the host's os-release, read by the host's sh
	rel=$(real_in "$1" sh -c '. /etc/os-release && echo "$ID $VERSION_ID ($VERSION_CODENAME)"' 2>/dev/null)
	state=$(real_in "$1" systemctl is-system-running 2>/dev/null)
	echo "init=$comm release='$rel' state=$state $(real_memory "$1") resolv.conf=$(real_resolv_owner "$1")"
}

# Usage: real_memory HOST  -> "rss=N MB pss=N MB": the memory of every process of the host (its
# cgroup tree; RSS counts shared pages once per process, PSS shares them out)
real_memory() {
	local cg
	cg=$(real_cgroup_dirs "$1" | head -n 1)
	# shellcheck disable=SC2016 # awk's fields
	find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sed 's|.*|/proc/&/smaps_rollup|' |
		xargs -r awk '/^Rss:/ { r += $2 } /^Pss:/ { p += $2 } END { printf "rss=%.0fMB pss=%.0fMB", r / 1024, p / 1024 }' 2>/dev/null
}

# Usage: real_reboot HOST ADDR TIMEOUT  -> `systemctl reboot` in the host; back once its sshd lets
# the lab's key in
real_reboot() {
	local h=$1 a=$2 old pid t0=$EPOCHREALTIME deadline=$((SECONDS + $3))
	old=$(real_init_pid "$h") || die "$h is not booted (lab.sh status)" 3
	real_in "$h" systemctl reboot || die "systemctl reboot failed on $h" 1
	until pid=$(real_init_pid "$h") && [[ $pid != "$old" ]]; do
		((SECONDS < deadline)) || die "$h did not come back within $3 s (its log: $STATE/logs/$h.log)" 1
		grep -q "^EXIT $h" "$STATE/logs/$h.log" && die "$h stopped instead of rebooting: $(grep "^EXIT $h" "$STATE/logs/$h.log")" 1
		sleep 0.1
	done
	real_wait_booted "$h" "$deadline" || die "$h rebooted but did not finish booting (its log: $STATE/logs/$h.log)" 1
	until ssh -i "$STATE/ssh/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=2 \
		-o UserKnownHostsFile="$STATE/known_hosts" -o StrictHostKeyChecking=yes -o LogLevel=ERROR "root@$a" true; do
		((SECONDS < deadline)) || die "$h booted but its sshd does not let the lab's key in" 1
		sleep 0.2
	done
	say "$h rebooted in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s (PID 1 was $old, now $pid)"
}
