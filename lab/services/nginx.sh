#!/bin/sh
# Usage: lab/services/nginx.sh start [load|resolver] | stop   (inside a lab app host)
# Debian's nginx on port 8080 in front of the lab's web backend (web-backend.sh), holding keep-alive
# client connections (keepalive_timeout 300 s). Its master's pid goes to /run/nginx.pid.
#   load (default): proxy_pass to HOST-web.lab.test, which nginx resolves once, when it loads its
#     configuration (getaddrinfo, through resolv.conf).
#   resolver: the same, plus `resolver` naming the host's current DNS servers (resolv.conf's) and
#     GET /resolve?name=NAME, a proxy_pass with a variable that nginx resolves per request with
#     that resolver (502 when NAME does not resolve).
# The configuration is private to the host: /etc/nginx is a bind mount of /run/lab-nginx here.
# stop is nginx's graceful one (QUIT).
set -u
SVC=nginx PORT=8080 STOP_SIGNAL=QUIT START_ARGS='[load|resolver]'
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"
CONF=/etc/nginx/nginx.conf

start() {
	proxy_setup nginx web "$@" || return
	mkdir -p /var/log/nginx /var/lib/nginx
	servers=$(awk '$1 == "nameserver" { printf "%s ", $2 }' /etc/resolv.conf)
	{
		printf '# written by lab/services/nginx.sh (%s)\nuser www-data;\nworker_processes 2;\npid %s;\n' "$MODE" "$PIDFILE"
		printf 'error_log /var/log/nginx/error.log notice;\nevents { worker_connections 512; }\n'
		printf 'http {\n    access_log off;\n    keepalive_timeout 300s;\n    keepalive_requests 1000000;\n'
		[ "$MODE" = load ] || printf '    resolver %svalid=1s ipv6=off;\n    resolver_timeout 2s;\n' "$servers"
		printf '    upstream backend {\n        server %s;\n        keepalive 8;\n    }\n' "$BACKEND"
		printf '    server {\n        listen %s;\n        location / {\n            proxy_pass http://backend;\n' "$PORT"
		printf '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n            proxy_buffering off;\n        }\n'
		# shellcheck disable=SC2016 # $arg_name is nginx's variable
		[ "$MODE" = load ] || printf '        location /resolve {\n            proxy_pass http://$arg_name:8090/;\n        }\n'
		printf '    }\n}\n'
	} >"$CONF"
	nginx -t -q -c "$CONF" || return 1
	start_forking nginx -c "$CONF"
}

service_main "$@"
