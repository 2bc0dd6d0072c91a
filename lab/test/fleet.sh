# shellcheck shell=bash
# fleet.sh: what the lab's test scripts use to reach a lab instance (sourced, not run). The sourcing
# script sets LAB (the lab/ directory), CUTOVER_LAB and STATE (lab/run/$CUTOVER_LAB), and PIDS
# (the processes of the lab, for leftovers).

# Usage: lab ARGS...  -> lab.sh for this test's instance
lab() {
	"$LAB/lab.sh" "$@"
}

# Usage: addr HOST  -> the host's address, from the lab's host list
addr() {
	awk -v h="$1" '$1 == h { print $3 }' "$STATE/hosts.list"
}

# Usage: hosts_of ROLE...  -> the names of the lab's hosts with those roles
hosts_of() {
	awk -v roles=" $* " 'index(roles, " " $2 " ") { print $1 }' "$STATE/hosts.list"
}

# Usage: on HOST CMD  -> run CMD on HOST over SSH as root with the lab's key and strict known_hosts
on() {
	on_as root "$@"
}

# Usage: on_as USER HOST CMD  -> the same as USER
on_as() {
	ssh -i "$STATE/ssh/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 \
		-o UserKnownHostsFile="$STATE/known_hosts" -o StrictHostKeyChecking=yes -o LogLevel=ERROR \
		"$1@$(addr "$2")" "$3"
}

# Usage: same A B  -> true if A equals B, else say what differed
same() {
	[[ $1 == "$2" ]] || { echo "expected '$2', got '$1'"; return 1; }
}

# Usage: netns_processes  -> the PIDs of every process inside this instance's network namespaces (for
# leftovers after an up that was killed before it recorded them)
netns_processes() {
	ip netns list | awk '{print $1}' | grep "^cut$CUTOVER_LAB-" | while read -r ns; do ip netns pids "$ns"; done | tr '\n' ' '
}

# Usage: leftovers  -> print whatever of this lab instance still exists; true if nothing
leftovers() {
	local found=0 ns p
	ns=$(ip netns list | awk '{print $1}' | grep "^cut$CUTOVER_LAB-") && { echo "netns: $ns"; found=1; }
	ip link show "cut${CUTOVER_LAB}0" >/dev/null 2>&1 && { echo "veth cut${CUTOVER_LAB}0"; found=1; }
	p=$(grep -l "$STATE/" /proc/[0-9]*/mountinfo 2>/dev/null) && { echo "mounts seen by: $p"; found=1; }
	for p in $PIDS; do
		# a zombie has exited; only its parent (not the lab) can reap it
		[[ -e /proc/$p ]] && ! grep -q '^[0-9]* (.*) Z' "/proc/$p/stat" 2>/dev/null &&
			{ echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline")"; found=1; }
	done
	[[ -e $STATE ]] && { echo "state dir $STATE"; found=1; }
	p=$(find /sys/fs/cgroup -maxdepth 3 -path '*/cutover-lab/*' -name "$CUTOVER_LAB-*" 2>/dev/null) &&
		[[ -n $p ]] && { echo "cgroups: $p"; found=1; }
	((found == 0))
}


# Usage: up_or_fail UP-ARGS...  -> `lab.sh up UP-ARGS` as the suite's first check: where the lab cannot
# run at all (not root, no namespaces) a skip outside CI and a failure under it; any other failure
# ends the suite with up's messages
up_or_fail() {
	local out rc
	out=$("$LAB/lab.sh" up "$@" 2>&1)
	rc=$?
	if ((rc == 4 || rc == 6)); then skip_or_fail "$(tail -n 1 <<<"$out")"; fi
	if ((rc != 0)); then
		echo "not ok - lab up $*"
		while IFS= read -r l; do echo "    # $l"; done <<<"$out"
		failed=$((failed + 1))
		finish
		exit 1
	fi
	passed=$((passed + 1))
	echo "ok - lab up $* (CUTOVER_LAB=$CUTOVER_LAB, $(grep -o 'up in [0-9.]*s' <<<"$out"))"
}
