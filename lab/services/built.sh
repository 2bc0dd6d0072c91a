# shellcheck shell=sh
# What lab/services/go.sh and java.sh share: a program the lab builds once into lab/run/.cache/
# (kept across labs, built under its lock; host-init.sh keeps that directory visible inside the
# hosts), started detached with a pidfile, and ended by it. Sourced; SVC, PORT and PIDFILE set.

CACHE=$(cd "${0%/*}/.." && pwd)/run/.cache

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

# Usage: start_detached CMD...  -> CMD as a daemon of this host (its own session, no terminal);
# waits up to 30 s until it listens on PORT, then writes PIDFILE
start_detached() {
	if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then echo "$SVC: already running (pid $(cat "$PIDFILE"))"; return 0; fi
	setsid "$@" </dev/null >>"/var/log/$SVC.log" 2>&1 &
	pid=$!
	i=0
	until listening "$PORT"; do
		kill -0 "$pid" 2>/dev/null || { echo "$SVC: exited at start (see /var/log/$SVC.log):" >&2; tail -n 5 "/var/log/$SVC.log" >&2; return 1; }
		i=$((i + 1)); [ "$i" -le 600 ] || { echo "$SVC: not listening on $PORT after 30 s" >&2; kill "$pid"; return 1; }
		sleep 0.05
	done
	echo "$pid" >"$PIDFILE"
	echo "$SVC: pid $pid listening on $PORT"
}

# Usage: stop_by_pidfile  -> end the daemon PIDFILE names (nothing if none runs)
stop_by_pidfile() {
	[ -f "$PIDFILE" ] || return 0
	kill "$(cat "$PIDFILE")" 2>/dev/null
	rm -f "$PIDFILE"
}

# Usage: service_main start|stop  -> the service's command line (start calls the script's start())
service_main() {
	case ${1:-} in
		start) start ;;
		stop) stop_by_pidfile ;;
		*) echo "usage: $0 start|stop" >&2; return 2 ;;
	esac
}
