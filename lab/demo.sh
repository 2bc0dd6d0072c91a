#!/usr/bin/env bash
# demo.sh: the whole cutover story on a local lab fleet, in one command.
#
#   lab/demo.sh [--keep] [--hosts N]
#
# Installs what it lacks (Debian packages, the Maven build), brings up a lab of N app hosts
# (default 3: each a network namespace with sshd, pgbouncer and an unconfigured BIND, plus
# upstream DNS servers and a PostgreSQL host), shows the plan for one host, applies the
# rollout to all of them (local caching BIND, resolv.conf -> 127.0.0.1, running pgbouncers
# switched live, the guarded six-step proof) while client sessions run through every pgbouncer,
# prints the recap with the proof per host and what the clients saw (sessions kept, longest
# stall), re-proves the fleet read-only with `cutover check`, and tears the lab down — or keeps
# it with --keep so you can look around:
#   lab/lab.sh ssh app1 / bin/cutover status / bin/cutover rollback / lab/lab.sh down
# Exits non-zero if any host is not proved switched or any client session dropped.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOP=$(dirname "$LAB_DIR")
export CUTOVER_LAB=${CUTOVER_LAB:-demo}
KEEP=false
HOSTS=3
RUNS_DIR=$TOP/.cutover/runs

usage() {
	sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
	case $1 in
		--keep) KEEP=true; shift ;;
		--hosts) [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "demo.sh: --hosts needs a number" >&2; exit 2; }; HOSTS=$2; shift 2 ;;
		-h | --help) usage; exit 0 ;;
		*) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

step() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

cd "$TOP"
[[ $(id -u) == 0 ]] || { echo "demo.sh: run as root: the lab creates network namespaces (sudo $0)" >&2; exit 2; }

step "1. Dependencies (Debian packages, JDK, Maven) and the build"
missing=""
for pair in javac:openjdk-17-jdk-headless mvn:maven; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
# shellcheck disable=SC2086 # a list of package names
"$LAB_DIR/lab.sh" deps $missing
if [[ ! -f $TOP/controller/target/cutover.jar ]] || [[ -n $(find "$TOP/controller/src" "$TOP/remote-helper/src" -newer "$TOP/controller/target/cutover.jar" -print -quit) ]]; then
	echo "demo.sh: building the controller (Maven; the first build downloads its dependencies; log: $TOP/controller/target/demo-build.log)"
	mkdir -p "$TOP/controller/target"
	mvn -B -ntp -f "$TOP/pom.xml" package -DskipTests >"$TOP/controller/target/demo-build.log" 2>&1 ||
		{ tail -n 25 "$TOP/controller/target/demo-build.log" >&2; echo "demo.sh: the build failed" >&2; exit 1; }
fi
cutover() { "$TOP/bin/cutover" "$@"; }

step "2. A lab fleet of $HOSTS app hosts (network namespaces on this machine)"
"$LAB_DIR/lab.sh" up --hosts "$HOSTS"
INVENTORY=$("$LAB_DIR/lab.sh" inventory)
if [[ $KEEP == false ]]; then
	trap '"$LAB_DIR/lab.sh" down >/dev/null 2>&1 || true' EXIT
fi
cutover inventory -i "$INVENTORY" --graph

step "3. What each host looks like before (read-only facts)"
cutover facts -i "$INVENTORY" --limit app1

step "4. The plan for app1: every step, the exact command, the diff of every file (changes nothing)"
cutover plan -i "$INVENTORY" playbooks/local-caching-bind.yml --limit app1

step "5. Client sessions through every pgbouncer: idle, inside a transaction, busy (every 5 ms)"
LOAD_DIR=$(mktemp -d)
python3 "$LAB_DIR/pgload.py" --inventory "$INVENTORY" --until-stopped --duration 600 \
	--ready-file "$LOAD_DIR/ready" --stop-file "$LOAD_DIR/stop" >"$LOAD_DIR/load.json" 2>"$LOAD_DIR/load.err" &
load_pid=$!
for _ in $(seq 300); do [[ -e $LOAD_DIR/ready ]] && break; sleep 0.1; done
[[ -e $LOAD_DIR/ready ]] || { cat "$LOAD_DIR/load.err" >&2; echo "demo.sh: the client load did not start" >&2; exit 1; }
echo "sessions open; they stay open through the whole rollout"

step "6. Apply to the fleet: a canary, then the rest"
start=$EPOCHREALTIME
set +e
cutover apply -i "$INVENTORY" "$TOP/playbooks/local-caching-bind.yml" --yes --runs-dir "$RUNS_DIR"
code=$?
set -e
touch "$LOAD_DIR/stop"
wait "$load_pid" || code=${code/#0/1}
awk -v c="$code" -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "\ndemo: apply exited %d after %.1f s\n", c, b - a }'

step "7. What the clients saw"
python3 - "$LOAD_DIR/load.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for host, h in sorted(d["hosts"].items()):
    print(f"  {host}: {h['sessions']} sessions, {h['dropped']} dropped, {h['failed_queries']} failed queries, "
          f"transactions kept: {h['in_transaction_kept']}, longest stall {h['longest_stall_ms']:.1f} ms")
print("  clients:", "every session kept" if d["ok"] else "SESSIONS DROPPED OR QUERIES FAILED")
PY
rm -rf "$LOAD_DIR"

step "8. The run, from its journal"
cutover status --runs-dir "$RUNS_DIR"

step "9. Later, read-only: is every host still as the playbook left it? (what you run after a reboot wave)"
set +e
cutover check -i "$INVENTORY" "$TOP/playbooks/local-caching-bind.yml"
check_code=$?
set -e
((check_code == 0)) || code=${code/#0/1}

if [[ $KEEP == true ]]; then
	printf '\nThe lab is still up (CUTOVER_LAB=%s). Try:\n' "$CUTOVER_LAB"
	printf '  lab/lab.sh ssh app1 cat /etc/resolv.conf\n  bin/cutover status --runs-dir %s\n' "$RUNS_DIR"
	printf '  bin/cutover rollback --runs-dir %s      # every host back to before, verified\n' "$RUNS_DIR"
	printf '  CUTOVER_LAB=%s lab/lab.sh down\n' "$CUTOVER_LAB"
fi
exit "$code"
