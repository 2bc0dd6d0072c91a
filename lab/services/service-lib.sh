# shellcheck shell=sh
# What every lab test service (lab/services/SVC.sh start|stop, run inside a lab host) shares, so
# that each says only what differs: start runs the daemon detached, waits until it listens on its
# port and its pid is in /run/SVC.pid (the pid a user names in refresh_processes), logs to
# /var/log/SVC.log; stop ends it by that pidfile. For go.sh and java.sh also a program the lab
# builds once into lab/run/.cache/ (kept across labs, built under its lock; host-init.sh keeps that
# directory visible inside the hosts), and for nginx.sh and haproxy.sh what a proxy needs first.
# Sourced once SVC and PORT are set (and STOP_SIGNAL, START_ARGS where they differ); the service
# defines start() and ends with `service_main "$@"`.

PIDFILE=/run/$SVC.pid
LOG=/var/log/$SVC.log
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=$(cd "$HERE/.." && pwd)/run/.cache

# Usage: cached DIR CMD...  -> run CMD DIR (which fills DIR) unless DIR is complete; one builder at a time
cached() {
	[ -f "$1/ready" ] && return 0
	mkdir -p "$CACHE" || return 1
	d=$1; shift
	exec 9>"$CACHE/.lock" && flock 9 || return 1
	if [ ! -f "$d/ready" ]; then
		if ! { rm -rf "$d" && mkdir -p "$d" && "$@" "$d" && touch "$d/ready"; }; then exec 9>&-; return 1; fi
	fi
	exec 9>&-
}

# Usage: listening PORT  -> something listens on TCP PORT in this host
listening() {
	awk -v p="$(printf '%04X' "$1")" '$4 == "0A" && $2 ~ (":" p "$") { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Usage: wait_up [PID]  -> until something listens on PORT and (without PID) PIDFILE is written;
# 1 if PID ends first, or after 30 s
wait_up() {
	i=0
	until listening "$PORT" && { [ -n "${1:-}" ] || [ -s "$PIDFILE" ]; }; do
		if [ -n "${1:-}" ] && ! kill -0 "$1" 2>/dev/null; then
			echo "$SVC: exited at start (see $LOG):" >&2; tail -n 5 "$LOG" >&2; return 1
		fi
		i=$((i + 1)); [ "$i" -le 600 ] || { echo "$SVC: not listening on $PORT after 30 s (see $LOG)" >&2; return 1; }
		sleep 0.05
	done
}

# Usage: start_detached CMD...  -> CMD as a daemon of this host (its own session, no terminal),
# PIDFILE written once it listens on PORT; if PIDFILE names a live process, that one is kept
start_detached() {
	if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then echo "$SVC: already running (pid $(cat "$PIDFILE"))"; return 0; fi
	setsid "$@" </dev/null >>"$LOG" 2>&1 &
	pid=$!
	wait_up "$pid" || { kill "$pid" 2>/dev/null; return 1; }
	echo "$pid" >"$PIDFILE"
	echo "$SVC: pid $pid listening on $PORT"
}

# Usage: start_forking CMD...  -> CMD puts the daemon in the background itself and writes PIDFILE
# (nginx's `pid`, haproxy -D -p); then as start_detached, without its already-running check
start_forking() {
	"$@" </dev/null >>"$LOG" 2>&1 || { echo "$SVC: $1 did not start (see $LOG):" >&2; tail -n 5 "$LOG" >&2; return 1; }
	wait_up || return 1
	echo "$SVC: pid $(cat "$PIDFILE") listening on $PORT"
}

# Usage: proxy_setup ETC NAME [MODE]  -> for nginx.sh and haproxy.sh: MODE (load, the default, or
# resolver) in MODE, the web backend they proxy to running, named HOST-NAME.lab.test in BACKEND
# (host:port), and /etc/ETC this host's own (a bind mount of /run/lab-ETC)
proxy_setup() {
	# shellcheck disable=SC2034 # BACKEND is for the proxy script that sourced this
	MODE=${3:-load} BACKEND="$(hostname)-$2.lab.test:8090"
	case $MODE in load|resolver) ;; *) echo "$SVC.sh: mode is load or resolver, not $MODE" >&2; return 2 ;; esac
	sh "$HERE/web-backend.sh" start >/dev/null || return 1
	mountpoint -q "/etc/$1" || { mkdir -p "/run/lab-$1" && mount --bind "/run/lab-$1" "/etc/$1"; }
}

# Usage: stop_by_pidfile  -> end the daemon PIDFILE names (nothing if none runs): STOP_SIGNAL
# (default TERM; a proxy's graceful stop), up to 5 s for it to end, then TERM
stop_by_pidfile() {
	[ -s "$PIDFILE" ] || { rm -f "$PIDFILE"; return 0; }
	pid=$(cat "$PIDFILE")
	kill "-${STOP_SIGNAL:-TERM}" "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
	rm -f "$PIDFILE"
}

# Usage: service_main start [ARGS]|stop  -> the service's command line (start ARGS calls its start ARGS)
service_main() {
	case ${1:-} in
		start) shift; start "$@" ;;
		stop) stop_by_pidfile ;;
		*) echo "usage: $0 start${START_ARGS:+ $START_ARGS} | stop" >&2; return 2 ;;
	esac
}
