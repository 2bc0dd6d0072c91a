#!/bin/sh
# Usage: lab/services/cares-app.sh start|stop   (inside a lab host: lab/lab.sh exec app1 sh "$PWD/lab/services/cares-app.sh" start)
# A C event-loop HTTP service on port 8085 (cares-app.c) that resolves with ONE long-lived c-ares
# channel, Debian's libc-ares (1.18.1 on Debian 12: no ares_reinit), in a memory layout cutover does
# not know: GET /resolve?name=NAME looks NAME up with ares_gethostbyname on that channel (200 and the
# address, 502 when it does not resolve); anything else answers "ok". It holds its clients'
# keep-alive connections. Built once with gcc against libc-ares-dev into lab/run/.cache/cares-app-KEY/
# (KEY: the source and the library's version). Pidfile /run/cares-app.pid.
SVC=cares-app PORT=8085
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"
SRC=$(cd "${0%/*}" && pwd)/cares-app.c

build() { # DIR
	gcc -O2 -Wall -o "$1/cares-app" "$SRC" -lcares
}

start() {
	command -v gcc >/dev/null && [ -f /usr/include/ares.h ] ||
		{ echo "cares-app.sh: needs gcc and libc-ares-dev (lab/lab.sh deps)" >&2; return 5; }
	key=$( { cat "$SRC"; dpkg-query -W -f='${Version}' libc-ares-dev 2>/dev/null; } | cksum)
	dir=$CACHE/cares-app-${key%% *}
	cached "$dir" build || { echo "cares-app.sh: the build failed" >&2; return 1; }
	start_detached "$dir/cares-app"
}

service_main "$@"
