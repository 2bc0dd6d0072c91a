#!/bin/sh
# Usage: lab/services/pgbouncer-evdns.sh fetch   (on the machine: the lab hosts have no Internet)
#        lab/services/pgbouncer-evdns.sh start|stop   (inside a lab host: lab/lab.sh exec app1 sh "$PWD/lab/services/pgbouncer-evdns.sh" start)
# A pgbouncer that resolves with libevent's evdns (`pgbouncer -V`: "adns: evdns2"), next to the
# host's Debian pgbouncer (c-ares) on port 6433. Debian builds pgbouncer with c-ares only, so this
# one is built from Debian's own source package (pgbouncer 1.18.0-1+deb12u1, Debian's patches
# applied) configured --without-cares (pgbouncer then resolves with evdns) against Debian's
# libevent 2.1. `fetch` downloads the .dsc and the files it lists from deb.debian.org, checked
# against its SHA-256 sums, into lab/run/.cache/pgbouncer-src-VERSION/ (once); `start` builds from
# there once into lab/run/.cache/pgbouncer-evdns-KEY/ (KEY: this script's build and libevent-dev's
# version). Its configuration is the host's /etc/pgbouncer/pgbouncer.ini (the lab's databases,
# the probe whose host is an unresolvable name, the same users) with its own port, log and
# pidfile, written to /etc/pgbouncer/pgbouncer-evdns.ini. Runs as postgres; pidfile
# /run/pgbouncer-evdns.pid.
SVC=pgbouncer-evdns PORT=6433
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"

VERSION=1.18.0-1+deb12u1
POOL=http://deb.debian.org/debian/pool/main/p/pgbouncer
INI=/etc/pgbouncer/pgbouncer-evdns.ini

SRC=$CACHE/pgbouncer-src-$VERSION

# sums FILE.dsc: "sha256  file" for each file the .dsc lists
sums() { awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $1 "  " $3 }' "$1"; }

# download DIR: the .dsc and the files it lists, checked against its SHA-256 sums
download() {
	(
		cd "$1" && curl -sSf -O "$POOL/pgbouncer_$VERSION.dsc" || exit 1
		[ -n "$(sums "pgbouncer_$VERSION.dsc")" ] || { echo "pgbouncer-evdns.sh: no files listed in pgbouncer_$VERSION.dsc" >&2; exit 1; }
		for f in $(sums "pgbouncer_$VERSION.dsc" | awk '{ print $2 }'); do curl -sSf -O "$POOL/$f" || exit 1; done
		sums "pgbouncer_$VERSION.dsc" | sha256sum -c --quiet
	)
}

# build DIR: unpacked with Debian's patches (dpkg-source), configured for evdns and built;
# DIR/pgbouncer is the program
build() {
	if ! (cd "$1" && dpkg-source --no-check -x "$SRC/pgbouncer_$VERSION.dsc" src && cd src &&
		./configure --without-cares --without-udns --enable-evdns --with-openssl && make -j2) >"$1/build.log" 2>&1; then
		tail -n 20 "$1/build.log" >&2
		return 1
	fi
	cp "$1/src/pgbouncer" "$1/" && rm -rf "$1/src" || return 1
	"$1/pgbouncer" -V | grep -q '^adns: evdns' || { echo "pgbouncer-evdns.sh: the build does not resolve with evdns" >&2; return 1; }
}

start() {
	[ -f "$SRC/ready" ] || { echo "pgbouncer-evdns.sh: pgbouncer's source is not downloaded (run \`sh lab/services/pgbouncer-evdns.sh fetch\` on the machine: the lab hosts have no Internet)" >&2; return 5; }
	for c in dpkg-source make cc; do
		command -v "$c" >/dev/null || { echo "pgbouncer-evdns.sh: no $c (lab/lab.sh deps installs what the build needs)" >&2; return 5; }
	done
	[ -f /usr/include/event2/dns.h ] || { echo "pgbouncer-evdns.sh: no libevent headers (apt-get install libevent-dev, or lab/lab.sh deps)" >&2; return 5; }
	[ -f /etc/pgbouncer/pgbouncer.ini ] || { echo "pgbouncer-evdns.sh: no /etc/pgbouncer/pgbouncer.ini (run it inside a lab app host)" >&2; return 5; }
	key=$( { sed -n '/^build()/,/^}/p' "$0"; echo "$VERSION"; dpkg-query -W -f='${Version}' libevent-dev; } | cksum)
	dir=$CACHE/pgbouncer-evdns-${key%% *}
	cached "$dir" build || { echo "pgbouncer-evdns.sh: the build failed" >&2; return 1; }
	sed -e "s/^listen_port = .*/listen_port = $PORT/" -e 's|^logfile = .*|logfile = /var/log/postgresql/pgbouncer-evdns.log|' \
		-e 's|^pidfile = .*|pidfile = /var/run/postgresql/pgbouncer-evdns.pid|' -e "s|written by .*|written by lab/services/pgbouncer-evdns.sh from pgbouncer.ini|" \
		/etc/pgbouncer/pgbouncer.ini >"$INI" && chown postgres:postgres "$INI" && chmod 640 "$INI" || return 1
	start_detached setpriv --reuid postgres --regid postgres --init-groups "$dir/pgbouncer" "$INI"
}

if [ "${1:-}" = fetch ]; then
	command -v curl >/dev/null || { echo "pgbouncer-evdns.sh: no curl" >&2; exit 5; }
	cached "$SRC" download || { echo "pgbouncer-evdns.sh: the download from $POOL failed" >&2; exit 1; }
	exit 0
fi
service_main "$@"
