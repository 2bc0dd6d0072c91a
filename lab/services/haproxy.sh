#!/bin/sh
# Usage: lab/services/haproxy.sh start [load|resolver] | stop   (inside a lab app host)
# Debian's HAProxy in master-worker mode (-W, as Debian's unit runs it) on port 8081 in front of the
# lab's web backend (web-backend.sh), holding keep-alive client connections (timeout
# http-keep-alive 300 s). The master's pid goes to /run/haproxy.pid.
#   load (default): `server s1 HOST-hap.lab.test:8090` (the web backend under a name of HAProxy's
#     own, so that a capture tells its lookups from nginx's), resolved once when HAProxy loads its
#     configuration (init-addr libc: getaddrinfo, through resolv.conf).
#   resolver: the same server with `resolvers lab`, a resolvers section whose nameserver lines name
#     the host's current DNS servers (resolv.conf's); HAProxy asks them itself every second.
# The configuration is private to the host: /etc/haproxy is a bind mount of /run/lab-haproxy here.
# stop is HAProxy's soft stop (USR1: the workers finish what they serve), TERM after 5 s.
set -u
SVC=haproxy PORT=8081 STOP_SIGNAL=USR1 START_ARGS='[load|resolver]'
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"
CONF=/etc/haproxy/haproxy.cfg

start() {
	proxy_setup haproxy hap "$@" || return
	{
		printf '# written by lab/services/haproxy.sh (%s)\nglobal\n    log stderr local0 notice\n' "$MODE"
		printf '    stats socket /run/haproxy-admin.sock mode 600 level admin\n    hard-stop-after 60s\n'
		printf 'defaults\n    mode http\n    log global\n    option http-keep-alive\n    timeout connect 2s\n'
		printf '    timeout client 300s\n    timeout server 300s\n    timeout http-keep-alive 300s\n'
		printf 'frontend web\n    bind :%s\n    default_backend backend\n' "$PORT"
		if [ "$MODE" = load ]; then
			printf 'backend backend\n    server s1 %s\n' "$BACKEND"
		else
			printf 'backend backend\n    server s1 %s resolvers lab init-addr libc\n' "$BACKEND"
			printf 'resolvers lab\n'
			awk '$1 == "nameserver" { n++; printf "    nameserver ns%d %s:53\n", n, $2 }' /etc/resolv.conf
			printf '    timeout resolve 1s\n    timeout retry 1s\n    hold valid 1s\n    hold nx 1s\n'
		fi
	} >"$CONF"
	haproxy -q -c -f "$CONF" || return 1
	start_forking haproxy -W -D -p "$PIDFILE" -f "$CONF"
}

service_main "$@"
