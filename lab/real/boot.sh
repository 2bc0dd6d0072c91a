#!/bin/sh
# The supervisor of one real lab host. lab.sh starts it (setsid, in the background) as
#   boot.sh HOST ROOT HOSTDIR NETNS-PATH CGROUP-DIR...
# It moves itself into the host's cgroups (one directory per cgroup hierarchy, made by lab.sh),
# so that every process the host ever runs is in them and `down` can end exactly those with
# cgroup.kill; then, in a mount namespace of its own (nothing is mounted in the machine's), it
# mounts the host's overlay (lower ROOT, upper HOSTDIR/upper) and boots it with systemd-nspawn,
# again each time the guest reboots (nspawn exits 133 on a guest reboot; nothing else restarts it).
# Before each boot the network namespace is reset as a power cycle would (fresh_network).
# It prints BOOT, REBOOT and EXIT lines into the host's log between the guest's console output.
set -u

if [ "${1:-}" != --in-namespace ]; then
	host=$1 root=$2 hd=$3 netns=$4
	shift 4
	for cg in "$@"; do
		echo $$ >"$cg/cgroup.procs" || { echo "EXIT $host cannot join cgroup $cg"; exit 1; }
	done
	exec unshare --mount --propagation private -- /bin/sh "$0" --in-namespace "$host" "$root" "$hd" "$netns"
fi
shift
host=$1 root=$2 hd=$3 netns=$4

mount -t overlay overlay -o "lowerdir=$root,upperdir=$hd/upper,workdir=$hd/work" "$hd/merged" ||
	{ echo "EXIT $host cannot mount its overlay"; exit 1; }
# nspawn keeps propagation state under /run/systemd/nspawn and refuses to clean it up when /run is
# on disk (as on this kind of machine): a tmpfs of this mount namespace's own
if ! { mkdir -p /run/systemd/nspawn && mount -t tmpfs -o mode=755,size=1m tmpfs /run/systemd/nspawn; }; then
	echo "EXIT $host cannot mount /run/systemd/nspawn"
	exit 1
fi

# The unified cgroup hierarchy for the guest works for Debian 11, 12 and 13 alike; with the legacy
# one, systemd in the guest took ≈ 96 s to shut down.
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
# Usage: fresh_network  -> the host's network namespace as a machine has it at power-on: the namespace
# outlives the guest, so without this a reboot would keep the addresses, routes and firewall rules
# of the boot before (and NetworkManager, finding eth0 configured, would take it as "external")
fresh_network() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	nsenter --net="$netns" sh -c '
		ip link set eth0 down && ip addr flush dev eth0 && ip route flush table main
		nft flush ruleset
		if command -v iptables-legacy >/dev/null; then
			for t in filter nat mangle raw; do iptables-legacy -t "$t" -F && iptables-legacy -t "$t" -X; done
		fi' 2>&1 | sed "s/^/fresh_network: /"
}

while :; do
	fresh_network
	echo "BOOT $host"
	# --register=no --keep-unit: no machined here, and the cgroup is the one this script joined.
	# With a network namespace path nspawn drops CAP_NET_ADMIN, which nft, iptables and the
	# guest's network manager need.
	systemd-nspawn --boot --quiet --register=no --keep-unit --machine="$host" \
		--network-namespace-path="$netns" --capability=CAP_NET_ADMIN \
		--resolv-conf=off --timezone=off --link-journal=no -D "$hd/merged"
	rc=$?
	[ "$rc" = 133 ] || break
	echo "REBOOT $host"
done
echo "EXIT $host $rc"
exit "$rc"
