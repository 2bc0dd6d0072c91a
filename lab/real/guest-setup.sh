#!/bin/sh
# Runs once inside a real host's root filesystem while lab/real.sh builds it (mmdebstrap
# customize hook, chrooted): turns a fresh Debian system into the profile's "production before
# the change" image. Everything here is the same for every host of the profile; what differs
# per host (name, address, keys, pgbouncer.ini, network config) is written into the host's own
# overlay at `up` time (lab/real.sh, real_prepare_host).
#
# Usage: guest-setup.sh PROFILE OWNER
#   OWNER: dhclient | networkmanager | resolvconf | systemd-resolved | none
set -eu
profile=$1 owner=$2

# Usage: quiet CMD...  -> run CMD; its chatter ("Created symlink ...") shown only if it fails
quiet() {
	if ! out=$("$@" 2>&1); then
		printf 'guest-setup: %s failed:\n%s\n' "$*" "$out" >&2
		return 1
	fi
}

# BIND: installed but disabled and stopped, as on a host that has the package but never used it.
# Debian 12/13 name the unit named.service; Debian 11's bind9.service is the same daemon.
for unit in named.service bind9.service; do
	if [ -f "/lib/systemd/system/$unit" ] || [ -f "/usr/lib/systemd/system/$unit" ]; then
		quiet systemctl disable "$unit"
	fi
done

# pgbouncer runs as a systemd service (Debian enables it); the lab writes its ini per host. Ordered
# after network-online, as careful operators ship it: it binds the host's address, and c-ares reads
# resolv.conf once at start (before the network manager has written it, pgbouncer never resolves).
quiet systemctl enable pgbouncer.service
mkdir -p /etc/systemd/system/pgbouncer.service.d
printf '[Unit]\nWants=network-online.target\nAfter=network-online.target\n' \
	>/etc/systemd/system/pgbouncer.service.d/lab-network-online.conf

# A login console nobody reads costs a getty per host.
quiet systemctl mask console-getty.service getty@.service

# SSH: root by key (the lab's), and a non-root sudo user for become tests; host keys are per host.
rm -f /etc/ssh/ssh_host_*
cat >/etc/ssh/sshd_config.d/lab.conf <<'EOF'
# lab real host: written by lab/real/guest-setup.sh
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
# the controller opens many sessions at once
MaxStartups 200:30:400
MaxSessions 64
EOF
id deploy >/dev/null 2>&1 || useradd --create-home --shell /bin/bash deploy
echo 'deploy ALL=(ALL:ALL) NOPASSWD: ALL' >/etc/sudoers.d/deploy
chmod 440 /etc/sudoers.d/deploy

# Packages come only from the lab's own repository (written per host): nothing reaches outside.
rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*

# Who owns /etc/resolv.conf. mmdebstrap leaves the build machine's resolv.conf in the root: it must
# never reach a lab host, whose first resolv.conf is written per host or by its owner.
[ -L /etc/resolv.conf ] || rm -f /etc/resolv.conf
case $owner in
	dhclient)
		# ifupdown brings eth0 up by DHCP (interfaces written per host); dhclient-script writes
		# resolv.conf on every lease, renewal included
		quiet systemctl enable networking.service ;;
	resolvconf)
		# ifupdown brings eth0 up and hands its dns-nameservers to resolvconf, which generates the file
		quiet systemctl enable networking.service
		ln -sf ../run/resolvconf/resolv.conf /etc/resolv.conf ;;
	networkmanager)
		quiet systemctl enable NetworkManager.service
		# NetworkManager writes the file itself (rc-manager=file keeps it a plain file, as on RHEL)
		mkdir -p /etc/NetworkManager/conf.d
		printf '[main]\ndns=default\nrc-manager=file\n' >/etc/NetworkManager/conf.d/90-lab.conf ;;
	systemd-resolved)
		quiet systemctl enable systemd-networkd.service systemd-resolved.service
		# the Ubuntu default: every process asks the stub on 127.0.0.53, resolved asks the link's servers
		ln -sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf ;;
	none)
		quiet systemctl enable systemd-networkd.service ;;
	*)
		echo "guest-setup: unknown resolv.conf owner '$owner' for profile $profile" >&2
		exit 2 ;;
esac
echo "$profile" >/etc/cutover-lab-profile
