#!/bin/sh
# The whole test suite, as the README and CI (.ci/run) run it:
#   1. installs what is missing (Debian packages for the lab, the helper's shells and linters,
#      the JDK, Maven, ansible-core as the inventory oracle; Maven fetches its own dependencies; the
#      real lab hosts' root filesystems are built from Debian's archive on first use and cached);
#   2. runs every suite — the helper under dash/busybox/bash, the lab smoke tests (namespace hosts
#      and real systemd-booted hosts), the helper's lab
#      tests, the client load generator, the controller's Java tests (unit, the
#      ansible-inventory differential test, and the end-to-end tests on the lab), the fault suite
#      (bench/faults.sh --quick) and the benchmark smoke run;
#   3. prints one line per suite and exits non-zero if any failed.
# Lab suites need root and namespaces; with CI=true they fail (never skip) if the lab cannot start.
set -u

top=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
cd "$top" || exit 2

# Commands the suites need beyond the lab's own (lab/lab.sh deps installs those), with the Debian
# package that brings each.
DEV_COMMANDS="javac:openjdk-17-jdk-headless mvn:maven ansible-inventory:ansible-core bats:bats nginx:nginx haproxy:haproxy curl:curl
shellcheck:shellcheck busybox:busybox dash:dash python3:python3 jq:jq ssh-keygen:openssh-client node:nodejs tmux:tmux
chromium-headless-shell:chromium-headless-shell gcc:gcc"

say() {
    printf '\n== %s ==\n' "$*"
}

# Usage: dev_packages  -> the Debian packages of DEV_COMMANDS whose command is missing
dev_packages() {
    for pair in $DEV_COMMANDS; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || printf '%s ' "${pair#*:}"
    done
}

results=""
failed=0
passed=0

# Usage: suite NAME COMMAND...  -> runs one suite, records its result, never stops the run
suite() {
    name=$1
    shift
    say "$name"
    start=$(date +%s)
    if "$@"; then
        passed=$((passed + 1))
        results="$results
  ok    $name ($(( $(date +%s) - start ))s)"
    else
        failed=$((failed + 1))
        results="$results
  FAIL  $name ($(( $(date +%s) - start ))s)"
    fi
}

# One install path with the lab's own packages: one line per phase here, apt's output in its log.
# shellcheck disable=SC2046 # word splitting of the package list is intended
if ! lab/lab.sh deps $(dev_packages); then
    echo "test.sh: could not install the dependencies; see the messages above" >&2
    exit 2
fi

suite "remote helper (shellcheck; dash, busybox sh, bash)" remote-helper/test/run.sh
suite "lab smoke test (namespaces, sshd, named, pgbouncer, postgres)" lab/test/smoke.sh
suite "lab real hosts (systemd-booted Debian 11/12/13, resolv.conf owners, DHCP renewal, reboot)" lab/test/real.sh
suite "remote helper on lab hosts (refresh, firewall, guard, revert)" remote-helper/test/lab.sh
suite "client load generator (sessions kept through a live refresh, drops detected)" lab/test/pgload.sh
suite "controller (Java: unit, ansible-inventory differential, end to end on the lab)" mvn -B -ntp -f "$top/pom.xml" verify
suite "launcher (class-data sharing archive: made once, same output, a damaged one ignored)" bin/test/launcher.sh
suite "fault suite (lab: SIGKILL and resume, link cut, failing steps, full disk, two controllers, bad and hostile input)" env FAULTS_LAB=fltci "$top/bench/faults.sh" --quick
suite "benchmark smoke (cutover vs Ansible on 10 light hosts, freeze, block; bench/run.sh --quick)" env CUTOVER_LAB=bsmk BENCH_OUT=/tmp/cutover-bench-smoke "$top/bench/run.sh" --quick

say "summary"
printf '%s\n' "$results"
echo
echo "test suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
