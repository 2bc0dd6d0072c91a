#!/bin/sh
# Usage: sandbox.sh up|down|exec CMD...|pid
# A private test bed for the helper when lab/lab.sh is not available: one
# network namespace (no routes out) + a private mount namespace holding a
# throwaway Postgres, an "old" upstream named on 10.250.53.1/.2, an "alt" one
# on 10.250.53.3, and pgbouncer (c-ares) pointed at the old servers.
# Everything lives under $SBX (default /tmp/cutover-hsbx); nothing in the root
# namespace is changed apart from creating the netns itself.
# shellcheck disable=SC2015,SC2016  # `a && b || true` is meant; the inner script gets "$1"
set -eu
NS=${SBX_NS:-cutover-hsbx}
SBX=${SBX:-/tmp/cutover-hsbx}

die() { printf 'sandbox: %s\n' "$*" >&2; exit 1; }

init_pid() { cat "$SBX/init.pid" 2>/dev/null; }

in_sbx() { nsenter -t "$(init_pid)" -n -m -- "$@"; }

up() {
  [ ! -e "$SBX/init.pid" ] || die "already up ($SBX)"
  mkdir -p "$SBX/etc" "$SBX/run" "$SBX/log" "$SBX/cutover" "$SBX/named-old" "$SBX/named-local" "$SBX/pgb"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  # a veth pair with both ends inside: "upstream" addresses live on the far end
  ip -n "$NS" link add h0 type veth peer name up0
  ip -n "$NS" link set h0 up
  ip -n "$NS" link set up0 up
  ip -n "$NS" addr add 10.250.53.100/24 dev h0
  for a in 10.250.53.1 10.250.53.2 10.250.53.3 10.250.53.10; do ip -n "$NS" addr add "$a/32" dev up0; done
  printf 'nameserver 10.250.53.1\nnameserver 10.250.53.2\noptions timeout:1\n' > "$SBX/etc/resolv.conf"
  # a tiny init in its own mount namespace; resolv.conf + /var/lib/cutover are private bind mounts
  ip netns exec "$NS" unshare --mount --propagation private sh -c '
    mount --bind "$1/etc/resolv.conf" /etc/resolv.conf
    mount --bind "$1/cutover" /var/lib/cutover 2>/dev/null || { mkdir -p /var/lib/cutover && mount --bind "$1/cutover" /var/lib/cutover; }
    umount -l /run/netns 2>/dev/null || true
    exec sleep 1000000' sh "$SBX" </dev/null >/dev/null 2>&1 &
  echo $! > "$SBX/init.pid"
  sleep 0.2
  # named for upstreams: authoritative for a fake root with a lab zone
  cat > "$SBX/named-old/root.zone" <<Z
\$TTL 5
@ IN SOA ns.lab. host.lab. 1 60 60 60 5
@ IN NS ns.lab.
ns.lab. IN A 10.250.53.1
db.lab. IN A 10.250.53.10
Z
  cat > "$SBX/named-old/named.conf" <<C
options { directory "$SBX/named-old"; listen-on { 10.250.53.1; 10.250.53.2; 10.250.53.3; }; listen-on-v6 { none; };
  recursion no; pid-file "$SBX/run/named-old.pid"; session-keyfile "$SBX/run/old.key"; };
zone "." { type primary; file "$SBX/named-old/root.zone"; };
C
  cat > "$SBX/named-local/named.conf" <<C
options { directory "$SBX/named-local"; listen-on { 127.0.0.1; }; listen-on-v6 { none; };
  forwarders { 10.250.53.3; }; forward only; dnssec-validation no; recursion yes; allow-query { 127.0.0.1; };
  pid-file "$SBX/run/named-local.pid"; session-keyfile "$SBX/run/local.key"; };
controls { };
C
  chmod -R a+rwX "$SBX"
  in_sbx named -c "$SBX/named-old/named.conf" -u bind
  in_sbx named -c "$SBX/named-local/named.conf" -u bind
  # throwaway postgres on 10.250.53.10:5433 and a unix socket in $SBX/run
  in_sbx setpriv --reuid postgres --regid postgres --init-groups /usr/lib/postgresql/15/bin/initdb -D "$SBX/pgdata" -A trust -U postgres >/dev/null
  echo "host all all 10.250.53.0/24 trust" >> "$SBX/pgdata/pg_hba.conf"
  in_sbx setpriv --reuid postgres --regid postgres --init-groups /usr/lib/postgresql/15/bin/pg_ctl -D "$SBX/pgdata" -l "$SBX/log/pg.log" \
      -o "-c listen_addresses=10.250.53.10 -p 5433 -c unix_socket_directories=$SBX/run -c max_connections=200" -w start >/dev/null
  cat > "$SBX/pgb/pgbouncer.ini" <<I
[databases]
app = host=db.lab port=5433 dbname=postgres user=postgres
test = host=test.xaxa.cutover.invalid port=5433 dbname=postgres user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
unix_socket_dir = $SBX/run
auth_type = trust
auth_file = $SBX/pgb/userlist.txt
pidfile = $SBX/run/pgbouncer.pid
logfile = $SBX/log/pgbouncer.log
admin_users = postgres
pool_mode = session
max_client_conn = 500
default_pool_size = 100
server_connect_timeout = 2
dns_max_ttl = 15
I
  echo '"postgres" ""' > "$SBX/pgb/userlist.txt"
  chmod -R a+rwX "$SBX"
  in_sbx setpriv --reuid postgres --regid postgres --init-groups pgbouncer -d "$SBX/pgb/pgbouncer.ini"
  sleep 0.3
  echo "sandbox up: init $(init_pid), pgbouncer $(cat "$SBX/run/pgbouncer.pid")"
}

down() {
  p=$(init_pid) || true
  for f in pgbouncer named-old named-local; do
    [ -s "$SBX/run/$f.pid" ] && kill "$(cat "$SBX/run/$f.pid")" 2>/dev/null || true
  done
  if [ -n "$p" ] && [ -d "$SBX/pgdata" ]; then
    in_sbx setpriv --reuid postgres --regid postgres --init-groups /usr/lib/postgresql/15/bin/pg_ctl -D "$SBX/pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "$p" ] && kill "$p" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$SBX"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  exec) shift; in_sbx "$@" ;;
  pid) init_pid ;;
  *) die "usage: sandbox.sh up|down|exec CMD...|pid" ;;
esac
