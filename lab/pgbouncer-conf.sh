# shellcheck shell=sh
# pgbouncer's configuration on every lab host that runs one (app hosts: host-init.sh; real hosts:
# real.sh), the ONE place it is written. Sourced; needs the LAB_* values of STATE/lab.env.

# Usage: pgbouncer_ini HOST ADDR WRITER [SERVER-LOGIN]  -> pgbouncer.ini as in production: the db by
# NAME, plus the probes (nonexistent names: connecting to one makes pgbouncer look the name up).
# SERVER-LOGIN ("user=… password=…") is added to every database's connection string.
pgbouncer_ini() {
	cat <<-EOF
	;; lab host $1; written by $3
	[databases]
	$LAB_APP_DB = host=db.$LAB_ZONE port=5432 dbname=$LAB_APP_DB${4:+ $4}
	;; the probe: its host does not exist, so connecting to it makes pgbouncer look the name up
	$LAB_PROBE_DB = host=$LAB_PROBE_HOST port=5432 dbname=$LAB_APP_DB${4:+ $4}
	;; the same for tests that watch, independently of cutover's trigger, where pgbouncer sends lookups
	$LAB_CHECK_DB = host=$LAB_CHECK_HOST port=5432 dbname=$LAB_APP_DB${4:+ $4}

	[pgbouncer]
	logfile = /var/log/postgresql/pgbouncer.log
	pidfile = /var/run/postgresql/pgbouncer.pid
	listen_addr = $2,127.0.0.1
	listen_port = $LAB_PGB_PORT
	unix_socket_dir = /var/run/postgresql
	auth_type = md5
	auth_file = /etc/pgbouncer/userlist.txt
	admin_users = $LAB_ADMIN_USER
	stats_users = $LAB_ADMIN_USER
	EOF
}

# Usage: pgbouncer_userlist  -> userlist.txt: the application's user and the admin console's
pgbouncer_userlist() {
	printf '"%s" "%s"\n"%s" "%s"\n' "$LAB_APP_USER" "$LAB_APP_PASSWORD" "$LAB_ADMIN_USER" "$LAB_ADMIN_PASSWORD"
}
