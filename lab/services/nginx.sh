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
set -u
here=$(cd "$(dirname "$0")" && pwd)
PORT=8080 PIDF=/run/nginx.pid CONF=/etc/nginx/nginx.conf
listening() { grep -q ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp 2>/dev/null; }
case ${1:-} in
  start)
    mode=${2:-load}
    case $mode in load|resolver) ;; *) echo "nginx.sh: mode is load or resolver, not $mode" >&2; exit 2 ;; esac
    sh "$here/web-backend.sh" start || exit 1
    if ! mountpoint -q /etc/nginx; then
      mkdir -p /run/lab-nginx && mount --bind /run/lab-nginx /etc/nginx || exit 1
    fi
    mkdir -p /var/log/nginx /var/lib/nginx
    backend="$(hostname)-web.lab.test:8090"
    servers=$(awk '$1 == "nameserver" { printf "%s ", $2 }' /etc/resolv.conf)
    {
      printf '# written by lab/services/nginx.sh (%s)\nuser www-data;\nworker_processes 2;\npid %s;\n' "$mode" "$PIDF"
      printf 'error_log /var/log/nginx/error.log notice;\nevents { worker_connections 512; }\n'
      printf 'http {\n    access_log off;\n    keepalive_timeout 300s;\n    keepalive_requests 1000000;\n'
      [ "$mode" = load ] || printf '    resolver %svalid=1s ipv6=off;\n    resolver_timeout 2s;\n' "$servers"
      printf '    upstream backend {\n        server %s;\n        keepalive 8;\n    }\n' "$backend"
      printf '    server {\n        listen %s;\n        location / {\n            proxy_pass http://backend;\n' "$PORT"
      printf '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n            proxy_buffering off;\n        }\n'
      # shellcheck disable=SC2016 # $arg_name is nginx's variable
      [ "$mode" = load ] || printf '        location /resolve {\n            proxy_pass http://$arg_name:8090/;\n        }\n'
      printf '    }\n}\n'
    } >"$CONF"
    nginx -t -q -c "$CONF" || exit 1
    nginx -c "$CONF" || exit 1
    n=0
    until listening "$PORT" && [ -s "$PIDF" ]; do
      n=$((n + 1)); [ $n -lt 100 ] || { echo "nginx: not listening on $PORT" >&2; exit 1; }
      sleep 0.05
    done ;;
  stop)
    p=$(cat "$PIDF" 2>/dev/null)
    [ -z "$p" ] || kill -QUIT "$p" 2>/dev/null
    n=0
    while [ -n "$p" ] && kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    rm -f "$PIDF" ;;
  *) echo "usage: $0 start [load|resolver] | stop" >&2; exit 2 ;;
esac
