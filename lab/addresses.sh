# shellcheck shell=sh
# The lab's address plan: the ONE place that says which addresses a lab uses.
# Sourced by lab.sh and the tests; POSIX sh, defines functions and constants only.
#
# Every lab instance (CUTOVER_LAB=<name>, default "lab") gets one /24 of its own,
# 10.213.X.0/24, and uses no address outside it:
#
#   .1          the root network namespace (veth cut<name>0): where cutover and ansible run
#   .2 - .6     the real hosts (up --real): bullseye-dhclient, bookworm-nm, bookworm-resolvconf,
#               trixie-resolved, trixie-plain (bullseye-dhclient gets .2 from the lab's DHCP server)
#   .10         infra (up --real): the DHCP server and the package repository of the real hosts
#   .11 .12     dns-old1, dns-old2: the company's resolvers, listed in every host's resolv.conf
#   .13         dns-alt: the alternate forwarders the cutover swaps to
#   .20         db: PostgreSQL, known to DNS as db.lab.test
#   .21 - .50   app1 .. app30 (full hosts: sshd, pgbouncer, named installed but not running)
#   .51 - .250  light1 .. light200 (sshd, named installed but not running)
#
# X = (cksum of the instance name) mod 200 + 20, i.e. 20..219. If that /24 is already routed in
# the root namespace (another lab instance, or anything else on the machine), the next X is tried
# (wrapping within 20..219). `up` records the X it chose in lab/run/<name>/subnet and every other
# command reads it from there, so the choice is made once per `up`.

LAB_NET_PREFIX=10.213
LAB_ROOT_OCTET=1
LAB_APP_FIRST=21
LAB_APP_MAX=30
LAB_LIGHT_FIRST=51
LAB_LIGHT_MAX=200

# Usage: lab_subnet_default NAME  -> prints the preferred X for instance NAME
lab_subnet_default() {
	set -- "$(printf '%s' "$1" | cksum)"
	echo $(( ${1%% *} % 200 + 20 ))
}

# Usage: lab_subnet_next X  -> prints the X to try after X
lab_subnet_next() {
	echo $(( ($1 - 20 + 1) % 200 + 20 ))
}

# Usage: lab_octet HOST  -> prints the last octet of HOST's address (dns-old1, db, app3, light17, root)
lab_octet() {
	case "$1" in
		root) echo "$LAB_ROOT_OCTET" ;;
		bullseye-dhclient) echo 2 ;;
		bookworm-nm) echo 3 ;;
		bookworm-resolvconf) echo 4 ;;
		trixie-resolved) echo 5 ;;
		trixie-plain) echo 6 ;;
		infra) echo 10 ;;
		dns-old1) echo 11 ;;
		dns-old2) echo 12 ;;
		dns-alt) echo 13 ;;
		db) echo 20 ;;
		app[1-9]|app[1-9][0-9])
			[ "${1#app}" -le "$LAB_APP_MAX" ] || return 1
			echo $(( LAB_APP_FIRST + ${1#app} - 1 )) ;;
		light[1-9]|light[1-9][0-9]|light[1-9][0-9][0-9])
			[ "${1#light}" -le "$LAB_LIGHT_MAX" ] || return 1
			echo $(( LAB_LIGHT_FIRST + ${1#light} - 1 )) ;;
		*) return 1 ;;
	esac
}

# Usage: lab_addr X HOST  -> prints HOST's IPv4 address in subnet X
lab_addr() {
	_lab_octet=$(lab_octet "$2") || return 1
	echo "$LAB_NET_PREFIX.$1.$_lab_octet"
}

# Usage: lab_mac X OCTET  -> a fixed, locally administered MAC for that address (no ARP surprises
# when a lab is recreated quickly; unique across instances because X differs)
lab_mac() {
	printf '02:c7:d5:%02x:%02x:01\n' "$1" "$2"
}
